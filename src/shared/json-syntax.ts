/**
 * Where a text stops being JSON, and what was expected there, in the same words on every Node
 * version. V8's own `JSON.parse` message is no help to someone fixing a file: Node 20 gives "at
 * position N" for some mistakes and, for others, quotes a snippet of the text (newlines and all)
 * with no position at all; Node 22 appends "(line N column M)". This is read only once a parse
 * has failed, so its cost never touches a valid file.
 */
import { type ParseErrorCode, printParseErrorCode, visit } from 'jsonc-parser';

export interface JsonSyntaxProblem {
  /** 1-based line of the text (lines end at "\n"). */
  line: number;
  /** 1-based column, in UTF-16 code units as JavaScript and most editors count them. */
  column: number;
  /** What a reader fixing the file needs to know, e.g. "expected ',' or '}'". */
  reason: string;
}

const EXPECTED: Record<ReturnType<typeof printParseErrorCode>, string> = {
  // Replaced by the text found (unexpectedText): the symbol may be a misspelt value or text after one.
  InvalidSymbol: 'unexpected text',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected ',' or '}'",
  CloseBracketExpected: "expected ',' or ']'",
  EndOfFileExpected: 'expected nothing more after the JSON value',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'a string in quotes is not closed on its line',
  UnexpectedEndOfNumber: 'a number ends too soon',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'an invalid escape (\\) in a string',
  InvalidCharacter: 'a control character in a string (write it as an escape such as \\n or \\t)',
  '<unknown ParseErrorCode>': 'not valid JSON',
};

/**
 * The first place `text` is not strict JSON (no comments, no trailing commas, no empty text), or
 * `jsonError`'s own position where the two parsers disagree (jsonc-parser takes a few more kinds
 * of whitespace than JSON does); `undefined` only where neither says where.
 */
export function jsonSyntaxProblem(text: string, jsonError?: Error): JsonSyntaxProblem | undefined {
  if (text.trim() === '') return { ...lineAndColumn(text, text.length), reason: 'the text is empty; expected a JSON value' };
  let first: { code: ParseErrorCode; offset: number; length: number; inside: Container | undefined } | undefined;
  const open: Container[] = [];
  visit(
    text,
    {
      onObjectBegin: () => void open.push('object'),
      onObjectEnd: () => void open.pop(),
      onArrayBegin: () => void open.push('list'),
      onArrayEnd: () => void open.pop(),
      onError: (code, offset, length) => {
        first ??= { code, offset, length, inside: open.at(-1) };
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (first) return { ...lineAndColumn(text, first.offset), reason: reasonOf(text, first) };
  const position = jsonError && /at position (\d+)/.exec(jsonError.message);
  if (position) return { ...lineAndColumn(text, Number(position[1])), reason: v8Reason(jsonError) };
  return undefined;
}

/** Where and why `JSON.parse(text)` failed with `jsonError`, for a message naming a file. */
export function describeJsonError(text: string, jsonError: Error): { line?: number; column?: number; reason: string } {
  return jsonSyntaxProblem(text, jsonError) ?? { reason: v8Reason(jsonError) };
}

/** "line L column C: what was expected", for a text that is not a file (an AWS answer's JSON string). */
export function jsonErrorText(text: string, jsonError: Error): string {
  const { line, column, reason } = describeJsonError(text, jsonError);
  return line === undefined ? reason : `line ${line} column ${column}: ${reason}`;
}

type Container = 'object' | 'list';

/** jsonc-parser's code in words, told apart by where it stands (a missing ',' is the same code in an object and a list). */
function reasonOf(text: string, error: { code: ParseErrorCode; offset: number; length: number; inside: Container | undefined }): string {
  const name = printParseErrorCode(error.code);
  if (name === 'InvalidSymbol') return unexpectedText(text.slice(error.offset, error.offset + error.length));
  if (name === 'CommaExpected' && error.inside) return EXPECTED[error.inside === 'object' ? 'CloseBraceExpected' : 'CloseBracketExpected'];
  // "{," is reported as a value missing; what is missing is a property name (or the "}").
  if (name === 'ValueExpected' && error.inside === 'object' && lastTokenBefore(text, error.offset) === '{') return "expected a property name in double quotes or '}'";
  return EXPECTED[name];
}

/** The last character before `offset` that is not JSON whitespace (no copy of a text that may be a whole report). */
function lastTokenBefore(text: string, offset: number): string | undefined {
  let at = offset - 1;
  while (at >= 0 && ' \t\r\n'.includes(text[at]!)) at--;
  return at >= 0 ? text[at] : undefined;
}

function unexpectedText(found: string): string {
  const shown = found.length > 24 ? `${found.slice(0, 24)}...` : found;
  const quoted = JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `unexpected ${quoted}: a JSON value is a string in double quotes, a number, true, false, null, an object or a list`;
}

/** V8's message up to the quoted snippet Node 20 adds and the "(line N column M)" Node 22 adds. */
function v8Reason(err: Error): string {
  return err.message
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, '')
    .replace(/ in JSON at position \d+$/, '');
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
