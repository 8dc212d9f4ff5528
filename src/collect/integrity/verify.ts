/**
 * The verification of one trail × region over a window, from what S3 and CloudTrail answered:
 * digests checked one by one (digest.ts), then walked as a chain, then the log files they list
 * compared with what was read and listed. Pure: no I/O, no clock (`now` is an input).
 */
import { checkDigest, type CheckedDigest } from './digest.ts';
import { HOUR_MS, isBackfillDigest, isTrailDigest, timeInKey } from './layout.ts';
import { listedLogs, objectId } from './logs.ts';
import type {
  DigestDeliveryStatus,
  DigestObject,
  Finding,
  IntegrityTarget,
  ListedObject,
  LogRead,
  PublicKeyEntry,
  ReadFailure,
  TrailRegionReport,
  VerifyWindow,
} from '../../snapshot/log-integrity.ts';

/** How long after its end a digest may take to arrive before its absence counts. */
export const DIGEST_DELIVERY_ALLOWANCE_MS = HOUR_MS;
/** Logs this close to the newest digest's end may be listed only by the next one. */
const LOG_DELIVERY_ALLOWANCE_MS = 15 * 60_000;

/**
 * Digests of this trail whose end falls in the window (or within the delivery allowance after it,
 * since the digest that ends just after `to` lists logs delivered before it), checked and sorted
 * by end time. `keys` null: ListPublicKeys could not be read, so no signature can be judged.
 */
export function checkDigests(target: IntegrityTarget, window: VerifyWindow, objects: readonly DigestObject[], keys: readonly PublicKeyEntry[] | null): CheckedDigest[] {
  return objects
    .filter((o) => isTrailDigest(target, o.key) && inDigestWindow(o.key, window))
    .map((o) => {
      const checked = checkDigest(o, target.bucket, keys ?? [], isBackfillDigest(o.key));
      if (keys !== null || checked.problem?.kind !== 'digest-unknown-key') return checked;
      const { problem: _, ...unjudged } = checked;
      return unjudged;
    })
    .sort((a, b) => endOf(a) - endOf(b) || (a.key < b.key ? -1 : 1));
}

export function inDigestWindow(key: string, window: VerifyWindow): boolean {
  const end = timeInKey(key)?.getTime();
  return end !== undefined && end > Date.parse(window.from) && end <= Date.parse(window.to) + DIGEST_DELIVERY_ALLOWANCE_MS;
}

export interface ReportInput {
  target: IntegrityTarget;
  window: VerifyWindow;
  /** The verification's clock, ISO. */
  now: string;
  digests: readonly CheckedDigest[];
  /** Every digest key of this trail the listing returned, read or not. */
  digestKeys: readonly string[];
  /** The digest just before the window that the first one names as previous, when it was read. */
  anchor?: CheckedDigest;
  logListing: readonly ListedObject[];
  /** Whether the log listing is whole (no page failed): unlisted logs are judged only then. */
  logListingComplete: boolean;
  /** The day folders the log listing covered. */
  logFolders: readonly string[];
  /** By objectId(bucket, key). */
  logReads: ReadonlyMap<string, LogRead>;
  status?: DigestDeliveryStatus;
  unreadable: readonly ReadFailure[];
  maxDigestAgeHours: number;
}

export function buildReport(input: ReportInput): TrailRegionReport {
  const chain = walkChain(input);
  const logs = judgeLogs(input);
  const findings = [...chain.findings, ...logs.findings].sort(
    (a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0) || (a.object < b.object ? -1 : a.object > b.object ? 1 : 0),
  );
  const unreadable = [...input.unreadable, ...logs.unreadable];
  // No digest found and none due (a window shorter than a delivery period, a trail that never
  // logged in it): nothing was proven, which must not read as verified.
  if (findings.length === 0 && unreadable.length === 0 && chain.counts.found === 0) {
    unreadable.push({ operation: 'cloudtrail:digest-chain', code: 'NothingToVerify', message: `no digest of this trail was due or found between ${input.window.from} and ${input.window.to}: nothing was proven` });
  }
  return {
    target: input.target,
    window: input.window,
    outcome: findings.length > 0 ? 'failed' : unreadable.length > 0 || chain.unjudged > 0 ? 'incomplete' : 'verified',
    digests: chain.counts,
    logs: logs.counts,
    newestDigest: chain.newest,
    findings,
    unreadable,
  };
}

const endOf = (d: CheckedDigest) => (d.content ? Date.parse(d.content.digestEndTime) : (timeInKey(d.key)?.getTime() ?? 0));
const hourOf = (d: CheckedDigest) => d.content?.digestStartTime ?? new Date(endOf(d) - HOUR_MS).toISOString();

