import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { BucketFacts, AccountFacts } from '../../src/model/facts.ts';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../../src/model/model-index.ts';
import { apiError, failed, ok, tags, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';
import type { EventDataStore } from '../../src/snapshot/types.ts';

const MEMBER = '222222222222';
const ALL_S3 = { EventSelectors: [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };

/** miniOrg with CloudTrail Lake read (no stores) in every region, and one PII bucket in the member. */
function org(): DemoOrg {
  const o = miniOrg();
  for (const r of o.records) for (const region of r.regions) region.eventDataStores = ok([]);
  o.addBucket(MEMBER, { Name: 'customers', region: ok('us-east-1'), tags: ok(tags({ DataClassification: 'PII' })) });
  o.addBucket(MEMBER, { Name: 'public-site', region: ok('us-east-1'), tags: ok(tags({ DataClassification: 'Public' })) });
  return o;
}

function subjects(o: DemoOrg, id = MEMBER, options: ModelOptions = DEFAULT_MODEL_OPTIONS) {
  const snap = o.snapshot();
  const index = buildIndex(snap.header, snap.accounts, options);
  return subjectsForAccount(index, snap.accounts.find((r) => r.accountId === id)!);
}
const buckets = (o: DemoOrg, id = MEMBER): BucketFacts[] => subjects(o, id).flatMap((s) => (s.resource.type === 'bucket' ? [s.activation.bucket!] : []));
const account = (o: DemoOrg, id = MEMBER): AccountFacts => subjects(o, id)[0]!.activation.account!;

function eds(owner: string, over: Partial<EventDataStore> = {}): EventDataStore {
  return {
    EventDataStoreArn: `arn:aws:cloudtrail:us-east-1:${owner}:eventdatastore/0b1c2d3e-org`,
    Name: 'lake',
    Status: 'ENABLED',
    MultiRegionEnabled: true,
    OrganizationEnabled: true,
    RetentionPeriod: 2557,
    TerminationProtectionEnabled: true,
    AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }],
    ...over,
  };
}

describe('bucket subjects', () => {
  it('judges PII buckets only, and says why each is PII', () => {
    const found = buckets(org());
    expect(found.map((b) => b.name)).toEqual(['customers']);
    expect(found[0]).toMatchObject({ arn: 'arn:aws:s3:::customers', accountId: MEMBER, region: 'us-east-1', pii: { classified: true, reasons: ['tag DataClassification=PII'] } });
  });

  it('covers a member bucket by the organization trail, with the trail ARN and selector as evidence', () => {
    const o = org();
    const t = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true });
    o.addTrailInRegions(t, { accountIds: [MANAGEMENT] });
    o.addTrailDetail(MANAGEMENT, detail(t, true, ALL_S3));
    const [b] = buckets(o);
    expect(b?.dataEvents).toMatchObject({
      read: { status: 'covered', by: [{ source: t.TrailARN, kind: 'trail', selector: 0, selectorType: 'classic', scope: 'all' }] },
      write: { status: 'covered' },
    });
  });

  it('covers a member bucket by an organization event data store of the management account', () => {
    const o = org();
    const store = eds(MANAGEMENT);
    o.region(MANAGEMENT, 'us-east-1').eventDataStores = ok([store]);
    const [b] = buckets(o);
    expect(b?.dataEvents).toMatchObject({ read: { status: 'covered', by: [{ source: store.EventDataStoreArn, kind: 'event-data-store' }] } });
    expect(account(o).eventDataStores).toEqual([
      expect.objectContaining({ arn: store.EventDataStoreArn, source: 'organization', status: 'ENABLED', retentionPeriod: 2557, multiRegionEnabled: true, terminationProtectionEnabled: true }),
    ]);
  });

  it('does not count a stopped event data store', () => {
    const o = org();
    o.region(MANAGEMENT, 'us-east-1').eventDataStores = ok([eds(MANAGEMENT, { Status: 'STOPPED_INGESTION' })]);
    expect(buckets(o)[0]?.dataEvents).toMatchObject({ read: { status: 'not-covered', notCounted: [{ reason: 'the event data store is STOPPED_INGESTION' }] } });
  });

  it('reports partial coverage under a prefix', () => {
    const o = org();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, true, { EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::customers/exports/'] }] }] }));
    const [b] = buckets(o);
    expect(b?.dataEvents).toMatchObject({
      read: { status: 'not-covered', missing: ['all object read events'] },
      write: { status: 'partial', missing: ['objects arn:aws:s3:::customers/* except arn:aws:s3:::customers/exports/*'] },
    });
  });

  it('leaves coverage unknown when the selectors could not be read', () => {
    const o = org();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, { TrailARN: own.TrailARN, status: ok({ IsLogging: true }), eventSelectors: failed(apiError('cloudtrail:GetEventSelectors', 'AccessDeniedException', 'denied', MEMBER, 'us-east-1')) });
    const [b] = buckets(o);
    expect(b?.dataEvents?.read).toBeUndefined();
    expect((b?.dataEvents as { unknown?: Record<string, string> }).unknown?.read).toContain('AccessDeniedException');
  });

  it('treats unlisted event data stores as unknown, not as absent', () => {
    const o = org();
    delete o.region(MEMBER, 'eu-west-1').eventDataStores;
    const [b] = buckets(o);
    expect((b?.dataEvents as { unknown?: Record<string, string> }).unknown?.write).toContain('ListEventDataStores');
  });

  it('produces a subject with unknown PII status when the tags could not be read', () => {
    const o = org();
    o.addBucket(MEMBER, { Name: 'mystery', region: ok('us-east-1'), tags: failed(apiError('s3:GetBucketTagging', 'AccessDenied', 'Access Denied', MEMBER)) });
    const mystery = buckets(o).find((b) => b.name === 'mystery');
    expect(mystery?.pii).toBeUndefined();
    expect(mystery?.unknown?.pii).toContain('AccessDenied');
  });

  it('produces one stand-in subject when the buckets could not be listed', () => {
    const o = org();
    o.account(MEMBER).buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'Access Denied', MEMBER));
    const found = buckets(o);
    expect(found).toHaveLength(1);
    expect(found[0]?.unknown?.pii).toContain('s3:ListBuckets');
  });

  it('classifies by the configured name patterns', () => {
    const o = org();
    const options: ModelOptions = { ...DEFAULT_MODEL_OPTIONS, pii: { tags: [], namePatterns: ['public-*'], buckets: [] } };
    expect(subjects(o, MEMBER, options).filter((s) => s.resource.type === 'bucket').map((s) => s.resource.name)).toEqual(['public-site']);
  });
});

