/**
 * The report writer's writes go on behind generation (src/report/write-behind.ts): a format keeps
 * generating while its earlier bytes are still being written or its file is still opening, and
 * waits only when all its buffers are in flight. The file system here is the real one, except for
 * the files a test holds: their opens and writes wait until the test lets them go (or fails them),
 * and each write takes only half of what it is asked, so every write is short.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sarifFormatter } from '../../src/report/sarif.ts';
import type { Formatter, ReportFile } from '../../src/report/types.ts';
import { WRITE_BUFFER_BYTES, WRITE_BUFFERS } from '../../src/report/write-behind.ts';
import { tempName, writeFormats } from '../../src/report/write-formats.ts';
import { UserError } from '../../src/shared/errors.ts';
import { collectGarbageNow } from '../../src/shared/full-collection.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

/** A held file: its open and writes wait for the test. */
class HeldFile {
  private readonly waiting: { release(): void; fail(code: string): void }[] = [];
  private openGate: Promise<void> | undefined;
  private letOpen: (() => void) | undefined;
  private letWritesGo = false;
  private wrote: (() => void) | undefined;
  /** Settles when the first write is held. */
  readonly firstWrite = new Promise<void>((resolve) => (this.wrote = resolve));
  openFails: string | undefined;
  writesAfterClose = 0;
  closed = false;

  holdOpen(): void {
    this.openGate = new Promise((resolve) => (this.letOpen = resolve));
  }

  releaseOpen(): void {
    this.letOpen?.();
  }

  get heldWrites(): number {
    return this.waiting.length;
  }

  /** The writes held go on, and those to come are no longer held (each still short). */
  letGo(): void {
    this.letWritesGo = true;
    for (const write of this.waiting.splice(0)) write.release();
  }

  failWrites(code: string): void {
    for (const write of this.waiting.splice(0)) write.fail(code);
  }

  async open(real: () => Promise<FileHandle>): Promise<FileHandle> {
    await this.openGate;
    if (this.openFails) throw Object.assign(new Error(this.openFails), { code: this.openFails });
    const handle = await real();
    const write = (data: Buffer, offset: number) => {
      if (this.closed) this.writesAfterClose++;
      const short = () => handle.write(data, offset, Math.ceil((data.length - offset) / 2));
      if (this.letWritesGo) return short();
      return new Promise((resolve, reject) => {
        this.waiting.push({ release: () => resolve(short()), fail: (code) => reject(Object.assign(new Error(code), { code })) });
        this.wrote?.();
      });
    };
    const close = () => {
      this.closed = true;
      return handle.close();
    };
    return { write, close } as unknown as FileHandle;
  }
}

const held = vi.hoisted(() => new Map<string, { open(real: () => Promise<unknown>): Promise<unknown> }>());

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const open = (path: string, flags: string) => {
    const file = held.get(String(path));
    return file ? file.open(() => real.open(path, flags)) : real.open(path, flags);
  };
  return { ...real, open, default: { ...real, open } };
});

/** Lets the event loop turn `count` times: whatever needs no I/O to go on has gone on. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
}

const CHUNK = 100_000;

/** A format of one file, `count` chunks of CHUNK characters (each chunk its own letter): counts the chunks pulled. */
function countedFormat(name: string, count: number): Formatter & { pulled: number; text: string } {
  const chunks = Array.from({ length: count }, (_, i) => String.fromCharCode(97 + (i % 26)).repeat(CHUNK));
  const format = {
    name,
    fileName: `${name}.txt`,
    description: 'test',
    pulled: 0,
    text: chunks.join(''),
    render: () => format.text,
    *renderChunks() {
      for (const chunk of chunks) {
        format.pulled++;
        yield chunk;
      }
    },
  };
  return format;
}

/** A paged format: `pages` files under pages/, each of two short chunks; `reached(n)` settles once its n-th page has started. */
function pagedFormat(pages: number): Formatter & { started: number; page(i: number): string; reached(n: number): Promise<void> } {
  const page = (i: number) => `<page ${i}>`.repeat(1_000);
  const waiting: { n: number; resolve(): void }[] = [];
  const format = {
    name: 'paged',
    fileName: 'pages/page-0.txt',
    description: 'test',
    started: 0,
    page,
    reached: (n: number) => new Promise<void>((resolve) => (format.started >= n ? resolve() : waiting.push({ n, resolve }))),
    render: () => '',
    *renderFiles(): Iterable<ReportFile> {
      for (let i = 0; i < pages; i++) {
        const chunks = function* () {
          format.started = Math.max(format.started, i + 1);
          for (const w of waiting) if (format.started >= w.n) w.resolve();
          yield page(i).slice(0, 500);
          yield page(i).slice(500);
        };
        yield { path: `pages/page-${i}.txt`, chunks: chunks() };
      }
    },
  };
  return format;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-behind-'));
  held.clear();
});
afterEach(() => {
  held.clear();
  rmSync(dir, { recursive: true, force: true });
});

function hold(file: string): HeldFile {
  const heldFile = new HeldFile();
  held.set(tempName(join(dir, file)), heldFile);
  return heldFile;
}

