/**
 * Reading one JSON report for a trend, cheaply: a trend over a year of daily reports of a large
 * organization reads gigabytes, almost all of it verdict evidence it does not need. A report as
 * trailproof writes it (canonical, 2-space JSON: report/json.ts) is read in two parts: everything
 * but the verdicts is parsed and checked against the report schema; the verdicts are scanned line
 * by line for the five fields a trend uses, skipping evidence without parsing it. A report in any
 * other layout (re-indented, minified) is parsed and validated whole, the slow way.
 */
import { readFileSync } from 'node:fs';
import type { ScanResult } from '../../contracts/result.ts';
import type { VerdictStatus } from '../../contracts/verdict.ts';
import { UserError } from '../../shared/errors.ts';
import { parseJsonReport } from '../json.ts';

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

const VERDICTS_START = '\n  "verdicts": [\n';
const VERDICTS_END = '\n  ],\n  "errors": ';
const STATUSES = new Set<string>(['PASS', 'FAIL', 'ERROR', 'NOT_APPLICABLE']);

export function readReportDigest(file: string): ReportDigest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return canonicalDigest(text, file) ?? wholeDigest(text, file);
}

function wholeDigest(text: string, file: string): ReportDigest {
  const { verdicts, ...report } = parseJsonReport(text, file);
  const digests: VerdictDigest[] = [];
  for (const v of verdicts) {
    digests.push({ ruleId: v.ruleId, status: v.status, suppressed: Boolean(v.suppressed), resourceId: v.resource.id, accountId: v.resource.accountId, ...(v.resource.ouPath !== undefined ? { ouPath: v.resource.ouPath } : {}) });
  }
  return { report, verdicts: digests };
}

/** undefined when the text is not laid out as trailproof writes it. */
function canonicalDigest(text: string, file: string): ReportDigest | undefined {
  const start = text.indexOf(VERDICTS_START);
  const end = start < 0 ? -1 : text.indexOf(VERDICTS_END, start);
  if (start < 0 || end < 0) return undefined;
  const verdicts = scanVerdicts(text.slice(start + VERDICTS_START.length, end + 1), file);
  if (!verdicts) return undefined;
  const { verdicts: _none, ...report } = parseJsonReport(`${text.slice(0, start)}\n  "verdicts": [],\n  "errors": ${text.slice(end + VERDICTS_END.length)}`, file);
  return { report, verdicts };
}

/**
 * The verdicts' lines: "    {" opens a verdict, its own fields are indented 6, its resource's 8
 * (evidence is indented deeper, or sits on the lines of its own field, so it is never mistaken for
 * them). undefined when a line is not what the canonical layout puts there.
 */
function scanVerdicts(section: string, file: string): VerdictDigest[] | undefined {
  const out: VerdictDigest[] = [];
  let current: Partial<VerdictDigest> | undefined;
  let inResource = false;
  let from = 0;
  while (from < section.length) {
    let to = section.indexOf('\n', from);
    if (to < 0) to = section.length;
    const line = section.slice(from, to);
    from = to + 1;
    if (line === '    {') {
      current = { suppressed: false };
      inResource = false;
    } else if (line === '    },' || line === '    }') {
      if (!current) return undefined;
      out.push(complete(current, out.length, file));
      current = undefined;
    } else if (current && line.startsWith('      "') ) {
      const field = fieldOf(line, 6);
      if (!field) {
        if (line.startsWith('      "resource": {')) inResource = true;
        else if (line.startsWith('      "suppressed": {')) current.suppressed = true;
        continue;
      }
      if (field.name === 'ruleId') current.ruleId = field.value;
      else if (field.name === 'status') current.status = field.value as VerdictStatus;
    } else if (current && inResource && line.startsWith('        "')) {
      const field = fieldOf(line, 8);
      if (field?.name === 'id') current.resourceId = field.value;
      else if (field?.name === 'accountId') current.accountId = field.value;
      else if (field?.name === 'ouPath') current.ouPath = field.value;
    } else if (line === '      },' || line === '      }') {
      inResource = false;
    }
  }
  return current ? undefined : out;
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
