import { describe, expect, it } from 'vitest';
import type { ExceptionEntry } from '../../src/config/types.ts';
import { applyExceptions } from '../../src/evaluate/exceptions.ts';
import { globToRegExp } from '../../src/shared/glob.ts';
import type { Verdict, VerdictStatus } from '../../src/contracts/verdict.ts';

function verdict(ruleId: string, status: VerdictStatus, id: string, extra: Partial<Verdict['resource']> = {}): Omit<Verdict, 'suppressed'> {
  return { ruleId, status, severity: 'high', message: 'm', evidence: null, resource: { type: 'bucket', id, accountId: '222222222222', ...extra } };
}

function exception(rule: string, resource: string, expires = '2030-01-01'): ExceptionEntry {
  return { rule, resource, reason: 'migration', approver: 'sec-team', expires };
}

describe('applyExceptions', () => {
  it('suppresses a FAIL matched by rule id and exact resource id, keeping it', () => {
    const { verdicts, notes } = applyExceptions([verdict('r1', 'FAIL', 'arn:aws:s3:::logs')], [exception('r1', 'arn:aws:s3:::logs')], '2025-06-01');
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]!.suppressed).toEqual({ reason: 'migration', approver: 'sec-team', expires: '2030-01-01', exceptionId: 'exceptions[0]' });
    expect(notes).toEqual([]);
  });

  it('requires the rule id to match exactly', () => {
    const { verdicts, notes } = applyExceptions([verdict('r10', 'FAIL', 'x')], [exception('r1', 'x')], '2025-06-01');
    expect(verdicts[0]!.suppressed).toBeUndefined();
    expect(notes).toEqual([{ exceptionId: 'exceptions[0]', rule: 'r1', resource: 'x', kind: 'stale', expires: '2030-01-01' }]);
  });

  it('matches globs against id, ARN, account id and name', () => {
    const vs = [
      verdict('r', 'FAIL', 'arn:aws:s3:::logs-prod'),
      verdict('r', 'FAIL', 'trail-id', { arn: 'arn:aws:cloudtrail:us-east-1:1:trail/x' }),
      verdict('r', 'FAIL', 'acct', { accountId: '444444444444' }),
      verdict('r', 'FAIL', 'named', { name: 'sandbox-7' }),
      verdict('r', 'FAIL', 'arn:aws:s3:::other'),
    ];
    const exs = [exception('r', 'arn:aws:s3:::logs-*'), exception('r', '*:trail/?'), exception('r', '4444444444??'), exception('r', 'sandbox-*')];
    const { verdicts, notes } = applyExceptions(vs, exs, '2025-06-01');
    expect(verdicts.map((v) => v.suppressed?.exceptionId ?? null)).toEqual(['exceptions[0]', 'exceptions[1]', 'exceptions[2]', 'exceptions[3]', null]);
    expect(notes).toEqual([]);
  });

  it('treats regex characters in a pattern literally', () => {
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('a.b').test('a.b')).toBe(true);
    expect(globToRegExp('x(1)+').test('x(1)+')).toBe(true);
  });

  it('an expired exception does not suppress and is noted; it still holds on its expiry day', () => {
    const vs = [verdict('r', 'FAIL', 'b1')];
    const onDay = applyExceptions(vs, [exception('r', 'b1', '2025-06-01')], '2025-06-01');
    expect(onDay.verdicts[0]!.suppressed).toBeDefined();
    const after = applyExceptions(vs, [exception('r', 'b1', '2025-06-01')], '2025-06-02');
    expect(after.verdicts[0]!.suppressed).toBeUndefined();
    expect(after.notes).toEqual([{ exceptionId: 'exceptions[0]', rule: 'r', resource: 'b1', kind: 'expired', expires: '2025-06-01' }]);
  });

  it('never suppresses PASS, ERROR or NOT_APPLICABLE, but such a match is not stale', () => {
    const vs = [verdict('r', 'PASS', 'b1'), verdict('r', 'ERROR', 'b2'), verdict('r', 'NOT_APPLICABLE', 'b3')];
    const { verdicts, notes } = applyExceptions(vs, [exception('r', 'b*')], '2025-06-01');
    expect(verdicts.map((v) => v.suppressed)).toEqual([undefined, undefined, undefined]);
    expect(verdicts.map((v) => v.status)).toEqual(['PASS', 'ERROR', 'NOT_APPLICABLE']);
    expect(notes).toEqual([]);
  });

  it('the first live exception in config order wins, and does not mutate the input', () => {
    const input = [verdict('r', 'FAIL', 'b1')];
    const { verdicts, notes } = applyExceptions(input, [exception('r', 'b1', '2020-01-01'), exception('r', 'b*'), exception('r', '*')], '2025-06-01');
    expect(verdicts[0]!.suppressed?.exceptionId).toBe('exceptions[1]');
    expect(input[0]).not.toHaveProperty('suppressed');
    // exceptions[2] matched too (it is not stale), but exceptions[1] came first.
    expect(notes.map((n) => [n.exceptionId, n.kind])).toEqual([['exceptions[0]', 'expired']]);
  });
});
