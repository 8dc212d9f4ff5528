import { describe, expect, it } from 'vitest';
import { describeJsonError, jsonErrorText, jsonSyntaxProblem } from '../../src/shared/json-syntax.ts';
import { parseManifest, MANIFEST_FILE } from '../../src/evidence/manifest.ts';
import { parseScpContent } from '../../src/model/scp-policy.ts';
import { UserError } from '../../src/shared/errors.ts';

function parseError(text: string): Error {
  try {
    JSON.parse(text);
  } catch (err) {
    return err as Error;
  }
  throw new Error(`${JSON.stringify(text)} is JSON`);
}

const problemOf = (text: string) => jsonSyntaxProblem(text, parseError(text));

describe('jsonSyntaxProblem: where a text stops being JSON, and what was expected there', () => {
  it.each([
    ['a trailing comma in an object', '{\n  "a": 1,\n}', 3, 1, 'expected a property name in double quotes'],
    ['a trailing comma in a list', '[1, 2,]', 1, 7, 'expected a value'],
    ['a missing comma between properties', '{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"],
    ['a missing comma between list items', '[1 2]', 1, 4, "expected ',' or ']'"],
    ['a list closed by a brace', '{"a": [1, 2}', 1, 12, "expected ',' or ']'"],
    ['a comma first in an object', '{, "a": 1}', 1, 2, "expected a property name in double quotes or '}'"],
    ['two commas in an object', '{"a": 1,, "b": 2}', 1, 9, 'expected a property name in double quotes'],
    ['a brace too many', '{"a": 1}}', 1, 9, 'expected nothing more after the JSON value'],
    ['a missing colon', '{"a" 1}', 1, 6, "expected ':' after the property name"],
    ['a value left out', '{\n  "a": 1,\n  "b": }', 3, 8, 'expected a value'],
    ['an object not closed', '{\n "a": 1', 2, 8, "expected ',' or '}'"],
    ['a list not closed', '[1,\n 2', 2, 3, "expected ',' or ']'"],
    ['a misspelt literal', '{\n "a": tru }', 2, 7, 'unexpected "tru": a JSON value is a string in double quotes, a number, true, false, null, an object or a list'],
    ['text after the value', '{"a": 1}\n garbage', 2, 2, 'unexpected "garbage": a JSON value is a string in double quotes, a number, true, false, null, an object or a list'],
    ['a byte-order mark', '\ufeff{}', 1, 1, 'unexpected "\\ufeff": a JSON value is a string in double quotes, a number, true, false, null, an object or a list'],
    ['a comment', '{\n  // why\n  "a": 1\n}', 2, 3, 'comments are not allowed in JSON'],
    ['a control character in a string', '{"a": "x\u0001"}', 1, 7, 'a control character in a string (write it as an escape such as \\n or \\t)'],
    ['a string broken over two lines', '{"a": "b\n"}', 1, 7, 'a string in quotes is not closed on its line'],
    ['a bad escape', '{"a": "\\x"}', 1, 7, 'an invalid escape (\\) in a string'],
    ['a number cut short', '{"a": 1.}', 1, 7, 'a number ends too soon'],
    ['an empty text', ' \n', 2, 1, 'the text is empty; expected a JSON value'],
  ])('%s', (_name, text, line, column, reason) => {
    expect(problemOf(text)).toEqual({ line, column, reason });
  });

  it('answers the same whatever V8 said (Node 20 quotes a snippet, Node 22 adds its own line and column)', () => {
    const text = '{\n  "a": 1,\n  "b": }';
    const node20 = new SyntaxError('Unexpected token \'}\', ..."1,\n  "b": }" is not valid JSON');
    const node22 = new SyntaxError('Unexpected token \'}\', ..."1,\n  "b": }" is not valid JSON (line 3 column 8)');
    expect(describeJsonError(text, node20)).toEqual(describeJsonError(text, node22));
    expect(describeJsonError(text, node20)).toEqual({ line: 3, column: 8, reason: 'expected a value' });
  });

  it('finds a place for every text JSON.parse refuses, and none where it accepts (mutations of a valid text)', () => {
    const valid = JSON.stringify({ a: [1, 2.5, -3e2, true, false, null, 'x"y\\\u00e9'], b: { c: 'd', e: [], f: {} } }, null, 2);
    const alphabet = '{}[],:"\\ \n\t0123456789.-+eEtrufalsn\u0001x';
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const at = random(valid.length);
      const kind = random(3);
      const char = alphabet[random(alphabet.length)]!;
      const text = kind === 0 ? valid.slice(0, at) + valid.slice(at + 1) : valid.slice(0, at) + char + valid.slice(at + (kind === 1 ? 0 : 1));
      let error: Error | undefined;
      try {
        JSON.parse(text);
      } catch (err) {
        error = err as Error;
      }
      const problem = jsonSyntaxProblem(text, error);
      if (error) refused++;
      expect(problem === undefined, JSON.stringify(text)).toBe(error === undefined);
      if (problem) {
        expect(problem.line).toBeGreaterThanOrEqual(1);
        expect(problem.line).toBeLessThanOrEqual(text.split('\n').length);
        expect(problem.column).toBeGreaterThanOrEqual(1);
      }
    }
    expect(refused).toBeGreaterThan(5_000);
  });

  it("falls back to V8's own position and words (without its snippet) where jsonc-parser finds nothing wrong", () => {
    // Only a parser disagreement gets here; a valid text stands in for one.
    const text = '{\n  "a": 1\n}';
    expect(describeJsonError(text, new SyntaxError('Bad thing in JSON at position 7 (line 2 column 6)'))).toEqual({ line: 2, column: 6, reason: 'Bad thing' });
    expect(describeJsonError(text, new SyntaxError('Unexpected token \'x\', "{\n  "a": 1\n}" is not valid JSON'))).toEqual({ reason: "Unexpected token 'x'" });
  });
});

describe('JSON errors in what users give trailproof', () => {
  it("an evidence package's manifest names its line and column", () => {
    let error: unknown;
    try {
      parseManifest(Buffer.from('{\n  "format": "trailproof-evidence",\n  "version": 1\n  "tool": {}\n}\n'), 'evidence.zip');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`evidence.zip: ${MANIFEST_FILE}:4:3: invalid JSON: expected ',' or '}'`);
  });

  it("an SCP whose content is not JSON gives the same reason on every Node version (it is in the reports)", () => {
    const content = '{"Version": "2012-10-17", "Statement": [}';
    const reason = parseScpContent(content).reason;
    expect(reason).toBe('policy content is not valid JSON: line 1 column 41: expected a value');
    expect(jsonErrorText(content, new SyntaxError('whatever V8 says'))).toBe('line 1 column 41: expected a value');
  });
});
