import { UserError } from '../shared/errors.ts';
import type { ScanResult } from '../contracts/result.ts';
import type { Formatter, RenderOptions, ReportFile } from './types.ts';
import { coreFormatters } from './core-formats.ts';
import { auditFormatters } from './audit-formats.ts';

/** Formatters by --format name, in the order `--help` lists them. */
const formatters: readonly Formatter[] = [...coreFormatters, ...auditFormatters];

export function listFormatters(): readonly Formatter[] {
  return formatters;
}

export function formatterFor(name: string): Formatter {
  const f = formatters.find((x) => x.name === name);
  if (!f) throw new UserError(`unknown format "${name}"; expected one of: ${formatters.map((x) => x.name).join(', ')}`);
  return f;
}

/** A format's files: several for a multi-file report (the paged HTML), else its one file, in chunks when the formatter can give them. */
export function formatterFiles(formatter: Formatter, result: ScanResult, options: RenderOptions): Iterable<ReportFile> {
  if (formatter.renderFiles) return formatter.renderFiles(result, options);
  return [{ path: formatter.fileName, chunks: formatter.renderChunks ? formatter.renderChunks(result, options) : [formatter.render(result, options)] }];
}

/** Chunks as bytes, encoded as they come: a report larger than V8's longest string (~512 MB) still fits in a Buffer. */
export function chunksToBuffer(chunks: Iterable<string>): Buffer {
  const parts: Buffer[] = [];
  let pending: string[] = [];
  let pendingLength = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    pendingLength += chunk.length;
    if (pendingLength >= 1 << 20) {
      parts.push(Buffer.from(pending.join(''), 'utf8'));
      pending = [];
      pendingLength = 0;
    }
  }
  parts.push(Buffer.from(pending.join(''), 'utf8'));
  return Buffer.concat(parts);
}
