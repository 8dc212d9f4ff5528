/**
 * Writes the chosen report formats under the output folder. Each file is written to a temporary
 * name beside it and renamed into place, so a reader (CI upload, a watcher) never sees half a report
 * and an interrupted run leaves the previous report intact.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanResult } from '../rules/result.ts';
import { UserError } from '../shared/errors.ts';
import { formatterFor } from './registry.ts';
import type { RenderOptions } from './types.ts';

export interface WrittenReport {
  format: string;
  file: string;
  bytes: number;
}

async function writeAtomically(file: string, content: string): Promise<number> {
  const temp = `${file}.${process.pid}.tmp`;
  const data = Buffer.from(content, 'utf8');
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw new UserError(`${file}: cannot write report: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return data.length;
}

/**
 * Renders every format first, then writes: an unknown format name or a formatter that throws
 * leaves the folder untouched. Duplicate names are written once. Returns what was written, in
 * the order asked.
 */
export async function writeReports(result: ScanResult, formats: string[], outDir: string, options: RenderOptions = {}): Promise<WrittenReport[]> {
  const unique = [...new Set(formats)];
  const rendered = unique.map((name) => {
    const formatter = formatterFor(name);
    return { format: formatter.name, file: join(outDir, formatter.fileName), content: formatter.render(result, options) };
  });
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new UserError(`${outDir}: cannot create output folder: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const written: WrittenReport[] = [];
  for (const r of rendered) written.push({ format: r.format, file: r.file, bytes: await writeAtomically(r.file, r.content) });
  return written;
}
