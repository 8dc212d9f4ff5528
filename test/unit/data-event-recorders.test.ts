import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { AccountDataEventsFacts as AccountDataEventFacts, BucketDataEventsFacts as BucketDataEventFacts } from '../../src/model/facts.ts';
import { apiError, failed, ok, tags, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, trail } from '../fixtures/mini-org.ts';
import type { EventDataStore, TrailEventSelectors } from '../../src/snapshot/types.ts';

/**
 * Which trails and event data stores count as recorders of a bucket's object events, and what each
 * says when it does not count or cannot be judged (data-event-recorders.ts), seen through
 * bucket.dataEvents and account.dataEvents.
 */
const MEMBER = '222222222222';
const S3_OBJECTS = [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }];
const ALL_S3: TrailEventSelectors = { EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] };

/** A member with one PII bucket in us-east-1, no trail and no event data store (both read). */
function memberWithPiiBucket(): DemoOrg {
  const o = miniOrg();
  for (const r of o.records) for (const region of r.regions) region.eventDataStores = ok([]);
  o.addBucket(MEMBER, { Name: 'customers', region: ok('us-east-1'), tags: ok(tags({ DataClassification: 'PII' })) });
  return o;
}

function facts(o: DemoOrg): { bucket: BucketDataEventFacts; account: AccountDataEventFacts } {
  const snap = o.snapshot();
  const subjects = subjectsForAccount(buildIndex(snap.header, snap.accounts), snap.accounts.find((r) => r.accountId === MEMBER)!);
  const bucket = subjects.find((s) => s.resource.type === 'bucket')!.activation.bucket!;
  return { bucket: bucket.dataEvents as BucketDataEventFacts, account: subjects[0]!.activation.account!.dataEvents as AccountDataEventFacts };
}

function store(over: Partial<EventDataStore> = {}): EventDataStore {
  return {
    EventDataStoreArn: `arn:aws:cloudtrail:eu-west-1:${MEMBER}:eventdatastore/lake`,
    Name: 'lake',
    Status: 'ENABLED',
    MultiRegionEnabled: true,
    AdvancedEventSelectors: [{ FieldSelectors: S3_OBJECTS }],
    ...over,
  };
}

function withStore(s: EventDataStore): DemoOrg {
  const o = memberWithPiiBucket();
  o.region(MEMBER, 'eu-west-1').eventDataStores = ok([s]);
  return o;
}

describe('trails as recorders', () => {
  it('a trail whose details were never read leaves coverage unknown, saying its event selectors were not read', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    expect(facts(o).bucket.unknown).toEqual({
      read: `${own.TrailARN}: cloudtrail:GetEventSelectors was not read`,
      write: `${own.TrailARN}: cloudtrail:GetEventSelectors was not read`,
    });
  });

  it('a trail that is not logging does not count, and is named with that reason', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, false, ALL_S3));
    expect(facts(o).bucket.read).toMatchObject({ status: 'not-covered', notCounted: [{ source: own.TrailARN, reason: 'the trail is not logging' }] });
  });

  it('a trail whose logging status failed makes coverage unknown with the failed call', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, { TrailARN: own.TrailARN, status: failed(apiError('cloudtrail:GetTrailStatus', 'AccessDeniedException', 'no', MEMBER, 'us-east-1')), eventSelectors: ok(ALL_S3) });
    expect(facts(o).bucket.unknown?.read).toBe(`${own.TrailARN}: cloudtrail:GetTrailStatus (${MEMBER}/us-east-1) failed: AccessDeniedException: no`);
  });

  it('a trail answering no selector lists at all records no object events', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, { TrailARN: own.TrailARN, status: ok({ IsLogging: true }), eventSelectors: { value: null, absent: 'TrailNotFoundException' } });
    expect(facts(o).bucket.read).toMatchObject({ status: 'not-covered', by: [] });
  });

  it('advanced selectors are used when the trail has them', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    o.addTrailDetail(MEMBER, detail(own, true, { AdvancedEventSelectors: [{ FieldSelectors: [...S3_OBJECTS, { Field: 'readOnly', Equals: ['true'] }] }] }));
    const { bucket } = facts(o);
    expect(bucket.read).toMatchObject({ status: 'covered', by: [{ source: own.TrailARN, selectorType: 'advanced', selector: 0, scope: 'all' }] });
    expect(bucket.write?.status).toBe('not-covered');
  });

  it('the trails of the account being unknown makes every bucket\'s coverage unknown, with why', () => {
    const o = memberWithPiiBucket();
    o.region(MEMBER, 'us-east-1').trails = failed(apiError('cloudtrail:DescribeTrails', 'AccessDeniedException', 'no', MEMBER, 'us-east-1'));
    const { bucket } = facts(o);
    expect(bucket.read).toBeUndefined();
    expect(bucket.unknown?.read).toMatch(/^the trails recording the account are unknown: .*cloudtrail:DescribeTrails \(222222222222\/us-east-1\) failed: AccessDeniedException: no/);
  });
});

