/**
 * Facts to CEL values and back (src/rules/cel.ts), the CEL types of parameters
 * (src/rules/load/params.ts), where an unknown fact's reason is found and what a result that is
 * not a bool gives (src/rules/evaluate.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { celErrorInfo, celToText, fromCel, missingKeyOf, toCel } from '../../src/rules/cel.ts';
import { evaluateCompiledRule, findUnknown, type CompiledRule } from '../../src/rules/evaluate.ts';
import { compileRule } from '../../src/rules/load/compile.ts';
import { parseRuleFile } from '../../src/rules/load/parse.ts';
import { paramCelTypes } from '../../src/rules/load/params.ts';
import type { RuleDocument } from '../../src/rules/types.ts';
import type { EvaluationSubject } from '../../src/model/facts.ts';

describe('toCel', () => {
  it('makes whole numbers ints, keeps doubles, drops undefined members, walks lists and maps', () => {
    expect(toCel(3)).toBe(3n);
    expect(toCel(1.5)).toBe(1.5);
    expect(toCel('x')).toBe('x');
    expect(toCel(null)).toBeNull();
    const converted = toCel({ a: undefined, b: 2, c: [1, 2.5, { d: 4 }], m: new Map([['k', 5]]) }) as Record<string, unknown>;
    expect(Object.keys(converted)).toEqual(['b', 'c', 'm']);
    expect(converted).toEqual({ b: 2n, c: [1n, 2.5, { d: 4n }], m: new Map([['k', 5n]]) });
  });

  it('gives a list or plain object whose members need no change as it is, and copies from the first that does', () => {
    const names = ['a', 'b'];
    const flags = { on: true, name: 'x', names, nested: { kind: 'k' } };
    expect(toCel(flags)).toBe(flags);
    expect(toCel(names)).toBe(names);
    const mixed = { first: 'a', names, count: 2, later: { kind: 'k' }, gone: undefined, last: [true, 3] };
    const converted = toCel(mixed) as Record<string, unknown>;
    expect(converted).not.toBe(mixed);
    expect(Object.keys(converted)).toEqual(['first', 'names', 'count', 'later', 'last']);
    expect(converted).toEqual({ first: 'a', names, count: 2n, later: { kind: 'k' }, last: [true, 3n] });
    expect(converted.names).toBe(names);
    expect(mixed.count).toBe(2); // the facts are not changed
    const onlyUndefined = { a: 'x', b: undefined };
    expect(Object.keys(toCel(onlyUndefined) as object)).toEqual(['a']);
    // Not plain: copied into plain objects, as CEL expects.
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'x' });
    const fromBare = toCel(bare) as Record<string, unknown>;
    expect(Object.getPrototypeOf(fromBare)).toBe(Object.prototype);
    expect(fromBare).toEqual({ a: 'x' });
    class Fact {
      readonly name = 'n';
    }
    const fromClass = toCel(new Fact()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(fromClass)).toBe(Object.prototype);
    expect(fromClass).toEqual({ name: 'n' });
  });

  it('keeps dates and bytes as they are', () => {
    const date = new Date('2026-01-02T03:04:05Z');
    const bytes = new Uint8Array([1, 2]);
    const converted = toCel({ date, bytes }) as Record<string, unknown>;
    expect(converted.date).toBe(date);
    expect(converted.bytes).toBe(bytes);
  });

  it('converts an object once, and a frozen nested one once for every parent that shares it', () => {
    const shared = Object.freeze({ n: 1 });
    const plain = { n: 2 };
    const first = { shared, plain };
    const second = { shared, plain };
    expect(toCel(first)).toBe(toCel(first));
    const [a, b] = [toCel(first), toCel(second)] as Record<string, unknown>[];
    expect(a!.shared).toBe(b!.shared);
    expect(a!.plain).not.toBe(b!.plain);
    expect(a!.plain).toEqual(b!.plain);
  });
});

describe('fromCel and celToText', () => {
  it('turns CEL values into JSON: ints, null, non-finite doubles, lists, maps, dates, bytes', () => {
    expect(fromCel(7n)).toBe(7);
    expect(fromCel(undefined)).toBeNull();
    expect(fromCel(null)).toBeNull();
    expect(fromCel(2.5)).toBe(2.5);
    expect(fromCel(Infinity)).toBe('Infinity');
    expect(fromCel(NaN)).toBe('NaN');
    expect(fromCel(true)).toBe(true);
    expect(fromCel([1n, [2n]])).toEqual([1, [2]]);
    expect(fromCel(new Map<unknown, unknown>([[1n, 2n], ['k', new Map([['x', 3n]])]]))).toEqual({ '1': 2, k: { x: 3 } });
    expect(fromCel(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(fromCel(new Uint8Array([104, 105]))).toBe('aGk=');
    expect(fromCel({ a: 1n, b: { c: null } })).toEqual({ a: 1, b: { c: null } });
  });

  it('keeps a record\'s keys in their order, each value converted, in a new object', () => {
    const record = { z: 1n, a: [2n], m: { k: undefined, j: 'x' } };
    const json = fromCel(record);
    expect(JSON.stringify(json)).toBe('{"z":1,"a":[2],"m":{"k":null,"j":"x"}}');
    expect(json).not.toBe(record);
  });

  it('gives a list or plain record that is already JSON back as it is, and copies from the first member that changes', () => {
    const trail = { trail: 'arn:t', bucket: 'none', logging: true, ratio: 0.5 };
    const evidence = [trail, { trail: 'arn:u', tags: ['a', 'b'], note: null }];
    expect(fromCel(evidence)).toBe(evidence);
    expect(fromCel(trail)).toBe(trail);

    const later = { a: 'x', b: ['y'], c: 3n, d: { e: 'f' } };
    const copied = fromCel(later) as Record<string, unknown>;
    expect(copied).not.toBe(later);
    expect(JSON.stringify(copied)).toBe('{"a":"x","b":["y"],"c":3,"d":{"e":"f"}}');
    expect(copied.b).toBe(later.b);
    expect(copied.d).toBe(later.d);
    const list = ['x', 2n, 'y'];
    expect(fromCel(list)).toEqual(['x', 2, 'y']);
    expect(list).toEqual(['x', 2n, 'y']);
  });

  it('converts what a copy always changed: undefined members and items, holes, other prototypes, a __proto__ member', () => {
    expect(JSON.stringify(fromCel({ a: 'x', b: undefined }))).toBe('{"a":"x","b":null}');
    expect(fromCel(['x', undefined])).toEqual(['x', null]);
    const withHole = ['x', 'gone', 'y'];
    delete withHole[1];
    const holey = fromCel(withHole) as unknown[];
    expect(1 in holey).toBe(false);
    expect(holey).toHaveLength(3);
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'x' });
    const plain = fromCel(nullPrototype);
    expect(plain).not.toBe(nullPrototype);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    const parsed = JSON.parse('{"a":"x","__proto__":{"b":"y"}}') as Record<string, unknown>;
    const converted = fromCel(parsed) as Record<string, unknown>;
    expect(converted).not.toBe(parsed);
    expect(Object.keys(converted)).toEqual(['a']);
    expect(converted.b).toBe('y');
  });

  it('gives strings as they are and anything else as JSON', () => {
    expect(celToText('plain "text"')).toBe('plain "text"');
    expect(celToText(3n)).toBe('3');
    expect(celToText(new Map([['a', [1n]]]))).toBe('{"a":[1]}');
  });
});

describe('celErrorInfo', () => {
  it("keeps the library's code, summary, range and caret lines", () => {
    const err = Object.assign(new Error('No such key: x\n\n  > 1 | a.x\n        ^  '), { code: 'no_such_key', summary: ' No such key: x ', range: { start: 2, end: 3 } });
    const info = celErrorInfo(err);
    expect(info).toEqual({ code: 'no_such_key', summary: 'No such key: x', range: { start: 2, end: 3 }, snippet: ['  > 1 | a.x', '        ^  '] });
    expect(missingKeyOf(info)).toBe('x');
    expect(missingKeyOf({ ...info, code: 'other' })).toBeUndefined();
  });

  it('takes the first line as the summary when there is none, and drops a range that is not two numbers', () => {
    const info = celErrorInfo(Object.assign(new Error('boom\nline'), { summary: '', range: { start: 1 } }));
    expect(info).toEqual({ code: 'error', summary: 'boom', snippet: ['line'] });
    expect(celErrorInfo('a thrown string')).toEqual({ code: 'error', summary: 'a thrown string', snippet: [] });
  });
});

describe('paramCelTypes', () => {
  it('maps each JSON Schema type to its CEL type; a number is dyn, a list takes its items', () => {
    const document = {
      params: {
        s: { type: 'string' },
        b: { type: 'boolean' },
        i: { type: 'integer' },
        n: { type: 'number' },
        names: { type: 'array', items: { type: 'string' } },
        counts: { type: 'array', items: { type: 'integer' } },
        anything: { type: 'array' },
      },
    } as unknown as RuleDocument;
    expect(paramCelTypes(document)).toEqual({ s: 'string', b: 'bool', i: 'int', n: 'dyn', names: 'list<string>', counts: 'list<int>', anything: 'list<dyn>' });
    expect(paramCelTypes({} as RuleDocument)).toEqual({});
  });
});

describe('findUnknown', () => {
  const subject = (activation: Record<string, unknown>): EvaluationSubject =>
    ({ resource: { type: 'account', id: '1', accountId: '1' }, activation }) as unknown as EvaluationSubject;

  it('finds the reason in the nearest root first (trail before account before organization) and names its holder', () => {
    const s = subject({
      organization: { id: 'o-1', unknown: { trails: 'org reason' } },
      account: { id: '111', name: 'prod', unknown: { trails: 'account reason' } },
    });
    expect(findUnknown(s, 'trails')).toEqual({ reason: 'account reason', label: 'prod' });
    expect(findUnknown(subject({ trail: { arn: 'arn:t', name: 'n', unknown: { x: 'trail reason' } }, account: { unknown: { x: 'a' } } }), 'x')).toEqual({
      reason: 'trail reason',
      label: 'arn:t',
    });
  });

  it('skips empty labels, objects where the key is present, and reasons that are not text', () => {
    expect(findUnknown(subject({ account: { arn: '', name: '', id: '222', unknown: { k: 'r' } } }), 'k')).toEqual({ reason: 'r', label: '222' });
    expect(findUnknown(subject({ account: { unknown: { k: 'r' } } }), 'k')).toEqual({ reason: 'r' });
    expect(findUnknown(subject({ account: { k: 1, unknown: { k: 'stale' } } }), 'k')).toBeUndefined();
    expect(findUnknown(subject({ account: { k: undefined, unknown: { k: 'r' } } }), 'k')).toEqual({ reason: 'r' });
    expect(findUnknown(subject({ account: { unknown: { k: 1 } } }), 'k')).toBeUndefined();
  });

  it('searches lists and nested objects to a depth of six, not inside `unknown`, and survives a cycle', () => {
    const deep = (depth: number): Record<string, unknown> => (depth === 0 ? { name: 'deep', unknown: { k: 'r' } } : { child: deep(depth - 1) });
    expect(findUnknown(subject({ account: deep(6) }), 'k')).toEqual({ reason: 'r', label: 'deep' });
    expect(findUnknown(subject({ account: deep(7) }), 'k')).toBeUndefined();
    expect(findUnknown(subject({ account: { regions: [{ name: 'a' }, { name: 'b', unknown: { k: 'in b' } }] } }), 'k')).toEqual({ reason: 'in b', label: 'b' });
    expect(findUnknown(subject({ account: { unknown: { nested: { unknown: { k: 'hidden' } } } } }), 'k')).toBeUndefined();
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    expect(findUnknown(subject({ account: cyclic }), 'k')).toBeUndefined();
  });
});

describe('a result that is not a bool (possible only through dyn values) is an ERROR that says what it was', () => {
  /** A rule compiled without the type check, the way a worker compiles one: here so that dyn results can be tried. */
  function unchecked(lines: string[]): CompiledRule {
    const dir = mkdtempSync(join(tmpdir(), 'trailproof-dyn-'));
    const file = join(dir, 'dyn.yaml');
    writeFileSync(file, ['id: dyn', 'title: Dyn', 'severity: low', 'resource: account', ...lines, 'remediation: r', ''].join('\n'));
    const parsed = parseRuleFile({ path: file, source: 'dyn.yaml' }, [])!;
    return compileRule(parsed.source, parsed.document, {}, [], { typeChecked: false })!;
  }
  const subject = { resource: { type: 'account', id: '1', accountId: '1' }, activation: { account: { id: '1', name: 'a' } } } as unknown as EvaluationSubject;

  it.each([
    ['null', 'null'],
    ['[1]', 'a list'],
    ['{"k": 1}', 'a map'],
    ['1', 'an int'],
    ['1.5', 'a double'],
    ['"text"', 'a string'],
  ])('`%s` in a validation: could not decide, the result is %s', (expression, described) => {
    const verdict = evaluateCompiledRule(unchecked(['validations:', `  - expression: '${expression}'`]), subject);
    expect(verdict).toMatchObject({ status: 'ERROR', message: `could not decide: the result is ${described}, not a bool (in validations[0])` });
  });

  it('a match that is not a bool is an ERROR in match; a match that fails is an ERROR naming the failure', () => {
    expect(evaluateCompiledRule(unchecked(['match: "1"', 'validations:', '  - expression: "true"']), subject)).toMatchObject({
      status: 'ERROR',
      message: 'could not decide: the result is an int, not a bool (in match)',
    });
    expect(evaluateCompiledRule(unchecked(['match: account.nosuch', 'validations:', '  - expression: "true"']), subject)).toMatchObject({
      status: 'ERROR',
      message: expect.stringMatching(/^could not decide: No such key: nosuch \(in match\)$/),
    });
  });

  it('a message expression that gives null or an empty text falls back to the written message; evidence that fails says why', () => {
    const rule = unchecked([
      'evidence: account.nosuch',
      'validations:',
      '  - expression: "false"',
      '    message: written',
      '    messageExpression: \'""\'',
      '  - expression: "false"',
      '    messageExpression: "null"',
    ]);
    expect(evaluateCompiledRule(rule, subject)).toMatchObject({ status: 'FAIL', message: 'written', evidence: { evidenceError: 'No such key: nosuch' } });
    const second = unchecked(['validations:', '  - expression: "false"', '    messageExpression: "null"']);
    expect(evaluateCompiledRule(second, subject)).toMatchObject({ status: 'FAIL', message: 'failed: false' });
  });
});
