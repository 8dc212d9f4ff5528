import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../cli/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-exceptions-'));
const config = join(dir, 'config.yaml');
writeFileSync(
  config,
  `exceptions:
  - rule: cloudtrail-log-retention
    resource: "777777777777"
    reason: Retention moves to Object Lock in Q1
    approver: ciso@example.com
    expires: 2027-03-31
  - rule: s3-pii-data-events
    resource: "arn:aws:s3:::acme-data-*"
    reason: Data lake migration
    approver: data-lead@example.com
    expires: 2026-11-01
  - rule: cloudtrail-log-file-validation
    resource: "000000000000"
    reason: Account closed long ago
    approver: ops@example.com
    expires: 2026-11-21
`,
);

const run = runMain;

/** The block of lines printed for exceptions[i]. */
function block(stdout: string, i: number): string {
  return stdout.split('\n\n').find((b) => b.startsWith(`exceptions[${i}]`)) ?? '';
}

describe('trailproof exceptions list', () => {
  it('lists rule, resource, approver, reason, expiry and days left from --as-of, marking expired ones', async () => {
    const r = await run(['exceptions', 'list', '--config', config, '--as-of', '2026-11-21']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*config\.yaml: 3 exception\(s\), days left counted from 2026-11-21\n/);
    expect(block(r.stdout, 0)).toBe(
      'exceptions[0]  cloudtrail-log-retention  777777777777  expires 2027-03-31 (130 days left)\n' +
        '  approver: ciso@example.com\n' +
        '  reason:   Retention moves to Object Lock in Q1',
    );
    expect(block(r.stdout, 1)).toMatch(/^exceptions\[1\]  s3-pii-data-events  arn:aws:s3:::acme-data-\*  EXPIRED: its last day was 2026-11-01 \(20 days ago\)\n  approver: data-lead@example.com/);
    // An exception still holds on its expiry day.
    expect(block(r.stdout, 2)).toMatch(/expires 2026-11-21 \(last day\)/);
    // Without a snapshot nothing is said about matches.
    expect(r.stdout).not.toMatch(/suppress|STALE/);
  });

  it('with a snapshot: the FAILs each suppresses, the ones an expired exception no longer covers, and stale ones', async () => {
    const r = await run(['exceptions', 'list', '--config', config, '--demo', '--as-of', '2026-11-21']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/matched against the demo organization/);
    const live = block(r.stdout, 0).split('\n');
    expect(live).toContain('  suppresses 1 FAIL(s):');
    expect(live.filter((l) => l.startsWith('    '))).toEqual([expect.stringMatching(/^ {4}777777777777 \(data-prod\): .*logs kept 210 days/)]);
    const expired = block(r.stdout, 1).split('\n');
    expect(expired).toContain('  expired: no longer suppresses these 2 FAIL(s):');
    expect(expired.filter((l) => l.startsWith('    ')).map((l) => l.trim().split(' ')[0])).toEqual(['arn:aws:s3:::acme-data-customer', 'arn:aws:s3:::acme-data-lake-raw']);
    expect(block(r.stdout, 2)).toContain('  STALE: matches no verdict in the snapshot');
  });

  it('says when the config has no exceptions, and defaults days left to today', async () => {
    const none = join(dir, 'none.yaml');
    writeFileSync(none, 'exceptions: []\n');
    expect((await run(['exceptions', 'list', '--config', none])).stdout).toBe(`${none}: no exceptions\n`);
    // The clock is fixed: read twice, it would give the day after when the run crossed midnight UTC.
    // Half an hour before midnight UTC is already the next day in time zones east of UTC+0:30.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-31T23:30:00Z') });
    try {
      expect((await run(['exceptions', 'list', '--config', config])).stdout).toContain('days left counted from today (2026-12-31, UTC)');
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a bad --as-of and conflicting snapshot flags with exit 2', async () => {
    const bad = await run(['exceptions', 'list', '--config', config, '--as-of', '2026-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('trailproof: --as-of "2026-02-30": expected a calendar date YYYY-MM-DD\n');
    const both = await run(['exceptions', 'list', '--config', config, '--demo', '--snapshot', 'x.jsonl']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--snapshot and --demo exclude each other/);
  });
});
