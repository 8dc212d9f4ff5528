/**
 * The text fast paths (compact-json.ts: canonicalJsonText, quotedPrettyJson, prettyJsonText, sortedPrettyJson) against the
 * general way they stand for, on many random values: wherever a fast path answers, its answer is
 * the general one's, byte for byte. The values are built from the parts that trip text-level JSON
 * handling: keys that start one another, sort around escapes or beyond ASCII, look like indexes or
 * are "__proto__"; strings holding quotes, backslashes, control characters, structural characters,
 * Latin-1, astral and lone surrogates; numbers in exponent form; empty and deeply nested containers.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/report/audit-common.ts';
import { canonicalJsonText, prettyJsonText, quotedPrettyJson, sortedPrettyJson } from '../../src/report/compact-json.ts';
import { indentedJson, sortKeysDeep } from '../../src/report/canonical.ts';
import { prng } from '../bench/generate-org.ts';

const KEYS = ['a', 'ab', 'abc', 'b', 'B', '_', '', 'region', 'regions', 'é', 'z', 'Z', '~', 'k"q', 'k\\b', 'new\nline', '0', '10', '2x', '-1', '__proto__', 'ü', '😀', '\ud800', '{', ',', ':'];
const STRINGS = ['', 'x', 'a"b', 'back\\slash', 'tab\there', 'nul\u0000', 'del\u007f', '{"x":[1,2]}', '],:', 'café ÿ', 'naïve\u00a0', 'logs — validated ✓', '😀', '\ud83d', 'end\\'];
const NUMBERS = [0, -0, 1, -1, 1.5, -1.5e-7, 1e21, 123456789012, 2 ** 53, Number.MIN_VALUE, 0.1 + 0.2];

function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const roll = random();
  if (depth >= 5 || roll < 0.35) {
    const scalar = random();
    if (scalar < 0.4) return pick(STRINGS);
    if (scalar < 0.7) return pick(NUMBERS);
    if (scalar < 0.85) return random() < 0.5;
    return null;
  }
  const size = Math.floor(random() * 6);
  if (roll < 0.6) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) Object.defineProperty(object, pick(KEYS), { value: randomValue(random, depth + 1), enumerable: true, configurable: true, writable: true });
  return object;
}

/** Random compact texts as JSON.stringify writes them (the spool's evidence), the same ones on every run. */
function compactTexts(count: number, seed: number): string[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => JSON.stringify(randomValue(random, 0)));
}

describe('the audit formats\' JSON text fast paths, on random values', () => {
  const texts = compactTexts(4_000, 16);

  /** Wherever `fast` answers, its answer is `general`'s of the parsed text; and it answers for most texts. */
  function answersAsGeneral(fast: (compact: string) => string | undefined, general: (value: unknown) => string): void {
    let answered = 0;
    for (const compact of texts) {
      const text = fast(compact);
      if (text === undefined) continue;
      answered++;
      expect(text, compact).toBe(general(JSON.parse(compact)));
    }
    expect(answered).toBeGreaterThan(texts.length / 3);
  }

  it('canonicalJsonText gives canonicalJson(JSON.parse(text)) whenever it answers, and answers for most', () => {
    answersAsGeneral(canonicalJsonText, canonicalJson);
  });

  it('quotedPrettyJson gives the quoted pretty text of JSON.parse(text) whenever it answers, and answers for most', () => {
    answersAsGeneral((compact) => quotedPrettyJson(compact, '```json\n', '\n```'), (value) => JSON.stringify(`\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``));
  });

  it('prettyJsonText gives JSON.stringify(JSON.parse(text), null, 2) whenever it answers, and answers for most', () => {
    answersAsGeneral(prettyJsonText, (value) => JSON.stringify(value, null, 2));
  });

  it('sortedPrettyJson gives indentedJson(sortKeysDeep(JSON.parse(text))) whenever it answers, and answers for most', () => {
    answersAsGeneral((compact) => sortedPrettyJson(compact, '    '), (value) => indentedJson(sortKeysDeep(value), '    '));
  });
});