function walkChain(input: ReportInput) {
  const { window, status } = input;
  const from = Date.parse(window.from);
  const now = Date.parse(input.now);
  const findings: Finding[] = [];
  const chain = input.digests.filter((d) => !d.backfill);
  const byKey = new Map([...(input.anchor ? [input.anchor] : []), ...input.digests].map((d) => [d.key, d]));
  const listedKeys = new Set(input.digestKeys);
  const restarts: string[] = [];
  let chained = 0;
  let missing = 0;
  // Digests whose link cannot be judged because something was not read (incomplete, not failed).
  let unjudged = 0;

  for (const d of [...(input.anchor ? [input.anchor] : []), ...input.digests]) {
    if (d.problem) findings.push({ kind: d.problem.kind, object: d.key, hour: hourOf(d), detail: d.problem.detail });
    else if (!d.signatureValid) unjudged++;
  }

  chain.forEach((d, i) => {
    const c = d.content;
    if (!c) return;
    const previous = chain[i - 1];
    if (c.previousDigestS3Object === null) {
      // A chain start: CloudTrail's signed word that logging (re)started here, after StopLogging/StartLogging.
      if (i > 0 || Date.parse(c.digestStartTime) > from) restarts.push(c.digestStartTime);
      if (d.signatureValid) chained++;
      return;
    }
    const named = c.previousDigestS3Bucket === d.bucket ? byKey.get(c.previousDigestS3Object) : undefined;
    if (!named) {
      const namedEnd = timeInKey(c.previousDigestS3Object)?.getTime();
      if (!previous && namedEnd !== undefined && namedEnd <= from) {
        if (d.signatureValid) chained++; // anchored before the window
      } else if (listedKeys.has(c.previousDigestS3Object) && c.previousDigestS3Bucket === d.bucket) {
        unjudged++; // listed but not read: the link cannot be judged
      } else {
        const gapStart = previous ? endOf(previous) : from;
        const count = Math.max(1, Math.round((Date.parse(c.digestStartTime) - gapStart) / HOUR_MS));
        missing += count;
        findings.push({
          kind: 'digest-missing',
          object: c.previousDigestS3Object,
          hour: new Date((namedEnd ?? Date.parse(c.digestStartTime)) - HOUR_MS).toISOString(),
          detail: `${count} digest(s) missing before ${d.key}: the previous digest it names is not in s3://${c.previousDigestS3Bucket}`,
        });
      }
      return;
    }
    let linked = true;
    if (previous && named !== previous) {
      linked = false;
      findings.push({ kind: 'chain-previous-mismatch', object: d.key, hour: c.digestStartTime, detail: `names ${named.key} as previous, but ${previous.key} comes between` });
    }
    if (c.previousDigestHashValue?.toLowerCase() !== named.sha256) {
      linked = false;
      findings.push({ kind: 'chain-previous-hash-mismatch', object: d.key, hour: c.digestStartTime, detail: `previousDigestHashValue ${c.previousDigestHashValue} is not the SHA-256 of ${named.key} (${named.sha256})` });
    }
    if (c.previousDigestSignature?.toLowerCase() !== named.signature) {
      linked = false;
      findings.push({ kind: 'chain-previous-signature-mismatch', object: d.key, hour: c.digestStartTime, detail: `previousDigestSignature is not the signature of ${named.key}` });
    }
    if (linked && d.signatureValid) chained++;
  });

  // Before the first digest and after the last one: hours the trail logged with no digest found.
  const logging = status?.isLogging !== false;
  const stoppedAt = !logging && status?.stopLoggingTime ? Date.parse(status.stopLoggingTime) : undefined;
  const dueUntil = Math.min(Date.parse(window.to), now - DIGEST_DELIVERY_ALLOWANCE_MS, stoppedAt ?? Infinity);
  const last = chain[chain.length - 1];
  const folder = input.digestKeys[0]?.replace(/[^/]*$/, '') ?? '';
  if (!last) {
    const due = Math.max(0, Math.floor((dueUntil - from) / HOUR_MS));
    if (due > 0 && input.unreadable.length === 0) {
      missing += due;
      findings.push({ kind: 'digest-missing', object: folder || '(no digest of this trail in the window)', hour: window.from, detail: `no digest for the ${due} hour(s) the trail was due to deliver one` });
    }
  } else {
    const lastEnd = endOf(last);
    let tail = Math.max(0, Math.floor((dueUntil - lastEnd) / HOUR_MS));
    // GetTrailStatus says a digest was delivered more than a period after the newest found: this
    // region's newest was removed. (The time is the trail's, across regions and accounts, whose
    // digests arrive at different minutes of the hour: a shorter lead proves nothing.)
    const delivered = status?.latestDigestDeliveryTime ? Date.parse(status.latestDigestDeliveryTime) : undefined;
    const lastArrival = last.lastModified ? Date.parse(last.lastModified) : lastEnd;
    if (tail === 0 && delivered !== undefined && delivered <= Date.parse(window.to) && delivered - lastArrival > HOUR_MS + 15 * 60_000) tail = 1;
    if (tail > 0) {
      missing += tail;
      findings.push({ kind: 'digest-missing', object: last.key, hour: new Date(lastEnd).toISOString(), detail: `${tail} digest(s) missing after ${last.key}, the newest found` });
    }
  }

  const newest = newestDigest(input, last);
  if (logging && newest.ageHours !== undefined && newest.ageHours > input.maxDigestAgeHours) {
    findings.push({
      kind: 'digest-stale',
      object: newest.key ?? folder,
      hour: newest.endTime ?? window.from,
      detail: `the newest digest is ${newest.ageHours} h old (more than ${input.maxDigestAgeHours} h)${status?.latestDigestDeliveryError ? `; GetTrailStatus: ${status.latestDigestDeliveryError}` : ''}`,
    });
  }
  const found = chain.length;
  return {
    findings,
    unjudged,
    newest,
    counts: {
      expected: found + missing,
      found,
      signatureValid: chain.filter((d) => d.signatureValid).length,
      chained,
      missing,
      restarts,
    },
  };
}