describe('account.dataEvents (every bucket, CIS 3.8 / 3.9)', () => {
  it('is true for a logging multi-region trail over all buckets', () => {
    const o = org();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, true, { EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }));
    const facts = account(o).dataEvents!;
    expect(facts.write).toMatchObject({ allBuckets: true, status: 'covered', by: [{ source: own.TrailARN, selector: 0 }] });
    expect(facts.read).toMatchObject({ allBuckets: false, status: 'not-covered' });
  });

  it('counts classic selectors when the answer also carries an empty AdvancedEventSelectors list', () => {
    // Some endpoints answer GetEventSelectors with both lists, one of them empty: empty is absent.
    const o = org();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, true, { ...ALL_S3, AdvancedEventSelectors: [] }));
    const facts = account(o).dataEvents!;
    expect(facts.read).toMatchObject({ allBuckets: true, status: 'covered', by: [{ source: own.TrailARN, selector: 0 }] });
    expect(facts.write).toMatchObject({ allBuckets: true, status: 'covered' });
  });

  it('is false when only named buckets are recorded, or a single-region trail records all', () => {
    const named = org();
    const own = trail(MEMBER, 'own');
    named.addTrailInRegions(own);
    named.addTrailDetail(MEMBER, detail(own, true, { EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::customers/', 'arn:aws:s3:::public-site/'] }] }] }));
    expect(account(named).dataEvents?.read).toMatchObject({ allBuckets: false, status: 'not-covered' });

    const single = org();
    const local = trail(MEMBER, 'local', { IsMultiRegionTrail: false });
    single.addTrail(MEMBER, 'us-east-1', local);
    single.addTrailDetail(MEMBER, detail(local, true, ALL_S3));
    expect(account(single).dataEvents?.read).toMatchObject({ allBuckets: false });
  });

  it('names existing buckets an exclusion leaves out', () => {
    const o = org();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, true, { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::public-site/'] }] }] }));
    expect(account(o).dataEvents?.read).toMatchObject({ allBuckets: false, uncoveredBuckets: ['public-site'], missing: ['bucket public-site'] });
  });
});
