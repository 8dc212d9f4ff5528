/**
 * Where CloudTrail writes logs and digests in the bucket ("CloudTrail digest file structure"):
 * [prefix/]AWSLogs/[o-id/]<account>/CloudTrail(-Digest)/<region>/YYYY/MM/DD/<file>.
 */
import type { IntegrityTarget } from '../../snapshot/log-integrity.ts';

export const HOUR_MS = 3_600_000;

function base(target: IntegrityTarget): string {
  const prefix = target.keyPrefix ? `${target.keyPrefix.replace(/\/+$/, '')}/` : '';
  const org = target.organizationId ? `${target.organizationId}/` : '';
  return `${prefix}AWSLogs/${org}${target.accountId}/`;
}

export function digestFolder(target: IntegrityTarget): string {
  return `${base(target)}CloudTrail-Digest/${target.region}/`;
}

export function logFolder(target: IntegrityTarget): string {
  return `${base(target)}CloudTrail/${target.region}/`;
}

/** The UTC day folders (YYYY/MM/DD/) that hold objects from `from` to `to`, both included. */
export function dayFolders(folder: string, from: Date, to: Date): string[] {
  const out: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (day.getTime() <= to.getTime()) {
    const y = day.getUTCFullYear();
    const m = String(day.getUTCMonth() + 1).padStart(2, '0');
    const d = String(day.getUTCDate()).padStart(2, '0');
    out.push(`${folder}${y}/${m}/${d}/`);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/**
 * Whether a digest object belongs to this trail: several trails may write to one bucket and
 * prefix, and only the file name tells their digests apart.
 */
export function isTrailDigest(target: IntegrityTarget, key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name.startsWith(`${target.accountId}_CloudTrail-Digest_${target.region}_${target.trailName}_${target.region}_`) && /\.json\.gz$/.test(name);
}

export function isBackfillDigest(key: string): boolean {
  return /_backfill\.json\.gz$/.test(key);
}

const COMPACT_TIME = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z(?:_|\.)/;

/**
 * The time in a CloudTrail file name: a digest's end (…_20150817T150131Z.json.gz) or a log
 * file's delivery minute (…_20150817T1505Z_<unique>.json.gz). Undefined when the name has none.
 */
export function timeInKey(key: string): Date | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const m = COMPACT_TIME.exec(name);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** The compact UTC form CloudTrail uses in names: 20150817T150131Z. */
export function compactTime(date: Date, withSeconds = true): string {
  const iso = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return withSeconds ? iso : iso.replace(/\d{2}Z$/, 'Z');
}

export function digestFileName(target: IntegrityTarget, end: Date, backfill = false): string {
  return `${target.accountId}_CloudTrail-Digest_${target.region}_${target.trailName}_${target.region}_${compactTime(end)}${backfill ? '_backfill' : ''}.json.gz`;
}
