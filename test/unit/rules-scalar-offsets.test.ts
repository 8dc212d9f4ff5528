/**
 * Where each character of a YAML scalar's value sits in the file (src/rules/scalar-offsets.ts), so
 * that a CEL error points at the character an author wrote, whatever the scalar style.
 */
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument, type Node } from 'yaml';
import { fileOffsetInScalar, scalarValueOffsets } from '../../src/rules/scalar-offsets.ts';

/** The value node of key `e` in a one-key YAML document. */
function scalar(text: string): Node {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  const map = doc.contents;
  if (!isMap(map)) throw new Error('not a map');
  return map.items[0]!.value as Node;
}

/**
 * Every value character is at an offset holding that character, or is an escape (at its
 * backslash), or is a line break folded to a space or a newline (at the break).
 */
function explain(text: string, value: string, offsets: number[]): string[] {
  const wrong: string[] = [];
  [...value].forEach((c, k) => {
    const at = offsets[k]!;
    const there = text[at];
    const ok = there === c || there === '\\' || ((c === ' ' || c === '\n') && (there === '\n' || there === '\r')) || (c === "'" && there === "'");
    if (!ok) wrong.push(`value[${k}] ${JSON.stringify(c)} at ${at} is ${JSON.stringify(there)}`);
  });
  return wrong;
}

const CASES: [string, string][] = [
  ['plain', 'e: a.b == 1\n'],
  ['plain over lines', 'e: a.b ==\n   1 &&   \n\n   c\n'],
  ['single-quoted with a doubled quote and an empty line', "e: 'it''s a\n  b\n\n  c'\n"],
  ['double-quoted with escapes', 'e: "a\\tb \\"q\\" \\x41\\u00e9 \\\\ \\n end"\n'],
  ['double-quoted with an escaped line break', 'e: "abc\\\n    def"\n'],
  ['double-quoted over lines', 'e: "x &&\n   y"\n'],
  ['CRLF line ends', 'e: "x &&\r\n   y"\r\n'],
  ['block literal', 'e: |\n  line one\n    more\n  three\n'],
  ['block literal, keep', 'e: |+\n  a\n\n'],
  ['block literal, strip', 'e: |-\n  a\n  b\n'],
  ['block literal, explicit indentation', 'e: |2\n    a\n  b\n'],
  ['block folded', 'e: >\n  a\n  b\n\n  c\n    indented\n  d\n'],
  ['block folded, strip', 'e: >-\n  a &&\n  b\n'],
];

describe('scalarValueOffsets', () => {
  it.each(CASES)('%s: one offset per value character, each pointing at what produced it', (_style, text) => {
    const node = scalar(text);
    const value = (node as unknown as { value: string }).value;
    const offsets = scalarValueOffsets(text, node);
    expect(offsets).toBeDefined();
    expect(offsets!.length).toBeGreaterThanOrEqual(value.trimEnd().length);
    expect(explain(text, value.trimEnd(), offsets!)).toEqual([]);
    for (let k = 1; k < offsets!.length; k++) expect(offsets![k]).toBeGreaterThanOrEqual(offsets![k - 1]!);
  });

  it('points a folded character at the line break it comes from, and an escape at its backslash', () => {
    const plain = 'e: ab\n  cd\n';
    expect(scalarValueOffsets(plain, scalar(plain))).toEqual([3, 4, 5, 8, 9]);
    const escaped = 'e: "a\\nb"\n';
    expect(scalarValueOffsets(escaped, scalar(escaped))).toEqual([4, 5, 7]);
    const single = "e: 'a''b'\n";
    expect(scalarValueOffsets(single, scalar(single))).toEqual([4, 5, 7]);
    const twoEmpty = 'e: a\n\n\n  b\n';
    expect(scalarValueOffsets(twoEmpty, scalar(twoEmpty))).toEqual([3, 4, 4, 9]);
    const literal = 'e: |\n  ab\n  c\n';
    // The last entry is for the empty piece after the final break (never read: it is past the clipped value).
    expect(scalarValueOffsets(literal, scalar(literal))).toEqual([7, 8, 9, 12, 13, 14]);
  });

  it('is undefined for what is not a string scalar, or when the text is not the one parsed', () => {
    const text = 'e: [1, 2]\n';
    expect(scalarValueOffsets(text, scalar(text))).toBeUndefined();
    expect(scalarValueOffsets('e: 12\n', scalar('e: 12\n'))).toBeUndefined();
    expect(scalarValueOffsets('', undefined)).toBeUndefined();
    expect(scalarValueOffsets('e: xyz\n', scalar('e: abc\n'))).toBeUndefined();
  });
});

describe('fileOffsetInScalar', () => {
  const text = 'e: "a\\tb"\n';
  const node = scalar(text);

  it('maps a value offset, clamped to the scalar', () => {
    expect(fileOffsetInScalar(text, node, 0)).toBe(4);
    expect(fileOffsetInScalar(text, node, 1)).toBe(5);
    expect(fileOffsetInScalar(text, node, 2)).toBe(7);
    expect(fileOffsetInScalar(text, node, 99)).toBe(7);
    expect(fileOffsetInScalar(text, node, -3)).toBe(4);
  });

  it("falls back to the scalar's start when it cannot map, and to nothing without a node", () => {
    const list = 'e: [1, 2]\n';
    expect(fileOffsetInScalar(list, scalar(list), 1)).toBe(3);
    const empty = 'e: ""\n';
    expect(fileOffsetInScalar(empty, scalar(empty), 0)).toBe(3);
    expect(fileOffsetInScalar(text, undefined, 0)).toBeUndefined();
  });
});