function newestDigest(input: ReportInput, last: CheckedDigest | undefined): TrailRegionReport['newestDigest'] {
  const s = input.status;
  const extra = {
    ...(s?.latestDigestDeliveryTime ? { latestDigestDeliveryTime: s.latestDigestDeliveryTime } : {}),
    ...(s?.latestDigestDeliveryError ? { latestDigestDeliveryError: s.latestDigestDeliveryError } : {}),
  };
  if (!last) return extra;
  const end = endOf(last);
  // Age at the end of the window (a past window is judged as of its end), at most now.
  const asOf = Math.min(Date.parse(input.now), Date.parse(input.window.to) + DIGEST_DELIVERY_ALLOWANCE_MS);
  return { key: last.key, endTime: new Date(end).toISOString(), ageHours: Math.round(((asOf - end) / HOUR_MS) * 10) / 10, ...extra };
}

function judgeLogs(input: ReportInput) {
  const findings: Finding[] = [];
  const unreadable: ReadFailure[] = [];
  const listed = listedLogs(input.digests);
  const present = new Set(input.logListing.map((o) => o.key));
  const counts = { listed: listed.length, hashed: 0, valid: 0, modified: 0, missing: 0, unreadable: 0, presentNotHashed: 0, unlisted: 0, bytesHashed: 0 };
  const { bucket } = input.target;

  for (const log of listed) {
    const read = input.logReads.get(objectId(log.bucket, log.key));
    const listingCovers = log.bucket === bucket && input.logFolders.some((f) => log.key.startsWith(f));
    if (!read) {
      if (present.has(log.key) && log.bucket === bucket) counts.presentNotHashed++;
      else if (listingCovers && input.logListingComplete) {
        counts.missing++;
        findings.push({ kind: 'log-missing', object: log.key, hour: log.hour, detail: `listed by the digest of ${log.hour}, not in the bucket` });
      }
      continue;
    }
    if ('error' in read) {
      counts.unreadable++;
      unreadable.push({ ...read.error, object: log.key });
    } else if ('absent' in read) {
      counts.missing++;
      findings.push({ kind: 'log-missing', object: log.key, hour: log.hour, detail: `listed by the digest of ${log.hour}, not in the bucket` });
    } else {
      counts.hashed++;
      counts.bytesHashed += read.bytes;
      if (read.sha256 === log.sha256) counts.valid++;
      else {
        counts.modified++;
        findings.push({ kind: 'log-modified', object: log.key, hour: log.hour, detail: `SHA-256 of the content is ${read.sha256}, the digest lists ${log.sha256}` });
      }
    }
  }

  // Objects in the log folders that no digest lists: only judged between the first digest's start
  // and the last one's end, where every delivered log must be listed.
  const chain = input.digests.filter((d) => d.content && !d.backfill);
  if (input.logListingComplete && chain.length > 0) {
    const coveredFrom = Date.parse(chain[0]!.content!.digestStartTime);
    const coveredTo = endOf(chain[chain.length - 1]!) - LOG_DELIVERY_ALLOWANCE_MS;
    const known = new Set(input.digests.flatMap((d) => (d.content ? d.content.logFiles.filter((f) => f.s3Bucket === bucket).map((f) => f.s3Object) : [])));
    // Hours of digests listed but not read: their logs can be neither proven nor accused.
    const read = new Set(input.digests.map((d) => d.key));
    const unreadEnds = input.digestKeys.filter((k) => !read.has(k)).flatMap((k) => timeInKey(k)?.getTime() ?? []);
    const inUnreadHour = (t: number) => unreadEnds.some((end) => t > end - HOUR_MS - LOG_DELIVERY_ALLOWANCE_MS && t <= end + LOG_DELIVERY_ALLOWANCE_MS);
    for (const o of input.logListing) {
      const t = timeInKey(o.key)?.getTime() ?? (o.lastModified ? Date.parse(o.lastModified) : undefined);
      if (t === undefined || t < coveredFrom || t > coveredTo || known.has(o.key) || inUnreadHour(t)) continue;
      counts.unlisted++;
      findings.push({ kind: 'log-unlisted', object: o.key, hour: new Date(t).toISOString(), detail: 'in the log folder, listed by no digest: not delivered by CloudTrail, or its digest is gone' });
    }
  }
  return { findings, unreadable, counts };
}
