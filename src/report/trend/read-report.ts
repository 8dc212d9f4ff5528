/**
 * Reading one JSON report for a trend, cheaply: a trend over a year of daily reports of a large
 * organization reads gigabytes, almost all of it verdict evidence it does not need. A report as
 * trailproof writes it (canonical, 2-space JSON: report/json.ts) is read in two parts: everything
 * but the verdicts is parsed and checked against the report schema; the verdicts are scanned line
 * by line for the five fields a trend uses, skipping evidence without parsing it. A report in any
 * other layout (re-indented, minified) is parsed and validated whole, the slow way.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ScanResult } from '../../contracts/result.ts';
import type { VerdictStatus } from '../../contracts/verdict.ts';
import { UserError } from '../../shared/errors.ts';
import { checkJsonReport, parseJsonReport } from '../json.ts';

/** What a trend needs of a verdict. */
export interface VerdictDigest {
  ruleId: string;
  status: VerdictStatus;
  suppressed: boolean;
  resourceId: string;
  accountId: string;
  ouPath?: string;
}

export interface ReportDigest {
  /** The report without its verdicts (validated against the report schema). */
  report: Omit<ScanResult, 'verdicts'>;
  verdicts: VerdictDigest[];
}

const VERDICTS_START = Buffer.from('\n  "verdicts": [\n');
const VERDICTS_END = Buffer.from('\n  ],\n  "errors": ');
const STATUSES = new Set<string>(['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE']);

