/**
 * A report file written behind its generation: its chunks are encoded into a buffer, and a full
 * buffer is handed to a write (a system call on libuv's thread pool) while the format goes on
 * filling another. Generation waits only when every buffer of its format is still being written,
 * so memory stays bounded (WRITE_BUFFERS × WRITE_BUFFER_BYTES per format) and the write's cost,
 * high on a slow page cache, overlaps the formatter's instead of following it.
 */
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../shared/errors.ts';

/** Chunks are encoded into buffers of this size, each written when full: few system calls. */
export const WRITE_BUFFER_BYTES = 1 << 20;
/**
 * Buffers per format: one fills while the other is written. Eight cut the formats' waits for a
 * buffer on one thread at 10,000 accounts (0.9–2.6 s → 0.6 s in one run; four 0.9–2.6 s) but
 * moved no wall time on the shared 2-core machine, where the writes' own CPU is what lags; two
 * keep the buffers at 16 MB for all 8 formats (docs/operations/scale-measurements.md, eighteenth
 * round).
 */
export const WRITE_BUFFERS = 2;

/** The name a file is written under until its whole format is written. */
export const tempName = (file: string) => `${file}.${process.pid}.tmp`;

export function cannotWrite(file: string, err: unknown): UserError {
  return new UserError(`${file}: cannot write report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
}

/**
 * One format's write buffers, shared by its files (it writes one at a time, but the previous one's
 * last writes may still be in flight), and the format's first failed write: after it, nothing more
 * of the format is written and its next buffer or finish throws it.
 */
export class WriteBuffers {
  failure: UserError | undefined;
  private readonly free: Buffer[] = [];
  private made = 0;
  private waiting: (() => void) | undefined;

  constructor(
    private readonly count = WRITE_BUFFERS,
    readonly size = WRITE_BUFFER_BYTES,
  ) {}

  /** A buffer to fill: a free one, a new one while fewer than `count` exist, or the next one a write gives back. */
  take(): Buffer | Promise<Buffer> {
    const free = this.free.pop();
    if (free) return free;
    if (this.made < this.count) {
      this.made++;
      return Buffer.allocUnsafe(this.size);
    }
    // The format takes its buffers one at a time: one waiter at most.
    return new Promise((resolve) => {
      this.waiting = () => resolve(this.free.pop()!);
    });
  }

  /** A buffer whose write is over (done or failed). */
  give(buffer: Buffer): void {
    this.free.push(buffer);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}

/** A file written whole under its temporary name, not yet renamed into place. */
export interface Pending {
  format: string;
  file: string;
  temp: string;
  bytes: number;
}

/** One file streamed to its temporary name; a large report never becomes one string. */
export class TempFile {
  /**
   * The file's chunks still to pull; dropped once the file is finished or abandoned, while its last
   * writes may still be in flight. A finished generator keeps its locals: a paged HTML report's
   * page held its 500 verdicts (and their rows and evidence texts) until its write was done, two
   * to three pages at a time, long enough that V8 promoted them to its old generation.
   */
  private chunks: Iterator<string> | undefined;
  private buffer: Buffer | undefined;
  private used = 0;
  private bytes = 0;
  private handle: FileHandle | undefined;
  /**
   * The file's opening, then its writes, one after the other in the order queued. Never rejects:
   * a failure goes to `buffers.failure`, and after one nothing more of the format is written.
   */
  private writes: Promise<void>;

  private constructor(
    readonly format: string,
    readonly file: string,
    chunks: Iterator<string>,
    opening: Promise<FileHandle>,
    private readonly buffers: WriteBuffers,
  ) {
    this.chunks = chunks;
    this.writes = opening.then(
      (handle) => {
        this.handle = handle;
      },
      (err: unknown) => {
        buffers.failure ??= cannotWrite(file, err);
      },
    );
  }

  /**
   * Opens the file's temporary name behind the format's first chunks, as it writes them: a paged
   * report opens hundreds of files, and waiting for each open left the thread idle. `folders` are
   * the folders this format makes (each once), to wait for before a file is opened in one.
   */
  static start(format: string, file: string, chunks: Iterable<string>, buffers: WriteBuffers, folders: Map<string, Promise<unknown>>): TempFile {
    const folder = dirname(file);
    let made = folders.get(folder);
    if (!made) {
      made = mkdir(folder, { recursive: true });
      // Each file in the folder fails with this error when it opens; it is not unhandled meanwhile.
      made.catch(() => undefined);
      folders.set(folder, made);
    }
    return new TempFile(format, file, chunks[Symbol.iterator](), made.then(() => open(tempName(file), 'w')), buffers);
  }

  /** The file's next chunk from its format. */
  nextChunk(): IteratorResult<string> {
    return this.chunks!.next();
  }

  /** Buffers the chunk; a promise only when it needs the next buffer (which may be in flight). */
  put(chunk: string): Promise<void> | undefined {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.buffer && chunk.length * 3 <= this.buffer.length - this.used) {
      this.used += this.buffer.write(chunk, this.used, 'utf8');
      return undefined;
    }
    return this.putInNextBuffer(chunk);
  }

  private async putInNextBuffer(chunk: string): Promise<void> {
    this.writeBehind();
    if (chunk.length * 3 > this.buffers.size) {
      // Larger than any buffer: written from its own, and awaited, so that such chunks never pile up.
      this.queueWrite(Buffer.from(chunk, 'utf8'));
      await this.writes;
    } else {
      const buffer = await this.buffers.take();
      this.buffer = buffer;
      this.used = buffer.write(chunk, 0, 'utf8');
    }
    if (this.buffers.failure) throw this.buffers.failure;
  }

  /** Hands the filled buffer to the file's writes; the buffers get it back when it is written. */
  private writeBehind(): void {
    const buffer = this.buffer;
    if (!buffer) return;
    this.buffer = undefined;
    if (this.used === 0) this.buffers.give(buffer);
    else this.queueWrite(buffer.subarray(0, this.used), () => this.buffers.give(buffer));
    this.used = 0;
  }

  private queueWrite(data: Buffer, written?: () => void): void {
    this.writes = this.writes.then(async () => {
      try {
        // Once the format failed (or this file did not open), nothing more of it is written.
        if (this.buffers.failure) return;
        // A write may take less than asked; write() resolves with how much it took.
        for (let offset = 0; offset < data.length; ) offset += (await this.handle!.write(data, offset)).bytesWritten;
        this.bytes += data.length;
      } catch (err) {
        this.buffers.failure ??= cannotWrite(this.file, err);
      } finally {
        written?.();
      }
    });
  }

  /** Writes what is buffered, waits for every write of the file, and closes it. */
  async finish(): Promise<Pending> {
    this.chunks = undefined;
    this.writeBehind();
    await this.writes;
    await this.handle?.close();
    if (this.buffers.failure) throw this.buffers.failure;
    return { format: this.format, file: this.file, temp: tempName(this.file), bytes: this.bytes };
  }

  /** Waits for the writes in flight, closes the file and removes it: its format failed. */
  async abandon(): Promise<void> {
    this.chunks = undefined;
    if (this.buffer) this.buffers.give(this.buffer);
    this.buffer = undefined;
    await this.writes;
    await this.handle?.close().catch(() => undefined);
    await rm(tempName(this.file), { force: true });
  }
}
