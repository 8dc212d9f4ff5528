/**
 * CloudWatch Logs filter patterns for JSON log events ("Filter pattern syntax for metric filters"),
 * evaluated offline so a snapshot can be re-judged without AWS: `{ ($.eventName = StopLogging) ||
 * ($.eventName = "DeleteTrail") }`.
 *
 * Supported, as documented: selectors `$.a.b` and `$.a[0]`; `=` / `!=` against quoted or bare
 * strings with a leading and/or trailing `*` wildcard (an inner `*` is literal); numeric `=`, `!=`,
 * `<`, `>`, `<=`, `>=`; `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`; `&&`, `||` (`&&` binds
 * tighter) and parentheses; the empty pattern, which matches every event.
 *
 * Anything else (term and space-delimited patterns, `%regex%` values, selectors we do not know) is
 * an unknown with the reason, never a guess: a detective control we cannot read is not proven to
 * work. Where the documentation leaves a case open (a numeric comparison on a JSON string, `=` on a
 * JSON boolean), that comparison is unknown too; `&&` and `||` follow three-valued logic, so an
 * unknown that cannot change the outcome does not make the whole pattern unknown.
 */
import { known, unknownBecause, type Known } from './known.ts';
import { allTrue, anyTrue } from './known-logic.ts';
import type { JsonValue } from './tamper-events.ts';

type Selector = (string | number)[];
type Comparison =
  | { kind: 'text'; selector: Selector; negated: boolean; text: string }
  | { kind: 'number'; selector: Selector; op: '=' | '!=' | '<' | '>' | '<=' | '>='; number: number; text: string }
  | { kind: 'is'; selector: Selector; what: 'TRUE' | 'FALSE' | 'NULL' }
  | { kind: 'not-exists'; selector: Selector };
type Combination = { kind: 'and' | 'or'; parts: Expression[] };
type Expression = Comparison | Combination;

export type FilterPattern = { matchesAll: true } | { matchesAll: false; expression: Expression };

/** The JSON number syntax the documentation gives for numeric filters (sign, decimals, exponent). */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
/** Characters a value may carry unquoted; others need double quotes, so AWS would refuse the pattern. */
const BARE_VALUE = /^[A-Za-z0-9_\-.*+:/]+$/;

class PatternError extends Error {}

/** Parses a filter pattern once; the result is evaluated against many log events. */
export function parseFilterPattern(pattern: string): Known<FilterPattern> {
  const text = pattern.trim();
  if (text === '') return known({ matchesAll: true });
  if (!text.startsWith('{')) {
    return unknownBecause(`filter pattern ${quote(pattern)} is not a JSON filter pattern ({ … }); term and space-delimited patterns are not evaluated`);
  }
  try {
    return known({ matchesAll: false, expression: new Parser(text).parse() });
  } catch (error) {
    if (error instanceof PatternError) return unknownBecause(`filter pattern ${quote(pattern)} is not understood: ${error.message}`);
    throw error;
  }
}

/** Whether a log event (its message parsed as JSON) matches; unknown if the pattern or a comparison cannot be judged. */
export function filterPatternMatches(pattern: Known<FilterPattern>, event: JsonValue): Known<boolean> {
  if (pattern.value === undefined) return unknownBecause(pattern.reason);
  if (pattern.value.matchesAll) return known(true);
  return evaluate(pattern.value.expression, event);
}

/** Parses and evaluates in one step (tests, one-off checks). */
export const matchFilterPattern = (pattern: string, event: JsonValue): Known<boolean> => filterPatternMatches(parseFilterPattern(pattern), event);

const quote = (text: string) => JSON.stringify(text);

class Parser {
  private at = 0;
  constructor(private readonly text: string) {}

  parse(): Expression {
    this.expect('{');
    const expression = this.or();
    this.expect('}');
    this.skipSpace();
    if (this.at < this.text.length) this.fail(`unexpected ${quote(this.text.slice(this.at))} after the closing brace`);
    return expression;
  }