describe('event data stores as recorders', () => {
  it('an ENABLED multi-region store in another region covers the bucket', () => {
    const s = store();
    expect(facts(withStore(s)).bucket.read).toMatchObject({ status: 'covered', by: [{ source: s.EventDataStoreArn, kind: 'event-data-store', selectorType: 'advanced' }] });
  });

  it('a store that does not report MultiRegionEnabled counts as single-region: not for a bucket in another region', () => {
    const s = store();
    delete s.MultiRegionEnabled;
    expect(facts(withStore(s)).bucket.read).toMatchObject({ status: 'not-covered', notCounted: [{ source: s.EventDataStoreArn, reason: 'records only eu-west-1, the bucket is in us-east-1' }] });
    expect(facts(withStore(store({ MultiRegionEnabled: false }))).bucket.read?.status).toBe('not-covered');
  });

  it('a store without Status makes coverage unknown, saying GetEventDataStore did not return it', () => {
    const s = store();
    delete s.Status;
    expect(facts(withStore(s)).bucket.unknown?.read).toBe(`${s.EventDataStoreArn}: cloudtrail:GetEventDataStore did not return Status`);
  });

  it('a store without selectors records nothing', () => {
    const s = store();
    delete s.AdvancedEventSelectors;
    expect(facts(withStore(s)).bucket.read).toMatchObject({ status: 'not-covered', by: [], notCounted: [] });
  });

  it('event data stores that could not be listed stand as one recorder of unknown selectors, also for every bucket of the account', () => {
    const o = memberWithPiiBucket();
    const own = trail(MEMBER, 'own');
    o.addTrailInRegions(own);
    // The trail records writes to every bucket; reads are left to what the unlisted stores may hold.
    o.addTrailDetail(MEMBER, detail(own, true, { EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }));
    delete o.region(MEMBER, 'eu-west-1').eventDataStores;
    const expected = `CloudTrail Lake event data stores: cloudtrail:ListEventDataStores (${MEMBER}/eu-west-1) was not read`;
    const { bucket, account } = facts(o);
    expect(bucket.unknown).toEqual({ read: expected });
    expect(bucket.write?.status).toBe('covered');
    expect(account.unknown).toEqual({ read: expected });
    expect(account.write).toMatchObject({ status: 'covered', allBuckets: true });
  });

  it('an organization store of the management account is a recorder for members', () => {
    const o = memberWithPiiBucket();
    const org = store({ EventDataStoreArn: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:eventdatastore/org`, OrganizationEnabled: true, Status: 'STOPPED_INGESTION' });
    o.region(MANAGEMENT, 'us-east-1').eventDataStores = ok([org]);
    expect(facts(o).bucket.write).toMatchObject({ status: 'not-covered', notCounted: [{ source: org.EventDataStoreArn, reason: 'the event data store is STOPPED_INGESTION' }] });
  });
});
