/**
 * `trailproof report diff OLD NEW`: which failures are new, fixed or unchanged between two scans.
 * A failure is an unsuppressed FAIL; verdicts are matched by rule id + resource id.
 */
import type { ScanResult } from '../contracts/result.ts';
import type { Severity, Verdict } from '../contracts/verdict.ts';
import { compareStrings } from '../contracts/order.ts';
import { displayStatus, oneLine, resourceLabel, severityIndex, verdictKey } from './audit-common.ts';
import { escapeMarkdownCell } from './markdown.ts';

export interface DiffEntry {
  ruleId: string;
  resourceId: string;
  resourceLabel: string;
  accountId: string;
  severity: Severity;
  /** The message from the newer scan when there is one, else from the older. */
  message: string;
  /** Status in the newer scan ("FAIL", "PASS", "SUPPRESSED", …), or "MISSING" when not evaluated. */
  newStatus: string;
}

export interface ReportDiff {
  new: DiffEntry[];
  /** Failing before, and PASS or NOT_APPLICABLE now. */
  fixed: DiffEntry[];
  unchanged: DiffEntry[];
  /**
   * Failing before, and not shown fixed now: ERROR, suppressed by an exception, or absent from the
   * newer scan. Missing evidence is never counted as a fix.
   */
  unresolved: DiffEntry[];
  old: { collectedAt: string; sha256?: string };
  current: { collectedAt: string; sha256?: string };
}

function isFailure(v: Verdict): boolean {
  return v.status === 'FAIL' && !v.suppressed;
}

function entry(v: Verdict, newer: Verdict | undefined): DiffEntry {
  const shown = newer ?? v;
  return {
    ruleId: v.ruleId,
    resourceId: v.resource.id,
    resourceLabel: resourceLabel(shown),
    accountId: shown.resource.accountId,
    severity: shown.severity,
    message: shown.message,
    newStatus: newer ? displayStatus(newer) : 'MISSING',
  };
}

function compareEntries(a: DiffEntry, b: DiffEntry): number {
  return severityIndex(a.severity) - severityIndex(b.severity) || compareStrings(a.ruleId, b.ruleId) || compareStrings(a.resourceId, b.resourceId);
}

/** Whether a verdict of a newer scan is a failure that `oldResult` did not have (what `--fail-on-new` gates on). */
export function newFailureTest(oldResult: ScanResult): (v: Verdict) => boolean {
  const oldFailing = new Set<string>();
  for (const v of oldResult.verdicts) if (isFailure(v)) oldFailing.add(verdictKey(v));
  return (v) => isFailure(v) && !oldFailing.has(verdictKey(v));
}

export function diffReports(oldResult: ScanResult, newResult: ScanResult): ReportDiff {
  // Only the old failures are held, with what the newer scan says about each: both lists are walked once.
  const oldFailures = new Map<string, Verdict>();
  for (const v of oldResult.verdicts) if (isFailure(v)) oldFailures.set(verdictKey(v), v);
  const nowByKey = new Map<string, Verdict>();
  const isNew = newFailureTest(oldResult);
  const diff: ReportDiff = {
    new: [],
    fixed: [],
    unchanged: [],
    unresolved: [],
    old: { collectedAt: oldResult.snapshot.collectedAt, sha256: oldResult.snapshot.sha256 },
    current: { collectedAt: newResult.snapshot.collectedAt, sha256: newResult.snapshot.sha256 },
  };
  for (const v of newResult.verdicts) {
    if (isNew(v)) diff.new.push(entry(v, v));
    const key = verdictKey(v);
    if (oldFailures.has(key)) nowByKey.set(key, v);
  }
  for (const [key, v] of oldFailures) {
    const now = nowByKey.get(key);
    if (now && isFailure(now)) diff.unchanged.push(entry(v, now));
    else if (now && (now.status === 'PASS' || now.status === 'NOT_APPLICABLE')) diff.fixed.push(entry(v, now));
    else diff.unresolved.push(entry(v, now));
  }
  for (const list of [diff.new, diff.fixed, diff.unchanged, diff.unresolved]) list.sort(compareEntries);
  return diff;
}

const SECTIONS = [
  ['new', 'New failures'],
  ['fixed', 'Fixed'],
  ['unchanged', 'Unchanged failures'],
  ['unresolved', 'Failing before, not shown fixed'],
] as const;

function headline(d: ReportDiff): string {
  return `${d.new.length} new, ${d.fixed.length} fixed, ${d.unchanged.length} unchanged failures; ${d.unresolved.length} not shown fixed`;
}

function snapshotLabel(s: ReportDiff['old']): string {
  return s.sha256 ? `${s.collectedAt} (sha256 ${s.sha256})` : s.collectedAt;
}

export function renderDiffText(d: ReportDiff): string {
  const lines = [`trailproof report diff: ${headline(d)}`, `old: ${snapshotLabel(d.old)}`, `new: ${snapshotLabel(d.current)}`];
  for (const [key, title] of SECTIONS) {
    const list = d[key];
    if (list.length === 0) continue;
    lines.push('', `${title} (${list.length}):`);
    for (const e of list) {
      const now = key === 'fixed' || key === 'unresolved' ? ` [now ${e.newStatus}]` : '';
      lines.push(`  ${e.severity.padEnd(8)} ${e.ruleId}  ${e.resourceLabel}${now}: ${oneLine(e.message)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function renderDiffMarkdown(d: ReportDiff): string {
  const lines = [`## trailproof report diff`, '', `**${headline(d)}**`, '', `- old snapshot: ${escapeMarkdownCell(snapshotLabel(d.old))}`, `- new snapshot: ${escapeMarkdownCell(snapshotLabel(d.current))}`];
  for (const [key, title] of SECTIONS) {
    const list = d[key];
    if (list.length === 0) continue;
    lines.push('', `### ${title} (${list.length})`, '', '| Severity | Rule | Resource | Now | Message |', '|---|---|---|---|---|');
    for (const e of list) {
      lines.push(`| ${e.severity} | ${escapeMarkdownCell(e.ruleId)} | ${escapeMarkdownCell(e.resourceLabel)} | ${e.newStatus} | ${escapeMarkdownCell(e.message)} |`);
    }
  }
  return lines.join('\n') + '\n';
}
