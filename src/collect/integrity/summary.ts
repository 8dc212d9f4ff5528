/** verify-logs output: the JSON record (the evidence) and the terminal summary. */
import { toolVersion } from '../../shared/version.ts';
import type { HashPolicy, IntegrityOutcome, TrailRegionReport, VerifyWindow } from '../../snapshot/log-integrity.ts';

export const INTEGRITY_FORMAT = 'trailproof-log-integrity';

export interface IntegrityRecord {
  format: typeof INTEGRITY_FORMAT;
  version: 1;
  tool: { name: 'trailproof'; version: string };
  verifiedAt: string;
  window: VerifyWindow;
  hashLogs: string;
  sampleSeed?: string;
  outcome: IntegrityOutcome;
  reports: TrailRegionReport[];
}

export function hashPolicyText(policy: HashPolicy): string {
  return policy.mode === 'sample' ? `sample:${policy.count}` : policy.mode;
}

/** failed beats incomplete beats verified; nothing to verify proves nothing, so it is incomplete. */
export function overallOutcome(reports: readonly TrailRegionReport[]): IntegrityOutcome {
  if (reports.some((r) => r.outcome === 'failed')) return 'failed';
  if (reports.length === 0 || reports.some((r) => r.outcome === 'incomplete')) return 'incomplete';
  return 'verified';
}

export function integrityRecord(reports: readonly TrailRegionReport[], o: { verifiedAt: string; window: VerifyWindow; hashLogs: HashPolicy; sampleSeed: string }): IntegrityRecord {
  return {
    format: INTEGRITY_FORMAT,
    version: 1,
    tool: { name: 'trailproof', version: toolVersion() },
    verifiedAt: o.verifiedAt,
    window: o.window,
    hashLogs: hashPolicyText(o.hashLogs),
    ...(o.hashLogs.mode === 'sample' ? { sampleSeed: o.sampleSeed } : {}),
    outcome: overallOutcome(reports),
    reports: [...reports],
  };
}

/** Exit codes: 0 everything verified, 1 tampering or a gap found, 3 something could not be read. */
export function exitCodeFor(outcome: IntegrityOutcome): number {
  return outcome === 'verified' ? 0 : outcome === 'failed' ? 1 : 3;
}

export function renderSummary(record: IntegrityRecord): string {
  const lines = [`log integrity ${record.window.from} .. ${record.window.to} (hash logs: ${record.hashLogs})`];
  for (const r of record.reports) {
    const t = r.target;
    const d = r.digests;
    const l = r.logs;
    lines.push(
      `${r.outcome.toUpperCase().padEnd(10)} ${t.trailName} ${t.accountId} ${t.region}: ` +
        `digests ${d.found}/${d.expected} found, ${d.signatureValid} signed, ${d.chained} chained, ${d.missing} missing` +
        `${d.restarts.length ? `, ${d.restarts.length} restart(s)` : ''}; ` +
        `logs ${l.valid}/${l.listed} verified, ${l.modified} modified, ${l.missing} missing, ${l.unlisted} unlisted` +
        `${l.presentNotHashed ? `, ${l.presentNotHashed} present not hashed` : ''}` +
        `${r.newestDigest.ageHours !== undefined ? `; newest digest ${r.newestDigest.ageHours} h old` : ''}`,
    );
    const first = r.findings[0];
    if (first) lines.push(`           first problem: ${first.kind} at ${first.hour}: s3://${t.bucket}/${first.object}: ${first.detail}${r.findings.length > 1 ? ` (+${r.findings.length - 1} more)` : ''}`);
    for (const u of r.unreadable.slice(0, 3)) lines.push(`           not read: ${u.operation} ${u.code}${u.object ? ` ${u.object}` : ''}: ${u.message}`);
    if (r.unreadable.length > 3) lines.push(`           not read: ${r.unreadable.length - 3} more`);
  }
  if (record.reports.length === 0) lines.push('nothing to verify: no trail in scope has log file validation on');
  const counts = (o: IntegrityOutcome) => record.reports.filter((r) => r.outcome === o).length;
  lines.push(`${record.outcome}: ${counts('verified')} verified, ${counts('failed')} failed, ${counts('incomplete')} incomplete trail-region(s)`);
  return `${lines.join('\n')}\n`;
}
