/**
 * account.logIntegrity from the verification records in a snapshot (scan --verify-logs): one entry
 * per trail × region, chain gaps counted apart from log files' own problems, and `complete` unknown
 * (never true) while a validating trail-region has no record or was not read in full.
 */
import { describe, expect, it } from 'vitest';
import { logIntegrityFacts } from '../../src/model/log-integrity.ts';
import { buildIndex } from '../../src/model/model-index.ts';
import type { ListedTrailFacts } from '../../src/model/facts.ts';
import type { Finding, TrailRegionReport } from '../../src/snapshot/log-integrity.ts';
import { miniOrg, MANAGEMENT } from '../fixtures/mini-org.ts';
import { trailArn } from '../fixtures/snapshot-builder.ts';

const MEMBER = '222222222222';
const ORG_TRAIL = trailArn('us-east-1', MANAGEMENT, 'org-trail');
const WINDOW = { from: '2026-03-01T00:00:00Z', to: '2026-03-01T03:00:00Z' };

function report(region: string, over: Partial<TrailRegionReport> = {}, trail = ORG_TRAIL): TrailRegionReport {
  return {
    target: { trailArn: trail, trailName: trail.split('/')[1]!, accountId: MEMBER, region, bucket: 'central-logs', keyPrefix: 'org' },
    window: WINDOW,
    outcome: 'verified',
    digests: { expected: 3, found: 3, signatureValid: 3, chained: 2, missing: 0, restarts: [] },
    logs: { listed: 5, hashed: 5, valid: 5, modified: 0, missing: 0, unreadable: 0, presentNotHashed: 0, unlisted: 0, bytesHashed: 100 },
    newestDigest: {},
    findings: [],
    unreadable: [],
    ...over,
  };
}

const finding = (kind: Finding['kind'], object: string): Finding => ({ kind, object, hour: '2026-03-01T01:00:00Z', detail: `${kind} detail` });

/** A validating trail recording `regions` (only what logIntegrityFacts reads). */
const validating = (arn: string, regions: string[], logFileValidation = true) => ({ arn, regions, logFileValidation }) as ListedTrailFacts;

function factsFor(reports: TrailRegionReport[] | undefined, trails: ListedTrailFacts[] | undefined, requested = true) {
  const snap = miniOrg().snapshot();
  if (requested) snap.header.logIntegrity = { verifiedAt: '2026-03-01T04:00:00Z', window: WINDOW, hashLogs: 'sample', maxDigestAgeHours: 2 };
  const record = snap.accounts.find((a) => a.accountId === MEMBER)!;
  if (reports) record.logIntegrity = reports;
  return logIntegrityFacts(buildIndex(snap.header, snap.accounts), record, trails);
}

describe('log integrity facts of one trail-region', () => {
  it('copies the counts, names the window, and has no problem when everything verified', () => {
    const facts = factsFor([report('us-east-1', { digests: { expected: 4, found: 3, signatureValid: 2, chained: 1, missing: 1, restarts: ['a', 'b'] }, logs: { listed: 9, hashed: 8, valid: 7, modified: 1, missing: 2, unreadable: 0, presentNotHashed: 0, unlisted: 3, bytesHashed: 1 } })], undefined);
    expect(facts.trailRegions).toEqual([
      {
        trail: ORG_TRAIL,
        trailName: 'org-trail',
        region: 'us-east-1',
        outcome: 'verified',
        window: '2026-03-01T00:00:00Z..2026-03-01T03:00:00Z',
        digestsExpected: 4,
        digestsFound: 3,
        digestsValid: 2,
        digestsChained: 1,
        gaps: 1,
        restarts: 2,
        logFilesListed: 9,
        logFilesVerified: 7,
        logFilesModified: 1,
        logFilesMissing: 2,
        logFilesUnlisted: 3,
        problems: 0,
        firstProblem: null,
      },
    ]);
  });

  it('counts chain breaks other than missing digests as gaps (missing ones are counted by the digest count), not log-file problems or staleness', () => {
    const findings = [
      finding('digest-stale', 'stale.json.gz'),
      finding('log-modified', 'a.json.gz'),
      finding('digest-signature-invalid', 'd1.json.gz'),
      finding('digest-missing', 'd2.json.gz'),
      finding('digest-misplaced', 'd3.json.gz'),
    ];
    const [r] = factsFor([report('us-east-1', { outcome: 'failed', findings, digests: { expected: 3, found: 2, signatureValid: 1, chained: 0, missing: 1, restarts: [] } })], undefined).trailRegions;
    expect(r).toMatchObject({ gaps: 3, problems: 4 });
    // The first problem skips the stale digest, and is named as an s3:// object.
    expect(r!.firstProblem).toEqual({ kind: 'log-modified', object: 's3://central-logs/a.json.gz', hour: '2026-03-01T01:00:00Z', detail: 'log-modified detail' });
  });

  it('a stale newest digest alone is no problem, but its age and the delivery error are reported', () => {
    const [r] = factsFor([report('us-east-1', { findings: [finding('digest-stale', 'old.json.gz')], newestDigest: { ageHours: 30, latestDigestDeliveryError: 'AccessDenied' } })], undefined).trailRegions;
    expect(r).toMatchObject({ problems: 0, firstProblem: null, newestDigestAgeHours: 30, latestDigestDeliveryError: 'AccessDenied' });
  });

  it('an age of 0 hours is reported; no age and no delivery error leave both out', () => {
    const [fresh] = factsFor([report('us-east-1', { newestDigest: { ageHours: 0, latestDigestDeliveryError: '' } })], undefined).trailRegions;
    expect(fresh!.newestDigestAgeHours).toBe(0);
    expect(fresh).not.toHaveProperty('latestDigestDeliveryError');
    const [none] = factsFor([report('us-east-1')], undefined).trailRegions;
    expect(none).not.toHaveProperty('newestDigestAgeHours');
    expect(none).not.toHaveProperty('notRead');
  });

  it('names the first thing not read, with its object when there is one', () => {
    const unreadable = [
      { operation: 's3:GetObject', code: 'AccessDenied', message: 'denied', object: 'x.json.gz' },
      { operation: 's3:ListObjectsV2', code: 'SlowDown', message: 'later' },
    ];
    const [withObject] = factsFor([report('us-east-1', { outcome: 'incomplete', unreadable })], undefined).trailRegions;
    expect(withObject!.notRead).toBe('s3:GetObject AccessDenied x.json.gz: denied');
    const [without] = factsFor([report('us-east-1', { outcome: 'incomplete', unreadable: unreadable.slice(1) })], undefined).trailRegions;
    expect(without!.notRead).toBe('s3:ListObjectsV2 SlowDown: later');
  });
});