export function readReportDigest(file: string): ReportDigest {
  let bytes: Buffer;
  try {
    bytes = readInto(file);
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return canonicalDigest(bytes, file) ?? wholeDigest(bytes.toString('utf8'), file);
}

/**
 * One buffer, grown as needed, holds each report in turn: a trend reads hundreds of reports of
 * tens of megabytes, and a fresh buffer for each kept the garbage collector busier than the
 * reading. Nothing returned points into it (every string taken from it is a copy).
 */
let scratch = Buffer.allocUnsafe(0);

function readInto(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    let read = 0;
    while (read < size) {
      const n = readSync(fd, scratch, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return scratch.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function wholeDigest(text: string, file: string): ReportDigest {
  const { verdicts, ...report } = parseJsonReport(text, file);
  const digests: VerdictDigest[] = [];
  for (const v of verdicts) {
    digests.push({ ruleId: v.ruleId, status: v.status, suppressed: Boolean(v.suppressed), resourceId: v.resource.id, accountId: v.resource.accountId, ...(v.resource.ouPath !== undefined ? { ouPath: v.resource.ouPath } : {}) });
  }
  return { report, verdicts: digests };
}

/**
 * undefined when the file is not laid out as trailproof writes it. Works on the bytes: only the
 * parts outside the verdicts and the few fields read are decoded (decoding all of a large report
 * as UTF-8 would cost more than the rest of the reading).
 */
function canonicalDigest(bytes: Buffer, file: string): ReportDigest | undefined {
  const start = bytes.indexOf(VERDICTS_START);
  const end = start < 0 ? -1 : bytes.indexOf(VERDICTS_END, start);
  if (start < 0 || end < 0) return undefined;
  const verdicts = scanVerdicts(bytes, start + VERDICTS_START.length - 1, end + 1, file);
  if (!verdicts) return undefined;
  const rest = `${bytes.toString('utf8', 0, start)}\n  "verdicts": [],\n  "errors": ${bytes.toString('utf8', end + VERDICTS_END.length)}`;
  let value: unknown;
  try {
    value = JSON.parse(rest);
  } catch {
    // Read whole the slow way, so that the error names the line of the file, not of this text without its verdicts.
    return undefined;
  }
  const { verdicts: _none, ...report } = checkJsonReport(value, file);
  return { report, verdicts };
}

const OPEN = Buffer.from('\n    {\n');
const CLOSE = Buffer.from('\n    }');
const RESOURCE_OPEN = Buffer.from('\n      "resource": {\n');
const SUPPRESSED_OPEN = Buffer.from('\n      "suppressed": {');
const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const RESOURCE_FIELDS: [keyof VerdictDigest & ('resourceId' | 'accountId' | 'ouPath'), Buffer][] = [
  ['resourceId', Buffer.from('        "id": "')],
  ['accountId', Buffer.from('        "accountId": "')],
  ['ouPath', Buffer.from('        "ouPath": "')],
];
const COMMA = 0x2c;

/**
 * The verdicts in bytes [from, to): from is the newline before the first "    {". Each verdict
 * opens with "    {" and closes with "    }"; its own fields are indented 6, its resource's 8.
 * Evidence sits between status and resource, indented deeper, and is jumped over with indexOf
 * (native, nothing decoded), which is what makes this cheap. undefined when the layout is not
 * canonical.
 */
function scanVerdicts(bytes: Buffer, from: number, to: number, file: string): VerdictDigest[] | undefined {
  const out: VerdictDigest[] = [];
  let at = from;
  while (at < to - 1) {
    if (!startsAt(bytes, at, OPEN)) return undefined;
    const ruleLine = lineAt(bytes, at + OPEN.length, to);
    const statusLine = lineAt(bytes, ruleLine.next, to);
    const rule = fieldOf(ruleLine.text, 6);
    const status = fieldOf(statusLine.text, 6);
    if (rule?.name !== 'ruleId' || status?.name !== 'status') return undefined;
    const resource = bytes.indexOf(RESOURCE_OPEN, statusLine.next - 1);
    const close = resource < 0 || resource >= to ? -1 : bytes.indexOf(CLOSE, resource);
    if (close < 0 || close >= to) return undefined;
    const v: Partial<VerdictDigest> = { ruleId: rule.value, status: status.value as VerdictStatus };
    // The resource's lines: only the three fields a trend uses are decoded.
    let lineStart = resource + RESOURCE_OPEN.length;
    while (bytes[lineStart + 7] === SPACE && bytes[lineStart + 8] === QUOTE) {
      const end = bytes.indexOf(NEWLINE, lineStart);
      if (end < 0 || end > to) return undefined;
      for (const [key, prefix] of RESOURCE_FIELDS) {
        if (startsAt(bytes, lineStart, prefix)) {
          v[key] = fieldOf(bytes.toString('utf8', lineStart, end), 8)?.value;
          break;
        }
      }
      lineStart = end + 1;
    }
    // Searched only up to the verdict's close: a search to the end of the file for each verdict would be quadratic.
    v.suppressed = bytes.subarray(lineStart - 1, close).indexOf(SUPPRESSED_OPEN) >= 0;
    out.push(complete(v, out.length, file));
    // After "    }" comes "," and the next verdict, or the end of the section.
    at = close + CLOSE.length;
    if (bytes[at] === COMMA) at++;
  }
  return out;
}

/** Whether `prefix` is at `at`: a loop the JIT inlines (Buffer.compare per line cost more than the search). */
function startsAt(bytes: Buffer, at: number, prefix: Buffer): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** The line starting at `from` (decoded, without its newline) and where the next one starts. */
function lineAt(bytes: Buffer, from: number, to: number): { text: string; next: number } {
  const end = bytes.indexOf(NEWLINE, from);
  const stop = end < 0 || end > to ? to : end;
  return { text: bytes.toString('utf8', from, stop), next: stop + 1 };
}

/** `<indent>"name": "value"` with a string value, or undefined. */
function fieldOf(line: string, indent: number): { name: string; value: string } | undefined {
  const colon = line.indexOf('": "', indent + 1);
  if (colon < 0) return undefined;
  const name = line.slice(indent + 1, colon);
  const raw = line.endsWith(',') ? line.slice(colon + 3, -1) : line.slice(colon + 3);
  if (!raw.endsWith('"')) return undefined;
  return { name, value: raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1) };
}

function complete(v: Partial<VerdictDigest>, index: number, file: string): VerdictDigest {
  const missing = !v.ruleId ? 'ruleId' : !v.status || !STATUSES.has(v.status) ? 'status' : v.resourceId === undefined ? 'resource.id' : v.accountId === undefined ? 'resource.accountId' : undefined;
  if (missing) throw new UserError(`${file}: invalid trailproof report: $.verdicts[${index}].${missing} is missing or invalid`);
  return v as VerdictDigest;
}
