/**
 * Facts from the digest-chain verification recorded in the snapshot (scan --verify-logs): one
 * entry per trail × region of the account, and what was expected but has no record.
 */
import { CHAIN_BREAK_KINDS } from '../snapshot/finding-kinds.ts';
import type { FindingKind, TrailRegionReport } from '../snapshot/log-integrity.ts';
import type { AccountRecord } from '../snapshot/types.ts';
import type { ListedTrailFacts, LogIntegrityFacts, TrailRegionIntegrityFacts } from './facts.ts';
import type { ModelIndex } from './model-index.ts';
import { emptyList, mapped } from '../shared/lists.ts';

/** Findings that break the chain (as opposed to a log file's own problem or staleness). */
const CHAIN_BREAKS: readonly FindingKind[] = CHAIN_BREAK_KINDS;

export function logIntegrityFacts(index: ModelIndex, record: AccountRecord, trails: readonly ListedTrailFacts[] | undefined): LogIntegrityFacts {
  const run = index.header.logIntegrity;
  if (!run) return { requested: false, window: null, hashLogs: null, trailRegions: emptyList(), unverified: emptyList() };
  const reports = record.logIntegrity ?? [];
  // Stryker disable next-line EqualityOperator: a trail-region has one record, so no two keys are equal and `<=` sorts alike.
  const trailRegions = mapped(reports, trailRegionFacts).sort((a, b) => (a.trail + a.region < b.trail + b.region ? -1 : 1));
  const seen = new Set(trailRegions.map((r) => `${r.trail} ${r.region}`));
  // Every validating trail recording this account should have a record for each of its regions.
  const unverified = (trails?.filter((t) => t.logFileValidation) ?? [])
    .flatMap((t) => t.regions.map((region) => `${t.arn} ${region}`))
    .filter((id) => !seen.has(id))
    .sort();
  const facts: LogIntegrityFacts = { requested: true, window: run.window, hashLogs: run.hashLogs, trailRegions, unverified };
  const incomplete = trailRegions.filter((r) => r.outcome === 'incomplete');
  if (incomplete.length === 0 && unverified.length === 0) facts.complete = true;
  else {
    const reasons = [
      ...incomplete.map((r) => `${r.trailName} ${r.region}: ${r.notRead ?? 'not everything was read'}`),
      ...unverified.map((id) => `${id}: no verification record`),
    ];
    facts.unknown = { complete: reasons.join('; ') };
  }
  return facts;
}

function trailRegionFacts(r: TrailRegionReport): TrailRegionIntegrityFacts {
  const problems = r.findings.filter((f) => f.kind !== 'digest-stale');
  const first = problems[0];
  const notRead = r.unreadable[0];
  return {
    trail: r.target.trailArn,
    trailName: r.target.trailName,
    region: r.target.region,
    outcome: r.outcome,
    window: `${r.window.from}..${r.window.to}`,
    digestsExpected: r.digests.expected,
    digestsFound: r.digests.found,
    digestsValid: r.digests.signatureValid,
    digestsChained: r.digests.chained,
    gaps: r.digests.missing + problems.filter((f) => CHAIN_BREAKS.includes(f.kind) && f.kind !== 'digest-missing').length,
    restarts: r.digests.restarts.length,
    logFilesListed: r.logs.listed,
    logFilesVerified: r.logs.valid,
    logFilesModified: r.logs.modified,
    logFilesMissing: r.logs.missing,
    logFilesUnlisted: r.logs.unlisted,
    ...(r.newestDigest.ageHours !== undefined ? { newestDigestAgeHours: r.newestDigest.ageHours } : {}),
    ...(r.newestDigest.latestDigestDeliveryError ? { latestDigestDeliveryError: r.newestDigest.latestDigestDeliveryError } : {}),
    problems: problems.length,
    firstProblem: first ? { kind: first.kind, object: `s3://${r.target.bucket}/${first.object}`, hour: first.hour, detail: first.detail } : null,
    ...(notRead ? { notRead: `${notRead.operation} ${notRead.code}${notRead.object ? ` ${notRead.object}` : ''}: ${notRead.message}` } : {}),
  };
}
