/**
 * Checking hand-written facts against the declaration (src/model/fact-check.ts): each kind of
 * type, the path and wording of each problem, and what `complete` (the model's own output) adds.
 */
import { describe, expect, it } from 'vitest';
import { factProblems } from '../../src/model/fact-check.ts';

describe('factProblems: scalar types', () => {
  it('accepts a value of the declared type', () => {
    expect(factProblems('x', 'string')).toEqual([]);
    expect(factProblems(false, 'bool')).toEqual([]);
    expect(factProblems(-3, 'int')).toEqual([]);
    expect(factProblems(1.5, 'double')).toEqual([]);
    expect(factProblems(2, 'double')).toEqual([]);
  });

  it('says what was expected and what was found, at the path given', () => {
    expect(factProblems(1, 'string', ['a'])).toEqual([{ path: ['a'], message: 'expected a string, got number 1' }]);
    expect(factProblems('true', 'bool', ['b'])).toEqual([{ path: ['b'], message: 'expected a bool, got string "true"' }]);
    expect(factProblems(1.5, 'int')).toEqual([{ path: [], message: 'expected an int, got number 1.5' }]);
    expect(factProblems('1', 'int')).toEqual([{ path: [], message: 'expected an int, got string "1"' }]);
    expect(factProblems('1.5', 'double')).toEqual([{ path: [], message: 'expected a number, got string "1.5"' }]);
    expect(factProblems(null, 'string')).toEqual([{ path: [], message: 'expected a string, got null' }]);
    expect(factProblems([], 'bool')).toEqual([{ path: [], message: 'expected a bool, got a list' }]);
    expect(factProblems({}, 'int')).toEqual([{ path: [], message: 'expected an int, got a map' }]);
  });

  it('accepts anything as dyn', () => {
    for (const value of [null, 1, 'x', [], {}]) expect(factProblems(value, 'dyn')).toEqual([]);
  });
});

describe('factProblems: lists and maps', () => {
  it('checks each item of a list at its index, and refuses what is not a list', () => {
    expect(factProblems(['a', 2, 'c', true], 'list<string>', ['l'])).toEqual([
      { path: ['l', 1], message: 'expected a string, got number 2' },
      { path: ['l', 3], message: 'expected a string, got boolean true' },
    ]);
    expect(factProblems({ 0: 'a' }, 'list<string>')).toEqual([{ path: [], message: 'expected a list, got a map' }]);
    expect(factProblems('a', 'list<string>')).toEqual([{ path: [], message: 'expected a list, got string "a"' }]);
    expect(factProblems([[1], ['x']], 'list<list<int>>')).toEqual([{ path: [1, 0], message: 'expected an int, got string "x"' }]);
  });

  it('checks each value of a map at its key, and refuses a list or null as a map', () => {
    expect(factProblems({ a: 'x', b: 1 }, 'map<string, string>', ['tags'])).toEqual([{ path: ['tags', 'b'], message: 'expected a string, got number 1' }]);
    expect(factProblems(['x'], 'map<string, string>')).toEqual([{ path: [], message: 'expected a map, got a list' }]);
    expect(factProblems(null, 'map<string, string>')).toEqual([{ path: [], message: 'expected a map, got null' }]);
  });
});

describe('factProblems: declared objects', () => {
  it('refuses a value that is not a map, and a type that is not declared', () => {
    expect(factProblems('x', 'IntegrityWindow', ['w'])).toEqual([{ path: ['w'], message: 'expected a IntegrityWindow map, got string "x"' }]);
    expect(factProblems(['x'], 'IntegrityWindow')).toEqual([{ path: [], message: 'expected a IntegrityWindow map, got a list' }]);
    expect(factProblems(null, 'IntegrityWindow')).toEqual([{ path: [], message: 'expected a IntegrityWindow map, got null' }]);
    expect(() => factProblems({}, 'NoSuchType')).toThrow('fact type NoSuchType is not declared');
  });

  it('names an unknown field, with a close name when there is one', () => {
    expect(factProblems({ form: 'a', zzz: 'b' }, 'IntegrityWindow', ['w'])).toEqual([
      { path: ['w', 'form'], message: 'no such fact "form" in IntegrityWindow; did you mean "from"?' },
      { path: ['w', 'zzz'], message: 'no such fact "zzz" in IntegrityWindow' },
    ]);
  });

  it('takes null only for a nullable field', () => {
    expect(factProblems({ arn: 'a', kmsKeyId: null }, 'Trail')).toEqual([]);
    expect(factProblems({ arn: 'a', kmsKeyId: 5 }, 'Trail')).toEqual([{ path: ['kmsKeyId'], message: 'expected a string, got number 5' }]);
    expect(factProblems({ from: null }, 'IntegrityWindow')).toEqual([{ path: ['from'], message: 'expected a string, got null' }]);
  });

  it('without `complete` any subset of the fields is fine; with it, a field that cannot be unknown must be there', () => {
    expect(factProblems({ from: 'a' }, 'IntegrityWindow')).toEqual([]);
    expect(factProblems({ from: 'a' }, 'IntegrityWindow', ['w'], true)).toEqual([
      { path: ['w', 'to'], message: 'IntegrityWindow.to is missing, and is not declared as one that can be unknown' },
    ]);
    expect(factProblems({ from: 'a', to: 'b' }, 'IntegrityWindow', [], true)).toEqual([]);
    // Every field of Organization but guardDuty can be unknown.
    expect(factProblems({}, 'Organization', ['organization'], true).map((p) => p.path.join('.'))).toEqual(['organization.guardDuty']);
  });

  it("checks the keys of an object's `unknown` map against the fields that can be unknown", () => {
    expect(factProblems({ unknown: { id: 'denied', scpEnabled: 'denied' } }, 'Organization')).toEqual([]);
    expect(factProblems({ unknown: { guardDuty: 'denied', scpEnabld: 'x', zzz: 'y' } }, 'Organization', ['o'])).toEqual([
      { path: ['o', 'unknown', 'guardDuty'], message: '"guardDuty" is not a fact of Organization that can be unknown' },
      { path: ['o', 'unknown', 'scpEnabld'], message: '"scpEnabld" is not a fact of Organization that can be unknown; did you mean "scpEnabled"?' },
      { path: ['o', 'unknown', 'zzz'], message: '"zzz" is not a fact of Organization that can be unknown' },
    ]);
    expect(factProblems({ unknown: 'denied' }, 'Organization')).toEqual([{ path: ['unknown'], message: 'expected a map, got string "denied"' }]);
    expect(factProblems({ unknown: 'x' }, 'IntegrityWindow')).toEqual([{ path: ['unknown'], message: 'no such fact "unknown" in IntegrityWindow' }]);
  });
});
