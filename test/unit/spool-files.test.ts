/**
 * The spool's line files (evaluate/spool-files.ts): pieces read back by offset are the bytes
 * written, wherever they fall against the reader's blocks, and a piece past the end is refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BLOCK_BYTES, LineWriter, PieceReader, readLines } from '../../src/evaluate/spool-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'trailproof-spool-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spool files', () => {
  it('reads back every piece written, in any order, across block boundaries and multi-byte characters', () => {
    const writer = new LineWriter(join(dir, 'pieces.jsonl'));
    const pieces: { offset: number; length: number; text: string }[] = [];
    // Sizes from a few bytes to more than a block (32 KiB) and than the writer's buffer (1 MiB).
    const sizes = [1, 7, 100, 5_000, 32_767, 32_768, 40_000, 3, 1 << 21, 12, 70_000, 9];
    sizes.forEach((size, i) => {
      const text = `${'é😀x'.repeat(Math.ceil(size / 4)).slice(0, size)}${i}`;
      const offset = writer.offset;
      const length = writer.write(`${text}\n`) - 1;
      pieces.push({ offset, length, text });
    });
    writer.close();
    const reader = new PieceReader(writer.file);
    // Backwards, then forwards twice: blocks are reused and dropped as the reader goes.
    for (const order of [[...pieces].reverse(), pieces, pieces]) {
      for (const { offset, length, text } of order) expect(reader.read(offset, length) === text).toBe(true);
    }
    expect([...readLines(writer.file)].map((line) => line.length)).toEqual(pieces.map((p) => p.text.length));
    const end = pieces[pieces.length - 1]!;
    expect(() => reader.read(end.offset, end.length + 2)).toThrow(/ends before byte/);
    expect(() => reader.read(end.offset + 40_000, 70_000)).toThrow(/ends before byte/);
    reader.close();
  });

  it('writes a line as its text and a newline, also when the text fills the buffer to its last byte', () => {
    const writer = new LineWriter(join(dir, 'lines.jsonl'));
    // The buffer (1 MiB) filled to 30 bytes before its end, each piece small enough to be buffered
    // (3 bytes a character are made room for); ten 3-byte characters then fill it exactly.
    const bufferBytes = 1 << 20;
    let filler = '';
    while (writer.offset < bufferBytes - 30) {
      const piece = 'a'.repeat(Math.min(bufferBytes - 30 - writer.offset, Math.floor((bufferBytes - writer.offset) / 3)));
      writer.write(piece);
      filler += piece;
    }
    const texts = ['€'.repeat(10), 'x', 'é😀', '€'.repeat(1 << 19)];
    const offsets = texts.map((text) => {
      const offset = writer.offset;
      expect(writer.writeLine(text)).toBe(Buffer.byteLength(text));
      return offset;
    });
    writer.close();
    expect([...readLines(writer.file)]).toEqual([`${filler}${texts[0]}`, ...texts.slice(1)]);
    const reader = new PieceReader(writer.file);
    texts.forEach((text, i) => expect(reader.read(offsets[i]!, Buffer.byteLength(text)) === text).toBe(true));
    reader.close();
  });

  it('reads ASCII blocks and blocks with other characters alike, wherever those characters fall', () => {
    // Read as Latin-1 where a whole chunk (1 MiB) or block (32 KiB) is ASCII, else as UTF-8.
    const lines = ['a'.repeat(40_000), 'b'.repeat((1 << 20) - 100), `c${'é→😀'.repeat(10)}`, 'd'.repeat(100_000), `e${'x'.repeat(70_000)}ü`, 'plain'];
    const writer = new LineWriter(join(dir, 'mixed.jsonl'));
    const places = lines.map((line) => ({ offset: writer.offset, length: writer.write(`${line}\n`) - 1 }));
    writer.close();
    expect([...readLines(writer.file)].map((line, i) => line === lines[i])).toEqual(lines.map(() => true));
    const reader = new PieceReader(writer.file);
    expect(places.map(({ offset, length }, i) => reader.read(offset, length) === lines[i])).toEqual(lines.map(() => true));
    // A piece within a block: the ASCII end of the last long line, then the line with characters beyond ASCII read again.
    expect(reader.read(places[4]!.offset + 69_000, 10)).toBe('xxxxxxxxxx');
    expect(reader.read(places[2]!.offset, places[2]!.length)).toBe(lines[2]);
    reader.close();
  });

  it("reads other files' pieces as if written at their block-aligned byte after the first file", () => {
    const write = (name: string, lines: string[]) => {
      const writer = new LineWriter(join(dir, name));
      const places = lines.map((line) => ({ offset: writer.offset, length: writer.write(`${line}\n`) - 1, line }));
      writer.close();
      return { file: writer.file, size: writer.offset, places };
    };
    const first = write('first.jsonl', ['one', 'é'.repeat(20_000), 'two']);
    const second = write('second.jsonl', ['three', 'x'.repeat(50_000), 'four😀']);
    const third = write('third.jsonl', ['five']);
    const secondAt = Math.ceil(first.size / BLOCK_BYTES) * BLOCK_BYTES;
    const thirdAt = Math.ceil((secondAt + second.size) / BLOCK_BYTES) * BLOCK_BYTES;
    const reader = new PieceReader(first.file, [
      [second.file, secondAt],
      [third.file, thirdAt],
    ]);
    const pieces = [...first.places, ...second.places.map((p) => ({ ...p, offset: p.offset + secondAt })), ...third.places.map((p) => ({ ...p, offset: p.offset + thirdAt }))];
    for (const order of [[...pieces].reverse(), pieces]) {
      for (const { offset, length, line } of order) expect(reader.read(offset, length) === line).toBe(true);
    }
    reader.close();
  });
});
