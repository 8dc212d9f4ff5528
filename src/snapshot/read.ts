/**
 * Reading snapshots: JSON Lines, optionally gzipped, streamed line by line so an organization of
 * thousands of accounts never sits in memory as one string. Every line is validated against the
 * published schema; any problem is a UserError naming `file:line`, the JSON path and what was
 * expected. A version-2 line's references (same-as.ts) are resolved as it is parsed: every pass
 * gives the records a version-1 line gives, a repeated answer as one object shared by its regions.
 */
import { createHash, hash as digestOf, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
import { UserError } from '../shared/errors.ts';
import { describeJsonError } from '../shared/json-syntax.ts';
import { noteLineText } from './error-free.ts';
import { resolveSameAsReferences } from './same-as.ts';
import { validateAccountLine, validateHeader, validateRecord, type LineProblem } from './schema.ts';
import type { AccountRecord, Snapshot, SnapshotHeader } from './types.ts';

/**
 * The record lines a pass yields (SnapshotSource.numberedRecords): every pass asks `has` about each
 * record line once, in file order, so a selection may decide as it is asked (the judging threads
 * claim the end of pass 2 so, evaluate/shared-tail.ts); a `size` of 0 reads nothing. A
 * ReadonlySet<number> is one.
 */
export interface LineSelection {
  readonly size: number;
  has(line: number): boolean;
}

/** A validated snapshot whose account lines can be read as many times as needed. */
export interface SnapshotSource {
  /** The file name, or a label for a snapshot built in memory; used in messages. */
  label: string;
  /**
   * SHA-256 (hex) of the file's bytes as stored (compressed if gzipped); absent in memory. A
   * snapshot opened with `validate: 'first-pass'` has it once that first pass has completed.
   */
  sha256?: string;
  /** The file the snapshot was read from (absent in memory), for another thread to reopen. */
  file?: string;
  /**
   * The file's identity (device, inode, size, modification and change times) taken before anything
   * was read; another thread that reopens the file proves with it that it reads the validated bytes.
   */
  identity?: string;
  header: SnapshotHeader;
  /** The header's line (1 unless blank lines come first); account lines follow it. */
  headerLine: number;
  /**
   * The account lines, in file order. Each call starts again from the first line (for a file it
   * re-reads the file), so the model can make two passes without holding every account.
   */
  records(): AsyncIterable<AccountRecord>;
  /**
   * The same, with the line each record is on. With `only`, just the records on the lines it
   * selects: the other lines are still read (and hashed) but neither decoded nor parsed.
   */
  numberedRecords(only?: LineSelection): AsyncIterable<NumberedRecord>;
  /**
   * The validating pass of a file (the first of one opened with `validate: 'first-pass'`), split between threads
   * by blocks of consecutive lines (lineBlocks): this thread validates and yields the records of
   * `own` (the first block) and reads and hashes every other byte; `others` are what the threads
   * that validated the following blocks saw (validatedBlock), in file order. The pass ends as
   * numberedRecords' first pass does (duplicates, scope, the file unchanged, sha256), and a bad
   * snapshot fails with the UserError a single pass gives: that of its first bad line.
   */
  validateInBlocks?(own: LineBlock, others: readonly Promise<BlockSeen>[]): AsyncIterable<NumberedRecord>;
}

/** Lines `from` to `to` of a file, 1-based and inclusive (`to` is Infinity for the last block). */
export interface LineBlock {
  from: number;
  to: number;
}

/** What a thread validating one block saw: its accounts by line, up to its first bad line (failure). */
export interface BlockSeen {
  lines: number[];
  accountIds: string[];
  failure?: LineFailure;
}

/** A snapshot's first bad line as one thread found it: the UserError's message, and its line to order it against the others'. */
export interface LineFailure {
  line: number;
  message: string;
}

/**
 * A UserError about one line of a snapshot file, or about the read that stopped at that line:
 * `line` orders what threads validating different blocks found.
 */
export class SnapshotLineError extends UserError {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * The account lines after `headerLine` in `count` consecutive blocks, of about `accounts` ÷ `count`
 * lines each, but for the first, which holds `firstExtraPercent` % more (the last block, which runs
 * to the end of the file, has what is left); each later block keeps a line where there are enough.
 */
export function lineBlocks(headerLine: number, accounts: number, count: number, firstExtraPercent = 0): LineBlock[] {
  const size = Math.max(1, Math.ceil(accounts / count));
  const first = Math.max(1, Math.min(Math.ceil((accounts * (100 + firstExtraPercent)) / (100 * count)), accounts - (count - 1)));
  return Array.from({ length: count }, (_, k) => {
    const from = headerLine + 1 + (k === 0 ? 0 : first + (k - 1) * size);
    return { from, to: k === count - 1 ? Infinity : from + (k === 0 ? first : size) - 1 };
  });
}

const inBlock = (line: number, block: LineBlock) => line >= block.from && line <= block.to;

export interface NumberedRecord {
  /** 1-based line in the file (for a snapshot in memory, the line it would have: accounts from 2). */
  line: number;
  record: AccountRecord;
  /**
   * The line's length in characters, where the pass parsed it from its text (a validating pass of a
   * file): what the record costs to keep, about half its heap (evaluate/kept-records.ts).
   */
  chars?: number;
}

export interface OpenOptions {
  /**
   * `open` (the default): every line is validated before openSnapshot returns.
   * `first-pass`: only the header is; the account lines are validated by the first pass over the
   * records, which throws the same UserErrors, and the checks that need every line (duplicates,
   * scope) run when it ends. For a caller that reads every record once before it reports anything
   * (the pipeline's first pass) this saves a whole read of the file.
   */
  validate?: 'open' | 'first-pass';
  /**
   * Called once, as soon as the header is parsed: before it is checked against the schema and
   * digested (at 100,000 accounts ~0.5 s of this thread), so that a caller may start what only
   * needs the header's shape meanwhile (evaluate/parallel.ts launchWorkers). The header is not
   * yet checked: read it defensively. One that fails its check still throws here, as without it.
   */
  onHeaderParsed?: (parsed: ParsedHeader) => void;
}

/** A snapshot file's header as parsed, before its schema check (OpenOptions.onHeaderParsed). */
export interface ParsedHeader {
  file: string;
  /** The file's identity, taken before anything was read (as SnapshotSource.identity). */
  identity: string;
  headerLine: number;
  header: unknown;
}

interface Line {
  number: number;
  text: string;
}

/**
 * Opens and validates a snapshot file (header, every account line, duplicate accounts, lines
 * missing from the scope), so a bad snapshot fails before any evaluation starts. Gzip is
 * recognised by its magic bytes, whatever the file is called.
 */
export async function openSnapshot(file: string, options: OpenOptions = {}): Promise<SnapshotSource> {
  // Taken before anything is read: a file written to after this point has another identity.
  const opened = await identityOf(file);
  const { header, headerText, headerLine } = await readHeader(file, true, (parsed, line) => options.onHeaderParsed?.({ file, identity: opened, headerLine: line, header: parsed }));
  // The header's digest, not its text (megabytes in a large organization), is what stays in memory.
  const headerDigest = digestOf('sha256', headerText, 'base64');
  let sha256: string | undefined;
  const source: SnapshotSource = {
    label: file,
    file,
    identity: opened,
    header,
    headerLine,
    records: () => recordsOf(source.numberedRecords()),
    numberedRecords: (only) => (sha256 === undefined ? validatingPass(only) : trustedPass(file, header.version, only, { opened })),
    validateInBlocks: (own, others) => validatingBlocks(own, others),
  };
  const checkHeader = (text: string) => {
    if (digestOf('sha256', text, 'base64') !== headerDigest) throw changedSinceOpened(file, `its header on line ${headerLine} changed`);
  };
  const finishValidation = async (tracker: AccountTracker, hash: Hash) => {
    tracker.checkScope(header);
    await checkUnchanged(file, opened);
    sha256 = source.sha256 = hash.digest('hex');
  };
  async function* validatingPass(only?: LineSelection): AsyncGenerator<NumberedRecord> {
    const hash = createHash('sha256');
    const tracker = new AccountTracker(file);
    for await (const parsed of parsedLines(file, hash, header, headerLine)) {
      if (parsed.kind === 'header') {
        checkHeader(parsed.text);
        continue;
      }
      tracker.see(parsed.record.accountId, parsed.line);
      if (!only || only.has(parsed.line)) yield { line: parsed.line, record: parsed.record, chars: parsed.chars };
    }
    await finishValidation(tracker, hash);
  }
  async function* validatingBlocks(own: LineBlock, others: readonly Promise<BlockSeen>[]): AsyncGenerator<NumberedRecord> {
    const hash = createHash('sha256');
    const tracker = new AccountTracker(file);
    // A read that fails after this thread's block (corrupt gzip data): another thread may have
    // found a bad line before it, which is the one to report.
    let readFailure: SnapshotLineError | undefined;
    try {
      // No line after the block is decompressed or cut (the thread of the last block reads to the
      // file's end, and its errors come with its block's): the rest is only hashed.
      for await (const parsed of parsedLines(file, hash, header, headerLine, (n) => n === headerLine || inBlock(n, own), own.to)) {
        if (parsed.kind === 'header') {
          checkHeader(parsed.text);
          continue;
        }
        tracker.see(parsed.record.accountId, parsed.line);
        yield { line: parsed.line, record: parsed.record };
      }
    } catch (err) {
      if (!(err instanceof SnapshotLineError) || err.line <= own.to) throw err;
      readFailure = err;
    }
    for (const other of others) {
      const seen = await other;
      seen.accountIds.forEach((accountId, i) => tracker.see(accountId, seen.lines[i]!));
      const failure = seen.failure;
      if (failure && !(readFailure && readFailure.line < failure.line)) throw new SnapshotLineError(failure.message, failure.line);
    }
    if (readFailure) throw readFailure;
    await finishValidation(tracker, hash);
  }
  if (options.validate !== 'first-pass') {
    for await (const _ of source.numberedRecords(NO_LINES));
  }
  return source;
}

const NO_LINES: ReadonlySet<number> = new Set();

/**
 * A snapshot that another thread validates (or has validated): the header and records are parsed,
 * not schema-checked. A pass fails with a UserError at its end when the file is not the one validated:
 * - `identity` (the validating source's): the file's identity is still that one, as in the
 *   validating thread's own later passes (no hashing);
 * - otherwise every pass hashes the bytes and fails when its hash differs from `sha256` (or, when
 *   that is not given, from the first pass's), so the caller compares `sha256` with the validated one
 *   before it trusts anything read.
 */
export async function reopenSnapshot(file: string, validated: { sha256?: string; identity?: string } = {}): Promise<SnapshotSource> {
  const { header, headerLine } = await readHeader(file, false);
  let expected = validated.sha256;
  const { identity } = validated;
  const source: SnapshotSource = {
    label: file,
    file,
    header,
    headerLine,
    records: () => recordsOf(source.numberedRecords()),
    numberedRecords: (only) =>
      trustedPass(
        file,
        header.version,
        only,
        identity !== undefined
          ? { opened: identity }
          : {
              expected,
              hashed: (digest) => {
                expected = source.sha256 = digest;
              },
            },
      ),
  };
  return source;
}

async function readHeader(file: string, validate = true, parsed?: (value: unknown, line: number) => void): Promise<{ header: SnapshotHeader; headerText: string; headerLine: number }> {
  for await (const { number, text } of textLines(file, undefined)) {
    if (text.trim() === '') continue;
    const value = parseJson(file, number, text);
    parsed?.(value, number);
    if (validate) failOn(file, number, validateHeader(value));
    return { header: value as SnapshotHeader, headerText: text, headerLine: number };
  }
  throw new UserError(`${file}: empty file: expected a snapshot header on line 1`);
}

async function* recordsOf(numbered: AsyncIterable<NumberedRecord>): AsyncGenerator<AccountRecord> {
  for await (const { record } of numbered) yield record;
}

/**
 * How a pass after the validating one proves it read the bytes that were validated.
 * - `opened`: this process (this thread or another) validated and hashed them; the file's identity
 *   (device, inode, size, modification and change times) is the same after this pass as before the
 *   first, so they were not rewritten, replaced or truncated in between (no second SHA-256 of the
 *   whole file).
 * - `expected`: another thread validated them; this pass hashes what it reads and compares.
 */
type SamenessCheck = { opened: string } | { expected: string | undefined; hashed: (sha256: string) => void };

/**
 * The account lines again, parsed but not schema-checked: the bytes were validated by an earlier
 * pass (see SamenessCheck). A file that changed since fails with a UserError at the end of the
 * pass, before any result can be reported from it.
 */
async function* trustedPass(file: string, version: number, only: LineSelection | undefined, check: SamenessCheck): AsyncGenerator<NumberedRecord> {
  const hash = 'opened' in check ? undefined : createHash('sha256');
  let sawHeader = Boolean(only); // `only` names record lines: the header is never among them
  for await (const { number, text } of textLines(file, hash, only && ((n) => only.has(n)))) {
    if (!sawHeader) {
      if (text.trim() !== '') sawHeader = true;
      continue;
    }
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw changedSinceOpened(file, `line ${number} is no longer valid JSON`);
    }
    if (version !== 1) resolveSameAsReferences(record, false);
    yield { line: number, record: record as AccountRecord };
  }
  if ('opened' in check) return checkUnchanged(file, check.opened);
  const digest = hash!.digest('hex');
  if (check.expected !== undefined && digest !== check.expected) throw changedSinceOpened(file, 'its SHA-256 differs');
  check.hashed(digest);
}

/** What changes when a file is written, truncated or replaced (timestamps to the nanosecond the file system keeps). */
async function identityOf(file: string): Promise<string> {
  try {
    const s = await stat(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch (err) {
    throw readError(file, err, false, 0);
  }
}

async function checkUnchanged(file: string, opened: string): Promise<void> {
  if ((await identityOf(file)) !== opened) throw changedSinceOpened(file, 'its size, modification time or inode changed');
}

function changedSinceOpened(file: string, how: string): UserError {
  return new UserError(`${file}: the file changed while it was being evaluated (${how}); evaluate a snapshot that is not being written`);
}

/** Reads a whole snapshot into memory: for small snapshots, tests and tools that edit one. */
export async function readSnapshotFully(file: string): Promise<Snapshot> {
  const source = await openSnapshot(file);
  const accounts: AccountRecord[] = [];
  for await (const record of source.records()) accounts.push(record);
  return { header: source.header, accounts };
}

/**
 * A snapshot already in memory (the demo, tests), validated exactly as a file would be. Messages
 * name `label:N` where N is the line the object would have in a file (header 1, accounts 2...).
 */
export function snapshotFromMemory(snapshot: Snapshot, label: string): SnapshotSource {
  failOn(label, 1, validateHeader(snapshot.header));
  const tracker = new AccountTracker(label);
  snapshot.accounts.forEach((record, index) => {
    failOn(label, index + 2, validateRecord(record));
    tracker.see(record.accountId, index + 2);
  });
  tracker.checkScope(snapshot.header);
  return {
    label,
    header: snapshot.header,
    headerLine: 1,
    async *records() {
      yield* snapshot.accounts;
    },
    async *numberedRecords(only) {
      for (const [index, record] of snapshot.accounts.entries()) {
        if (!only || only.has(index + 2)) yield { line: index + 2, record };
      }
    },
  };
}

/** The header's line comes as its text only: see parsedLine. */
type ParsedLine = { kind: 'header'; line: number; text: string } | { kind: 'record'; record: AccountRecord; line: number; chars: number };

/** Every non-blank line of the file (or those `wanted`): the header's text (on `headerLine`) first, then the records parsed and validated. */
async function* parsedLines(
  file: string,
  hash: Hash | undefined,
  header: SnapshotHeader,
  headerLine: number,
  wanted?: (line: number) => boolean,
  through?: number,
): AsyncGenerator<ParsedLine> {
  for await (const { number, text } of textLines(file, hash, wanted, through)) {
    const parsed = parsedLine(file, header.version, headerLine, number, text);
    if (parsed) yield parsed;
  }
}

function parsedLine(file: string, version: number, headerLine: number, number: number, text: string): ParsedLine | undefined {
  if (text.trim() === '') return undefined;
  // Neither parsed nor validated again (megabytes at 10,000 accounts): openSnapshot validated the
  // header, and the pass refuses a header whose text is not that one (checkHeader).
  if (number === headerLine) return { kind: 'header', line: number, text };
  const value = parseJson(file, number, text);
  failOn(file, number, validateAccountLine(value, version));
  noteLineText(value as AccountRecord, text);
  return { kind: 'record', record: value as AccountRecord, line: number, chars: text.length };
}

/**
 * The account records of one block of lines (lineBlocks), parsed and validated, for a thread
 * that validates that block while another reads the whole file (validateInBlocks): a bad line is a
 * SnapshotLineError. The file is read up to the block's end; it is neither hashed nor checked
 * unchanged here (the thread that reads it whole does both once every block is in).
 */
export async function* validatedBlock(file: string, header: SnapshotHeader, headerLine: number, block: LineBlock): AsyncGenerator<NumberedRecord> {
  // The line after the block is decoded only to stop there.
  for await (const { number, text } of textLines(file, undefined, (n) => n >= block.from)) {
    if (number > block.to) return;
    const parsed = parsedLine(file, header.version, headerLine, number, text);
    if (parsed?.kind === 'record') yield { line: number, record: parsed.record };
  }
}

function parseJson(file: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // A snapshot line is one line of text: the column is where on it.
    const { column, reason } = describeJsonError(text, err as Error);
    throw new SnapshotLineError(`${file}:${line}${column === undefined ? '' : `:${column}`}: invalid JSON: ${reason}`, line);
  }
}

function failOn(label: string, line: number, problem: LineProblem | undefined): void {
  if (!problem) return;
  const where = problem.pointer === '' ? '' : `${problem.pointer}: `;
  throw new SnapshotLineError(`${label}:${line}: ${where}${problem.message}`, line);
}

/** Remembers where each account was seen, to refuse duplicates and lines missing from scope. */
class AccountTracker {
  private readonly lines = new Map<string, number>();

  constructor(private readonly label: string) {}

  see(accountId: string, line: number): void {
    const first = this.lines.get(accountId);
    if (first !== undefined) {
      throw new SnapshotLineError(`${this.label}:${line}: /accountId: account ${accountId} appears twice (first on line ${first})`, line);
    }
    this.lines.set(accountId, line);
  }

  /**
   * The header lists the accounts that were read; a line outside that list, or an account of the
   * list without its line (a truncated file), would make the evidence say something it does not.
   */
  checkScope(header: SnapshotHeader): void {
    const inScope = new Set(header.scope.accountIds);
    for (const [accountId, line] of this.lines) {
      if (!inScope.has(accountId)) {
        throw new UserError(`${this.label}:${line}: /accountId: account ${accountId} is not listed in the header's /scope/accountIds`);
      }
    }
    const missing = header.scope.accountIds.filter((id) => !this.lines.has(id));
    if (missing.length > 0) {
      throw new UserError(
        `${this.label}:1: /scope/accountIds: no account line for ${missing.join(', ')} (the snapshot may be truncated)`,
      );
    }
  }
}

/**
 * The file's text lines (1-based numbers), decompressed when it starts with the gzip magic bytes.
 * With `wanted`, only the lines it accepts are decoded and yielded. With `through`, no line after
 * that one is wanted: once it is yielded, the rest of the file is read only to be hashed (`hash`),
 * neither decompressed nor cut into lines (see validatingBlocks).
 */
async function* textLines(file: string, hash: Hash | undefined, wanted?: (line: number) => boolean, through = Infinity): AsyncGenerator<Line> {
  const gzipped = await startsWithGzipMagic(file);
  const raw = Readable.from(hashedChunks(file, hash));
  let input: Readable = raw;
  let gunzip: Gunzip | undefined;
  if (gzipped) {
    const decompressing = (gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES }));
    raw.on('error', (err) => decompressing.destroy(err));
    input = raw.pipe(decompressing);
  }
  // Lines are cut at the newline byte, which never occurs inside a multi-byte UTF-8 character, so
  // each line is decoded once, straight from the bytes read.
  let carried: Buffer[] = [];
  let number = 0;
  // Iterated by hand: leaving a `for await` loop would destroy the stream that the rest of the
  // file is still hashed from.
  const chunks = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    while (number < through) {
      const next = await chunks.next();
      if (next.done) break;
      const chunk = next.value;
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0 && number < through; end = chunk.indexOf(NEWLINE, start)) {
        number++;
        if (wanted && !wanted(number)) {
          carried = [];
          start = end + 1;
          continue;
        }
        let text: string;
        if (carried.length > 0) {
          carried.push(chunk.subarray(start, end));
          text = Buffer.concat(carried).toString('utf8');
          carried = [];
        } else {
          text = chunk.toString('utf8', start, end);
        }
        yield { number, text: stripLineEnd(text, number) };
        start = end + 1;
      }
      if (start < chunk.length) carried.push(chunk.subarray(start));
    }
    if (number >= through) {
      carried = [];
      if (hash) await hashRest(raw, gunzip, chunks);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const failed = readError(file, err, gzipped, number);
    throw new SnapshotLineError(failed.message, number + 1);
  } finally {
    input.destroy();
    raw.destroy();
  }
  if (carried.length > 0 && (!wanted || wanted(number + 1))) yield { number: number + 1, text: stripLineEnd(Buffer.concat(carried).toString('utf8'), number + 1) };
}