describe('writeFormats writes behind generation', () => {
  it('goes on generating while a write is in flight, waits when every buffer is, and writes every byte in order', async () => {
    const format = countedFormat('fast', 40);
    const file = hold('fast.txt');
    const writing = writeFormats(sampleResult(), [format], dir, {});

    await file.firstWrite;
    await turns(200);
    // The first buffer is still being written: generation went on past it (and the chunk that did not fit)...
    expect(file.heldWrites).toBe(1);
    expect(format.pulled * CHUNK).toBeGreaterThan(WRITE_BUFFER_BYTES + CHUNK);
    // ...but no further than its buffers hold: memory stays bounded while the writes lag.
    expect(format.pulled * CHUNK).toBeLessThanOrEqual(WRITE_BUFFERS * WRITE_BUFFER_BYTES + CHUNK);

    file.letGo();
    const { written, failures } = await writing;
    expect(failures).toEqual([]);
    expect(written).toEqual([{ format: 'fast', file: join(dir, 'fast.txt'), bytes: format.text.length }]);
    expect(readFileSync(join(dir, 'fast.txt'), 'utf8')).toBe(format.text);
    expect(file.writesAfterClose).toBe(0);
    expect(readdirSync(dir)).toEqual(['fast.txt']);
  });

  it('a write that fails while generation goes on fails its format only: its writes in flight end first, and no temporary file is left', async () => {
    writeFileSync(join(dir, 'fast.txt'), 'previous');
    const format = countedFormat('fast', 40);
    const file = hold('fast.txt');
    const writing = writeFormats(sampleResult(), [format, sarifFormatter], dir, {});

    await file.firstWrite;
    await turns(200);
    expect(format.pulled * CHUNK).toBeGreaterThan(WRITE_BUFFER_BYTES + CHUNK);
    file.failWrites('ENOSPC');

    const { written, failures } = await writing;
    expect(failures).toHaveLength(1);
    expect(failures[0]!.format).toBe('fast');
    expect(failures[0]!.error).toBeInstanceOf(UserError);
    expect(failures[0]!.error.message).toBe(`${join(dir, 'fast.txt')}: cannot write report: ENOSPC`);
    expect(written.map((w) => w.format)).toEqual(['sarif']);
    expect(format.pulled * CHUNK).toBeLessThanOrEqual(WRITE_BUFFERS * WRITE_BUFFER_BYTES + 2 * CHUNK); // the format stopped at its next buffer
    expect(file.heldWrites).toBe(0);
    expect(file.closed).toBe(true);
    expect(file.writesAfterClose).toBe(0);
    expect(readFileSync(join(dir, 'fast.txt'), 'utf8')).toBe('previous');
    expect(readdirSync(dir).sort()).toEqual(['fast.txt', 'trailproof.sarif']);
  });

  it('a paged format goes on to its next pages while a page is still opening and being written, and puts them all in place in order', async () => {
    const format = pagedFormat(4);
    const first = hold('pages/page-0.txt');
    first.holdOpen();
    const writing = writeFormats(sampleResult(), [format], dir, {});

    // Page 0 has not opened yet, and the next pages are generated meanwhile.
    await format.reached(3);
    expect(first.closed).toBe(false);

    first.releaseOpen();
    await first.firstWrite;
    first.letGo();
    const { written, failures } = await writing;
    expect(failures).toEqual([]);
    expect(written.map((w) => w.file)).toEqual([0, 1, 2, 3].map((i) => join(dir, 'pages', `page-${i}.txt`)));
    for (let i = 0; i < 4; i++) expect(readFileSync(join(dir, 'pages', `page-${i}.txt`), 'utf8')).toBe(format.page(i));
    expect(readdirSync(join(dir, 'pages')).sort()).toEqual(['page-0.txt', 'page-1.txt', 'page-2.txt', 'page-3.txt']);
  });

  it('holds nothing of a page\'s making once its chunks are all pulled, while its last write is still in flight', async () => {
    // Each page's chunks are made from an object of its own (a page of verdicts, as HTML's), held by the page's generator.
    const made: WeakRef<object>[] = [];
    function* pageChunks(source: { text: string }): Generator<string> {
      yield source.text;
    }
    const paged: Formatter = {
      name: 'paged',
      fileName: 'pages/page-0.txt',
      description: 'test',
      render: () => '',
      *renderFiles(): Iterable<ReportFile> {
        for (let i = 0; i < 3; i++) {
          const source = { text: `<page ${i}>`.repeat(100) };
          made.push(new WeakRef(source));
          yield { path: `pages/page-${i}.txt`, chunks: pageChunks(source) };
        }
      },
    };
    const first = hold('pages/page-0.txt');
    const writing = writeFormats(sampleResult(), [paged], dir, {});

    await first.firstWrite;
    await turns(50);
    expect(made).toHaveLength(3);
    expect(first.closed).toBe(false);
    collectGarbageNow();
    expect(made[0]!.deref()).toBeUndefined();

    first.letGo();
    const { failures } = await writing;
    expect(failures).toEqual([]);
    expect(readFileSync(join(dir, 'pages', 'page-0.txt'), 'utf8')).toBe('<page 0>'.repeat(100));
  });

  it('a page that cannot be opened fails its format with a UserError naming it, after its other pages started: none is left behind, the other formats are written', async () => {
    mkdirSync(join(dir, 'pages'));
    writeFileSync(join(dir, 'pages', 'page-0.txt'), 'previous');
    const format = pagedFormat(4);
    const second = hold('pages/page-1.txt');
    second.holdOpen();
    second.openFails = 'EACCES';
    const writing = writeFormats(sampleResult(), [format, sarifFormatter], dir, {});

    await format.reached(3);
    second.releaseOpen();

    const { written, failures } = await writing;
    expect(failures.map((f) => [f.format, f.error.message])).toEqual([['paged', `${join(dir, 'pages', 'page-1.txt')}: cannot write report: EACCES`]]);
    expect(failures[0]!.error).toBeInstanceOf(UserError);
    expect(written.map((w) => w.format)).toEqual(['sarif']);
    expect(readdirSync(join(dir, 'pages'))).toEqual(['page-0.txt']);
    expect(readFileSync(join(dir, 'pages', 'page-0.txt'), 'utf8')).toBe('previous');
  });
});