  private or(): Expression {
    const parts = [this.and()];
    while (this.accept('||')) parts.push(this.and());
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  private and(): Expression {
    const parts = [this.operand()];
    while (this.accept('&&')) parts.push(this.operand());
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }

  private operand(): Expression {
    if (this.accept('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Comparison {
    const selector = this.selector();
    if (this.acceptWord('IS')) {
      for (const what of ['TRUE', 'FALSE', 'NULL'] as const) if (this.acceptWord(what)) return { kind: 'is', selector, what };
      this.fail('expected TRUE, FALSE or NULL after IS');
    }
    if (this.acceptWord('NOT')) {
      if (this.acceptWord('EXISTS')) return { kind: 'not-exists', selector };
      this.fail('expected EXISTS after NOT');
    }
    const op = (['!=', '<=', '>=', '=', '<', '>'] as const).find((o) => this.accept(o));
    if (op === undefined) this.fail('expected =, !=, <, >, <=, >=, IS or NOT EXISTS after the selector');
    const { text, quoted } = this.value();
    if (!quoted && NUMBER.test(text)) return { kind: 'number', selector, op, number: Number(text), text };
    if (op !== '=' && op !== '!=') this.fail(`${op} needs a number, not ${quote(text)}`);
    return { kind: 'text', selector, negated: op === '!=', text };
  }

  /** `$` then `.name` and `[index]` steps; names are letters, digits, `-` and `_`. */
  private selector(): Selector {
    this.skipSpace();
    if (this.text[this.at] !== '$') this.fail('expected a selector starting with $');
    this.at++;
    const steps: Selector = [];
    for (;;) {
      const rest = this.text.slice(this.at);
      const name = /^\.([A-Za-z0-9_-]+)/.exec(rest);
      const index = /^\[(\d+)\]/.exec(rest);
      if (name) steps.push(name[1]!);
      else if (index) steps.push(Number(index[1]));
      else if (/^[.[]/.test(rest)) this.fail(`selector step ${quote(rest.split(/[\s=!<>)]/)[0]!)} is not a .name or [index]`);
      else break;
      this.at += (name ?? index)![0].length;
    }
    if (steps.length === 0) this.fail('the selector $ names no property');
    return steps;
  }

  private value(): { text: string; quoted: boolean } {
    this.skipSpace();
    if (this.text[this.at] === '"') {
      let text = '';
      for (this.at++; this.at < this.text.length; this.at++) {
        const c = this.text[this.at]!;
        if (c === '"') {
          this.at++;
          return { text, quoted: true };
        }
        if (c === '\\' && this.at + 1 < this.text.length) text += this.text[++this.at];
        else text += c;
      }
      this.fail('the quoted value is not closed');
    }
    const bare = /^[^\s()&|{}"]+/.exec(this.text.slice(this.at));
    if (!bare) this.fail('expected a value');
    const text = bare[0];
    if (/^%.*%$/.test(text)) this.fail(`regular-expression values (${text}) are not evaluated`);
    if (!BARE_VALUE.test(text)) this.fail(`the unquoted value ${quote(text)} has characters that need double quotes`);
    this.at += text.length;
    return { text, quoted: false };
  }

  private skipSpace() {
    while (this.at < this.text.length && /\s/.test(this.text[this.at]!)) this.at++;
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private acceptWord(word: string): boolean {
    this.skipSpace();
    const match = new RegExp(`^${word}(?![A-Za-z0-9_])`).exec(this.text.slice(this.at));
    if (!match) return false;
    this.at += word.length;
    return true;
  }

  private expect(token: string) {
    if (!this.accept(token)) this.fail(`expected ${quote(token)}`);
  }

  private fail(message: string): never {
    throw new PatternError(`${message} at character ${this.at + 1}`);
  }
}

type Lookup = { found: false } | { found: true; value: JsonValue };

function lookup(event: JsonValue, selector: Selector): Lookup {
  let value: JsonValue = event;
  for (const step of selector) {
    if (typeof step === 'number') {
      if (!Array.isArray(value) || step >= value.length) return { found: false };
      value = value[step]!;
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return { found: false };
      value = value[step]!;
    }
  }
  return { found: true, value };
}

const selectorText = (selector: Selector) => `$${selector.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;

/** `*` at either end of the value is a wildcard; elsewhere it is a literal character. */
function textMatches(actual: string, pattern: string): boolean {
  if (pattern === '*') return true;
  const leading = pattern.startsWith('*');
  const trailing = pattern.length > 1 && pattern.endsWith('*');
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return actual.includes(core);
  if (leading) return actual.endsWith(core);
  if (trailing) return actual.startsWith(core);
  return actual === core;
}

function compare(comparison: Comparison, event: JsonValue): Known<boolean> {
  const at = lookup(event, comparison.selector);
  switch (comparison.kind) {
    case 'not-exists':
      return known(!at.found);
    case 'is':
      if (!at.found) return known(false);
      return known(at.value === { TRUE: true, FALSE: false, NULL: null }[comparison.what]);
    case 'text':
    case 'number': {
      // The selector must reach a value node: an absent field, an array, an object or null matches
      // neither = nor != (the documentation's "JSON special considerations").
      if (!at.found || at.value === null || typeof at.value === 'object') return known(false);
      const actual = at.value;
      if (typeof actual === 'boolean') {
        return unknownBecause(`${selectorText(comparison.selector)} is a JSON boolean; the documentation defines only IS TRUE / IS FALSE for booleans`);
      }
      if (comparison.kind === 'text') return known(textMatches(String(actual), comparison.text) !== comparison.negated);
      if (typeof actual === 'string') {
        if (comparison.op === '=' || comparison.op === '!=') return known((actual === comparison.text) !== (comparison.op === '!='));
        return unknownBecause(`${selectorText(comparison.selector)} is a JSON string; the documentation does not say how ${comparison.op} compares a string with a number`);
      }
      return known(numeric(actual, comparison.op, comparison.number));
    }
  }
}

function numeric(actual: number, op: '=' | '!=' | '<' | '>' | '<=' | '>=', limit: number): boolean {
  switch (op) {
    case '=':
      return actual === limit;
    case '!=':
      return actual !== limit;
    case '<':
      return actual < limit;
    case '>':
      return actual > limit;
    case '<=':
      return actual <= limit;
    case '>=':
      return actual >= limit;
  }
}

const isCombination = (expression: Expression): expression is Combination => expression.kind === 'and' || expression.kind === 'or';

function evaluate(expression: Expression, event: JsonValue): Known<boolean> {
  if (!isCombination(expression)) return compare(expression, event);
  const parts = expression.parts.map((part) => evaluate(part, event));
  return expression.kind === 'or' ? anyTrue(parts) : allTrue(parts);
}
