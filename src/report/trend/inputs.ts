/**
 * Which reports `report trend` reads, and in which order: the files and folders given (folders
 * searched recursively for trailproof JSON reports), ordered by the time of the snapshot each
 * report was evaluated from, never by file name or modification time.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors.ts';
import { compareStrings } from '../../contracts/order.ts';
import { TREND_FILE_STEM } from './names.ts';
import type { ScanResult } from '../../contracts/result.ts';
import { readJsonReport } from '../json.ts';

/** Other formats' JSON files a report folder holds beside trailproof.json; a folder search skips them. */
const NOT_REPORTS = ['.oscal.json', '.asff.json', `${TREND_FILE_STEM}.json`];

export interface ReportFile {
  file: string;
  collectedAt: string;
  /** Organization id, or "account <management account>" when the report has none. */
  organization: string;
}

export function reportFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (err) {
      throw new UserError(`${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`}`);
    }
    files.push(...(isDir ? jsonFilesUnder(input) : [input]));
  }
  const unique = [...new Set(files)];
  if (unique.length === 0) throw new UserError(`report trend: no JSON reports found in ${inputs.join(', ')}`);
  return unique;
}

function jsonFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) found.push(...jsonFilesUnder(path));
    } else if (entry.name.endsWith('.json') && !NOT_REPORTS.some((suffix) => entry.name.endsWith(suffix))) {
      found.push(path);
    }
  }
  return found;
}

/** How much of a report's start holds its snapshot block (tool, rule pack and snapshot come first). */
const HEAD_BYTES = 16 * 1024;

/**
 * The reports in snapshot-time order, all of one organization. Of a report laid out as trailproof
 * writes it only the head is read here (the snapshot block comes before the verdicts); any other
 * file is read and validated whole.
 */
export function orderReports(files: readonly string[]): ReportFile[] {
  const reports = files.map(readHead).sort((a, b) => compareStrings(a.collectedAt, b.collectedAt) || compareStrings(a.file, b.file));
  const first = reports[0]!;
  for (const r of reports) {
    if (r.organization !== first.organization) {
      throw new UserError(`${r.file}: a report of ${r.organization}, but ${first.file} is of ${first.organization}; a trend is of one organization`);
    }
  }
  for (let i = 1; i < reports.length; i++) {
    if (reports[i]!.collectedAt === reports[i - 1]!.collectedAt) {
      throw new UserError(`${reports[i]!.file}: a report of the same snapshot (collected ${reports[i]!.collectedAt}) as ${reports[i - 1]!.file}; give each snapshot once (shards: \`report merge\` them first)`);
    }
  }
  return reports;
}

/** The snapshot block at the head of a report laid out as trailproof writes it, or undefined. */
function canonicalSnapshot(head: string): Pick<ScanResult['snapshot'], 'collectedAt' | 'organizationId' | 'managementAccountId'> | undefined {
  if (!/^\{\n {2}"\$schema": "https:\/\/trailproof\.dev\/schemas\/report-v1\.schema\.json",\n {2}"reportVersion": 1,\n/.test(head)) return undefined;
  const block = /\n {2}"snapshot": \{\n((?: {4}.*\n)*?) {2}\}/.exec(head)?.[1];
  if (!block) return undefined;
  const field = (name: string) => new RegExp(`^ {4}"${name}": "([^"\\\\]*)",?$`, 'm').exec(block)?.[1];
  const collectedAt = field('collectedAt');
  if (!collectedAt) return undefined;
  const organizationId = field('organizationId');
  const managementAccountId = field('managementAccountId');
  return { collectedAt, ...(organizationId ? { organizationId } : {}), ...(managementAccountId ? { managementAccountId } : {}) };
}

function readHead(file: string): ReportFile {
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      head = buffer.toString('utf8', 0, readSync(fd, buffer, 0, HEAD_BYTES, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new UserError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const snapshot = canonicalSnapshot(head) ?? readJsonReport(file).snapshot;
  const { collectedAt, organizationId: org, managementAccountId: management } = snapshot;
  return { file, collectedAt, organization: org ? `organization ${org}` : management ? `account ${management}` : 'no organization' };
}