describe('log integrity facts of the account', () => {
  it('not requested: requested false, nothing else, whatever the records', () => {
    expect(factsFor([report('us-east-1')], [validating(ORG_TRAIL, ['us-east-1'])], false)).toEqual({ requested: false, window: null, hashLogs: null, trailRegions: [], unverified: [] });
  });

  it('complete when every validating trail-region has a fully read record; sorted by trail then region', () => {
    const other = trailArn('us-east-1', MEMBER, 'a-own');
    const facts = factsFor(
      [report('us-east-1'), report('eu-west-1'), report('us-east-1', {}, other)],
      [validating(ORG_TRAIL, ['eu-west-1', 'us-east-1']), validating(other, ['us-east-1']), validating(trailArn('us-east-1', MEMBER, 'no-validation'), ['us-east-1'], false)],
    );
    expect(facts).toMatchObject({ requested: true, window: WINDOW, hashLogs: 'sample', unverified: [], complete: true });
    expect(facts).not.toHaveProperty('unknown');
    expect(facts.trailRegions.map((r) => `${r.trailName} ${r.region}`)).toEqual(['org-trail eu-west-1', 'org-trail us-east-1', 'a-own us-east-1']);
  });

  it('without trails or records there is nothing to verify: complete', () => {
    expect(factsFor(undefined, undefined)).toEqual({ requested: true, window: WINDOW, hashLogs: 'sample', trailRegions: [], unverified: [], complete: true });
  });

  it('a validating trail-region without a record, or one not read in full, leaves `complete` unknown, listing each', () => {
    const facts = factsFor(
      [report('us-east-1', { outcome: 'incomplete', unreadable: [{ operation: 's3:GetObject', code: 'AccessDenied', message: 'no' }] }), report('ap-south-1', { outcome: 'incomplete' })],
      [validating(ORG_TRAIL, ['us-east-1', 'eu-west-1', 'ap-south-1', 'ca-central-1'])],
    );
    expect(facts.complete).toBeUndefined();
    expect(facts.unverified).toEqual([`${ORG_TRAIL} ca-central-1`, `${ORG_TRAIL} eu-west-1`]);
    expect(facts.unknown).toEqual({
      complete:
        'org-trail ap-south-1: not everything was read; org-trail us-east-1: s3:GetObject AccessDenied: no; ' +
        `${ORG_TRAIL} ca-central-1: no verification record; ${ORG_TRAIL} eu-west-1: no verification record`,
    });
  });

  it('one record not read in full is enough to leave `complete` unknown', () => {
    const facts = factsFor([report('us-east-1', { outcome: 'incomplete' })], [validating(ORG_TRAIL, ['us-east-1'])]);
    expect(facts).toMatchObject({ unverified: [], unknown: { complete: 'org-trail us-east-1: not everything was read' } });
    expect(facts).not.toHaveProperty('complete');
  });

  it('one validating trail-region without a record is enough to leave `complete` unknown', () => {
    const facts = factsFor([report('us-east-1')], [validating(ORG_TRAIL, ['us-east-1', 'eu-west-1'])]);
    expect(facts).toMatchObject({ unknown: { complete: `${ORG_TRAIL} eu-west-1: no verification record` } });
    expect(facts).not.toHaveProperty('complete');
  });

  it('a failed (but fully read) record does not make `complete` unknown', () => {
    const facts = factsFor([report('us-east-1', { outcome: 'failed', findings: [finding('log-missing', 'gone.json.gz')] })], [validating(ORG_TRAIL, ['us-east-1'])]);
    expect(facts.complete).toBe(true);
  });
});
