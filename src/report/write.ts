/**
 * Writes the chosen report formats under the output folder. Each file is written to a temporary
 * name beside it and renamed into place, so a reader (CI upload, a watcher) never sees half a report
 * and an interrupted run leaves the previous report intact.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import type { ScanResult } from '../contracts/result.ts';
import { UserError } from '../shared/errors.ts';
import { formatterFor } from './registry.ts';
import type { Formatter, RenderOptions, ReportFile } from './types.ts';

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

/** The files of one format: one, or several for a multi-file report. */
function filesOf(formatter: Formatter, result: ScanResult, options: RenderOptions): Iterable<ReportFile> {
  if (formatter.renderFiles) return formatter.renderFiles(result, options);
  return [{ path: formatter.fileName, chunks: formatter.renderChunks ? formatter.renderChunks(result, options) : [formatter.render(result, options)] }];
}

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
 * Writes every format to its temporary file first, then puts them all in place: an unknown format
 * name or a formatter that throws leaves the previous reports untouched. Duplicate names are
 * written once. Returns what was written, in the order asked.
 */
export async function writeReports(result: ScanResult, formats: string[], outDir: string, options: RenderOptions = {}): Promise<WrittenReport[]> {
  const formatters = [...new Set(formats)].map(formatterFor);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`${outDir}: cannot create output folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const pending: Pending[] = [];
  try {
    for (const formatter of formatters) {
      for (const { path, chunks } of filesOf(formatter, result, options)) {
        const file = placeIn(outDir, path, formatter.name);
        try {
          pending.push(await writeTemp(formatter.name, chunks, file));
        } catch (err) {
          await rm(tempName(file), { force: true });
          throw err;
        }
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
