/**
 * Writes the chosen report formats under the output folder. Each file is written to a temporary
 * name beside it and renamed into place, so a reader (CI upload, a watcher) never sees half a report
 * and an interrupted run leaves the previous report intact. Formats are independent: one failing
 * never loses the others.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ScanResult } from '../contracts/result.ts';
import { UserError } from '../shared/errors.ts';
import { formatterFiles, formatterFor } from './registry.ts';
import type { Formatter, RenderOptions } from './types.ts';

export interface WrittenReport {
  format: string;
  file: string;
  bytes: number;
}

/** Chunks are encoded into one buffer of this size and written when it is full: few system calls, little memory. */
const WRITE_BUFFER_BYTES = 4 << 20;

interface Pending {
  format: string;
  file: string;
  temp: string;
  bytes: number;
}

const tempName = (file: string) => `${file}.${process.pid}.tmp`;

/** A formatter's relative path, checked: a report never writes outside its folder. */
function placeIn(outDir: string, path: string, format: string): string {
  const normal = normalize(path);
  if (isAbsolute(path) || normal.startsWith('..') || normal === '.') throw new Error(`format ${format}: report file path "${path}" is outside the output folder`);
  return join(outDir, normal);
}

/** Streams one file to its temporary name; a large report never becomes one string. */
async function writeTemp(format: string, chunks: Iterable<string>, file: string): Promise<Pending> {
  const temp = tempName(file);
  await mkdir(dirname(file), { recursive: true }).catch((err: unknown) => {
    throw cannotWrite(file, err);
  });
  const handle = await open(temp, 'w').catch((err: unknown) => {
    throw cannotWrite(file, err);
  });
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  let bytes = 0;
  const put = async (data: Buffer) => {
    try {
      // A write may take less than asked; write() resolves with how much it took.
      for (let offset = 0; offset < data.length; ) offset += (await handle.write(data, offset)).bytesWritten;
    } catch (err) {
      throw cannotWrite(file, err);
    }
    bytes += data.length;
  };
  try {
    for (const chunk of chunks) {
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      if (chunk.length * 3 > buffer.length - used) {
        await put(buffer.subarray(0, used));
        used = 0;
        if (chunk.length * 3 > buffer.length) {
          await put(Buffer.from(chunk, 'utf8'));
          continue;
        }
      }
      used += buffer.write(chunk, used, 'utf8');
    }
    await put(buffer.subarray(0, used));
  } finally {
    await handle.close();
  }
  return { format, file, temp, bytes };
}

function cannotWrite(file: string, err: unknown): UserError {
  return new UserError(`${file}: cannot write report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
}

/**
 * Writes each format on its own: its files go to temporary names and are renamed into place once
 * the whole format is written, so a format that fails (a formatter bug, a full disk) leaves its
 * previous report untouched and never costs the formats written before or after it. Unknown
 * format names are refused before anything is written; duplicates are written once.
 * Returns what was written, in the order asked; when a format failed, throws (after writing every
 * other format) an error that lists what was written and what failed: a UserError when every
 * failure was the user's (exit 2), otherwise a plain Error (a bug: exit 4).
 */
export async function writeReports(result: ScanResult, formats: string[], outDir: string, options: RenderOptions = {}): Promise<WrittenReport[]> {
  const formatters = [...new Set(formats)].map(formatterFor);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`${outDir}: cannot create output folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const written: WrittenReport[] = [];
  const failures: { format: string; error: Error }[] = [];
  for (const formatter of formatters) {
    try {
      written.push(...(await writeFormat(formatter, result, outDir, options)));
    } catch (err) {
      failures.push({ format: formatter.name, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  if (failures.length > 0) throw incomplete(written, failures);
  return written;
}

/** One format's files, put in place together once all are written. */
async function writeFormat(formatter: Formatter, result: ScanResult, outDir: string, options: RenderOptions): Promise<WrittenReport[]> {
  const pending: Pending[] = [];
  try {
    for (const { path, chunks } of formatterFiles(formatter, result, options)) {
      const file = placeIn(outDir, path, formatter.name);
      try {
        pending.push(await writeTemp(formatter.name, chunks, file));
      } catch (err) {
        await rm(tempName(file), { force: true });
        throw err;
      }
    }
    const written: WrittenReport[] = [];
    for (const p of pending) {
      try {
        await rename(p.temp, p.file);
      } catch (err) {
        throw cannotWrite(p.file, err);
      }
      written.push({ format: p.format, file: p.file, bytes: p.bytes });
    }
    return written;
  } finally {
    await Promise.all(pending.map((p) => rm(p.temp, { force: true })));
  }
}

/** Some formats were written and some failed: say both. */
export class ReportsIncomplete extends Error {
  constructor(
    message: string,
    readonly written: WrittenReport[],
  ) {
    super(message);
    this.name = 'ReportsIncomplete';
  }
}

function incomplete(written: WrittenReport[], failures: { format: string; error: Error }[]): Error {
  const lines = failures.map((f) => `format ${f.format} failed: ${f.error.message}`);
  lines.push(written.length > 0 ? `the other reports were written: ${written.map((w) => `${w.file} (${w.bytes} bytes)`).join(', ')}` : 'no report was written');
  const message = lines.join('\n');
  if (failures.every((f) => f.error instanceof UserError)) return new UserError(message);
  const error = new ReportsIncomplete(message, written);
  error.stack = [message, ...failures.map((f) => f.error.stack ?? f.error.message)].join('\n');
  return error;
}
