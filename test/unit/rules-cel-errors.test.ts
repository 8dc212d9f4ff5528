/**
 * What celErrorInfo (src/rules/cel.ts) takes from the errors of the pinned CEL library, in
 * particular the field access of a "No such key" found by the type checker (the loader uses it to
 * say which fact a misspelt name was looked up on), and how it copes with error shapes it does not know.
 */
import { Environment } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { celErrorInfo, missingKeyOf } from '../../src/rules/cel.ts';

function checkError(expression: string): unknown {
  const env = new Environment({ unlistedVariablesAreDyn: false });
  env.registerVariable({ name: 'account', schema: { id: 'string', nested: { a: 'string' } } });
  const checked = env.check(expression);
  expect(checked.valid).toBe(false);
  return checked.error;
}

describe('celErrorInfo on the type checker errors of the CEL library', () => {
  it('a misspelt field: the receiver as written, the key and the type the access was made on', () => {
    const info = celErrorInfo(checkError('account.nosuch'));
    expect(info).toMatchObject({ code: 'no_such_key', summary: 'No such key: nosuch', access: { receiver: 'account', key: 'nosuch', receiverType: '$account' } });
    expect(missingKeyOf(info)).toBe('nosuch');
    expect(celErrorInfo(checkError('account.nested.b')).access).toEqual({ receiver: 'account.nested', key: 'b', receiverType: '$account.nested' });
  });

  it('an index with a string literal is the same access', () => {
    expect(celErrorInfo(checkError('account["nosuch"]')).access).toEqual({ receiver: 'account', key: 'nosuch', receiverType: '$account' });
  });

  it('another kind of error has no access', () => {
    const info = celErrorInfo(checkError('account.id + 1'));
    expect(info.code).toBe('no_such_overload');
    expect(info).not.toHaveProperty('access');
    expect(missingKeyOf(info)).toBeUndefined();
  });
});

describe('celErrorInfo on error shapes it does not know', () => {
  /** A "No such key" as the library builds it, with parts to spoil. */
  const noSuchKey = (node: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    Object.assign(new Error('No such key: k'), { code: 'no_such_key', node: { op: '.', args: [{ start: 0, end: 3 }, 'k'], input: 'abc.k', ...node }, ...extra });

  it('takes the access from the node alone; a receiver type that is not a name is left out', () => {
    expect(celErrorInfo(noSuchKey({})).access).toEqual({ receiver: 'abc', key: 'k' });
    expect(celErrorInfo(noSuchKey({ args: [{ start: 0, end: 3, checkedType: { name: 7 } }, 'k'] })).access).toEqual({ receiver: 'abc', key: 'k' });
    expect(celErrorInfo(noSuchKey({ args: [{ start: 1, end: 2, checkedType: { name: 'T' } }, 'k'] })).access).toEqual({ receiver: 'b', key: 'k', receiverType: 'T' });
  });

  it.each([
    ['no node', { node: undefined }],
    ['args not a list', { node: { op: '.', args: 'x', input: 'abc.k' } }],
    ['no receiver', { node: { op: '.', args: [undefined, 'k'], input: 'abc.k' } }],
    ['a key that is not text', { node: { op: '.', args: [{ start: 0, end: 3 }, 5], input: 'abc.k' } }],
    ['an index whose literal is not text', { node: { op: '[]', args: [{ start: 0, end: 3 }, { args: 5 }], input: 'abc.k' } }],
    ['a receiver without a start', { node: { op: '.', args: [{ end: 3 }, 'k'], input: 'abc.k' } }],
    ['a receiver without an end', { node: { op: '.', args: [{ start: 0 }, 'k'], input: 'abc.k' } }],
    ['no input text', { node: { op: '.', args: [{ start: 0, end: 3 }, 'k'] } }],
    ['input that is not text', { node: { op: '.', args: [{ start: 0, end: 3 }, 'k'], input: 42 } }],
    ['an index without its literal', { node: { op: '[]', args: [{ start: 0, end: 3 }], input: 'abc.k' } }],
    ['another code', { code: 'no_such_overload' }],
  ])('%s: no access, and the rest of the error is kept', (_what, spoil) => {
    const info = celErrorInfo({ ...noSuchKey({}), message: 'No such key: k', ...spoil });
    expect(info).not.toHaveProperty('access');
    expect(info.summary).toBe('No such key: k');
  });

  it('a summary that is not text, a code that is not text and a message that is not text', () => {
    expect(celErrorInfo({ message: 'first\n\n  second  \n', summary: 42, code: 3 })).toEqual({ code: 'error', summary: 'first', snippet: ['  second  '] });
    expect(celErrorInfo({ message: 12, code: 'x' })).toEqual({ code: 'x', summary: '[object Object]', snippet: [] });
    expect(celErrorInfo({ message: 'm', range: { start: 'a', end: 2 } })).not.toHaveProperty('range');
    expect(celErrorInfo({ message: 'm', range: { start: 0, end: '2' } })).not.toHaveProperty('range');
    expect(celErrorInfo(undefined)).toEqual({ code: 'error', summary: 'undefined', snippet: [] });
  });

  it("prefers the library's summary to the first line, and drops caret lines that are only white space", () => {
    expect(celErrorInfo({ message: 'long first line\n   \n  ^', summary: 'short' })).toEqual({ code: 'error', summary: 'short', snippet: ['  ^'] });
  });

  it('missingKeyOf reads the key after "No such key:", trimmed, and nothing from another summary', () => {
    const info = { code: 'no_such_key', summary: 'No such key:  spaced ', snippet: [] };
    expect(missingKeyOf(info)).toBe('spaced');
    expect(missingKeyOf({ ...info, summary: 'Unknown variable: x' })).toBeUndefined();
  });
});