/**
 * The rest of the raw file read through `raw` (hashedChunks hashes every chunk it reads) and
 * dropped: a gzip stream is unpiped from its decompressor first, so that what follows the last
 * wanted line is not decompressed (half a file's gunzip for the thread validating the first block).
 */
async function hashRest(raw: Readable, gunzip: Gunzip | undefined, chunks: AsyncIterator<Buffer>): Promise<void> {
  if (!gunzip) {
    while (!(await chunks.next()).done);
    return;
  }
  raw.unpipe(gunzip);
  gunzip.destroy();
  for await (const _ of raw);
}

const NEWLINE = 0x0a;
/** Large reads: an account line is often tens of kilobytes, and fewer chunks mean fewer lines split across two. */
const READ_CHUNK_BYTES = 1 << 20;

async function* hashedChunks(file: string, hash: Hash | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(file, { highWaterMark: READ_CHUNK_BYTES })) {
    hash?.update(chunk as Buffer);
    yield chunk as Buffer;
  }
}

function stripLineEnd(text: string, number: number): string {
  const withoutCr = text.endsWith('\r') ? text.slice(0, -1) : text;
  return number === 1 && withoutCr.startsWith('\uFEFF') ? withoutCr.slice(1) : withoutCr;
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } catch (err) {
    throw readError(file, err, false, 0);
  } finally {
    await handle?.close();
  }
}

function readError(file: string, err: unknown, gzipped: boolean, linesRead: number): UserError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return new UserError(`${file}: no such file`);
  if (e.code === 'EISDIR') return new UserError(`${file}: is a directory, not a snapshot file`);
  if (e.code === 'EACCES' || e.code === 'EPERM') return new UserError(`${file}: cannot read: permission denied`);
  if (gzipped && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new UserError(
      `${file}: corrupt or truncated gzip data after line ${linesRead} (${e.message}); the snapshot is incomplete`,
    );
  }
  return new UserError(`${file}: cannot read: ${e.message ?? String(err)}`);
}
