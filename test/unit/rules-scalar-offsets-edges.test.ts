/**
 * The edges of mapping a YAML scalar's value back to the file (src/rules/scalar-offsets.ts):
 * tabs, CR line ends, escaped breaks, blank lines and characters that are special in one quoting
 * style only. Each case gives the exact file offset of every character of the trimmed value, so a
 * mapping that is off by one, or that disagrees with what the YAML parser read, fails.
 */
import { describe, expect, it } from 'vitest';
import { isMap, parseDocument, Scalar, type Node } from 'yaml';
import { fileOffsetInScalar, scalarValueOffsets } from '../../src/rules/scalar-offsets.ts';

/** The value node of the one key of a YAML map, or the document's own node for a top-level scalar. */
function valueNode(text: string): Node {
  const doc = parseDocument(text);
  expect(doc.errors).toEqual([]);
  const contents = doc.contents as Node;
  return isMap(contents) ? (contents.items[0]!.value as Node) : contents;
}

/** Offsets of the characters of the value without its trailing white space (a folded block's final break is never pointed at). */
function trimmedOffsets(text: string): { value: string; offsets: number[] | undefined } {
  const node = valueNode(text) as unknown as Scalar<string>;
  const value = node.value.trimEnd();
  return { value, offsets: scalarValueOffsets(text, node as unknown as Node)?.slice(0, value.length) };
}

const CASES: [string, string, string, number[]][] = [
  // text, the value the YAML parser reads (trimmed), where each character comes from
  ['a tab before a folded line break is dropped', 'e: a\t\n  b\n', 'a b', [3, 5, 8]],
  ['a tab before a line break inside double quotes is dropped', 'e: "x\t\n  y"\n', 'x y', [4, 6, 9]],
  ['spaces and a tab opening a continuation line are skipped', 'e: "x\n  \ty"\n', 'x y', [4, 5, 9]],
  ['an empty CRLF line folds to one line break', 'e: "x\r\n\r\n  y"\r\n', 'x\ny', [4, 5, 11]],
  ['a lone CR is a character, not a line break', 'e: "a\rb"\n', 'a\rb', [4, 5, 6]],
  ['a lone CR opening a continuation line is a character', 'e: "x\n  \ry"\n', 'x \ry', [4, 5, 8, 9]],
  ['a lone CR on an otherwise blank line is a character', 'e: "x\n  \r  \n y"\n', 'x \r y', [4, 5, 8, 11, 13]],
  ['an empty CRLF line with spaces before its break folds to one line break', 'e: "x\r\n  \r\n  y"\r\n', 'x\ny', [4, 5, 13]],
  ['a lone CR in a plain continuation line is a character', 'e: x\n  \ry\n', 'x \ry', [3, 4, 7, 8]],
  ['a backslash in a plain scalar is a character', 'e: a\\tb\n', 'a\\tb', [3, 4, 5, 6]],
  ['a backslash in single quotes is a character', "e: 'a\\nb'\n", 'a\\nb', [4, 5, 6, 7]],
  ['every single-character escape YAML defines', 'e: "a\\0\\a\\b\\v\\f\\r\\e\\ \\/\\N\\_\\L\\Pz"\n', 'a\0\x07\b\v\f\r\x1b /\u0085\u00a0\u2028\u2029z', [4, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]],
  ['an escaped CRLF line break joins the lines', 'e: "abc\\\r\n    def"\r\n', 'abcdef', [4, 5, 6, 14, 15, 16]],
  ['an escaped line break then an empty line folds to a space', 'e: "abc\\\n\n  def"\n', 'abc def', [4, 5, 6, 9, 12, 13, 14]],
  ['an escaped line break skips the spaces and tab that open the next line', 'e: "abc\\\n  \tdef"\n', 'abcdef', [4, 5, 6, 12, 13, 14]],
  ['an escaped line break keeps the space before it, over a blank line', 'e: "a \\\n  \n b"\n', 'a  b', [4, 5, 10, 12]],
  ['an escaped line break at the margin takes the next line whole', '"abc\\\ndef"\n', 'abcdef', [1, 2, 3, 6, 7, 8]],
  ['two quotes in a plain scalar are two characters', "e: a''b\n", "a''b", [3, 4, 5, 6]],
  ['two quotes in double quotes are two characters', 'e: "a\'\'b"\n', "a''b", [4, 5, 6, 7]],
  ['a block literal with CRLF line ends', 'e: |\r\n  a\r\n  b\r\n', 'a\nb', [8, 9, 13]],
  ['a lone CR inside a block literal line is a character', 'e: |\n  a\rb\n', 'a\rb', [7, 8, 9]],
  ['a block literal with a blank line shorter than the indentation', 'e: |\n  a\n \n  b\n', 'a\n\nb', [7, 8, 10, 13]],
  ['a block literal whose first line starts with a tab after the indentation', 'e: |\n  \tx\n  y\n', '\tx\ny', [7, 8, 9, 12]],
  ['a folded line that starts with a tab keeps the line breaks around it', 'e: >\n  a\n  \tb\n  c\n', 'a\n\tb\nc', [7, 8, 11, 12, 13, 16]],
  ['two empty lines in a folded block are two line breaks', 'e: >\n  a\n\n\n  b\n', 'a\n\nb', [7, 9, 10, 13]],
  ['a blank line of spaces in a folded block is one line break', 'e: >\n  a\n  \n  b\n', 'a\nb', [7, 11, 14]],
  ['a folded block ending the file without a line break', 'e: >\n  a\n  b', 'a b', [7, 8, 11]],
];

describe('scalarValueOffsets at the edges', () => {
  it.each(CASES)('%s', (_case, text, value, offsets) => {
    expect(trimmedOffsets(text)).toEqual({ value, offsets });
  });

  it('maps an empty block scalar at the end of the file to nothing, and a caret in it to its start', () => {
    const text = 'e: |';
    const node = valueNode(text);
    expect(scalarValueOffsets(text, node)).toEqual([]);
    expect(fileOffsetInScalar(text, node, 0)).toBe(3);
  });

  it('has no place for a scalar that was not parsed from the text', () => {
    const made = new Scalar('a.b') as unknown as Node;
    expect(scalarValueOffsets('e: a.b\n', made)).toBeUndefined();
    expect(fileOffsetInScalar('e: a.b\n', made, 1)).toBeUndefined();
  });
});
