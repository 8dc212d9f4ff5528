/**
 * account.eventDataStores: the CloudTrail Lake event data stores that record an account — its own,
 * listed in any region, and the organization's — and unknown (never "none") when a list that could
 * hold one of them was not read.
 */
import { describe, expect, it } from 'vitest';
import { accountEventDataStores, eventDataStoreFact, eventDataStoreFacts } from '../../src/model/event-data-stores.ts';
import { buildIndex } from '../../src/model/model-index.ts';
import type { EventDataStore } from '../../src/snapshot/types.ts';
import { apiError, failed, ok, absent, type DemoOrg } from '../fixtures/snapshot-builder.ts';
import { MANAGEMENT, miniOrg } from '../fixtures/mini-org.ts';

const MEMBER = '222222222222';

const storeArn = (owner: string, region: string, id: string) => `arn:aws:cloudtrail:${region}:${owner}:eventdatastore/${id}`;

function store(owner: string, region: string, id: string, over: Partial<EventDataStore> = {}): EventDataStore {
  return {
    EventDataStoreArn: storeArn(owner, region, id),
    Name: id,
    Status: 'ENABLED',
    MultiRegionEnabled: true,
    OrganizationEnabled: false,
    RetentionPeriod: 2557,
    TerminationProtectionEnabled: true,
    BillingMode: 'EXTENDABLE_RETENTION_PRICING',
    ...over,
  };
}

/** miniOrg with ListEventDataStores read (empty) in every region of every account. */
function lakeOrg(): DemoOrg {
  const org = miniOrg();
  for (const r of org.records) for (const region of r.regions) region.eventDataStores = ok([]);
  return org;
}

function storesOf(org: DemoOrg, accountId = MEMBER) {
  const snap = org.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  const record = snap.accounts.find((a) => a.accountId === accountId)!;
  return { index, record, stores: accountEventDataStores(index, record), facts: eventDataStoreFacts(index, record) };
}

describe("an account's own event data stores", () => {
  it('lists each store once, however many regions list it, with its home region from the ARN, sorted by ARN', () => {
    const org = lakeOrg();
    const multi = store(MEMBER, 'eu-west-1', 'b-multi');
    const local = store(MEMBER, 'us-east-1', 'a-local', { MultiRegionEnabled: false });
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([multi, local]);
    org.region(MEMBER, 'eu-west-1').eventDataStores = ok([multi]);
    const { stores } = storesOf(org);
    expect(stores.value).toEqual([
      { store: multi, ownerAccountId: MEMBER, homeRegion: 'eu-west-1' },
      { store: local, ownerAccountId: MEMBER, homeRegion: 'us-east-1' },
    ]);
  });

  it('leaves out a store whose ARN names no owner account', () => {
    const org = lakeOrg();
    org.region(MEMBER, 'eu-west-1').eventDataStores = ok([store(MEMBER, 'x', 'odd', { EventDataStoreArn: 'arn:aws:cloudtrail' })]);
    expect(storesOf(org).stores.value).toEqual([]);
  });

  it("leaves out another account's store that a member lists (the organization's copy comes from its owner)", () => {
    const org = lakeOrg();
    const orgStore = store(MANAGEMENT, 'us-east-1', 'org-lake', { OrganizationEnabled: false });
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([orgStore]);
    expect(storesOf(org).stores).toEqual({ value: [] });
  });

  it('a region that answered "no Lake here" (absent) lists nothing and is not a gap', () => {
    const org = lakeOrg();
    org.region(MEMBER, 'eu-west-1').eventDataStores = absent('UnsupportedOperationException');
    const own = store(MEMBER, 'us-east-1', 'lake');
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([own]);
    expect(storesOf(org).stores.value?.map((s) => s.store.Name)).toEqual(['lake']);
  });

  it('is unknown when one region could not be listed, naming the call, account and region', () => {
    const org = lakeOrg();
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([store(MEMBER, 'us-east-1', 'lake')]);
    org.region(MEMBER, 'eu-west-1').eventDataStores = failed(apiError('cloudtrail:ListEventDataStores', 'AccessDeniedException', 'no', MEMBER, 'eu-west-1'));
    expect(storesOf(org).stores).toEqual({ reason: `cloudtrail:ListEventDataStores (${MEMBER}/eu-west-1) failed: AccessDeniedException: no` });
    expect(storesOf(org).facts).toEqual({ reason: `cloudtrail:ListEventDataStores (${MEMBER}/eu-west-1) failed: AccessDeniedException: no` });
  });

  it('is unknown when a region was never listed', () => {
    const org = lakeOrg();
    delete org.region(MEMBER, 'eu-west-1').eventDataStores;
    expect(storesOf(org).stores).toEqual({ reason: `cloudtrail:ListEventDataStores (${MEMBER}/eu-west-1) was not read` });
  });

  it('is unknown when the account could not be entered', () => {
    const org = lakeOrg();
    org.account(MEMBER).access = { error: apiError('sts:AssumeRole', 'AccessDenied', 'denied', MEMBER) };
    expect(storesOf(org).stores).toEqual({ reason: `could not read the account: sts:AssumeRole (${MEMBER}) failed: AccessDenied: denied` });
  });
});

describe("the organization's event data stores", () => {
  it("record every member, after the member's own, each once, sorted by ARN", () => {
    const org = lakeOrg();
    const orgStore = store(MANAGEMENT, 'us-east-1', 'm-org', { OrganizationEnabled: true });
    const own = store(MEMBER, 'us-east-1', 'z-own');
    org.region(MANAGEMENT, 'us-east-1').eventDataStores = ok([orgStore]);
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([own]);
    const { stores } = storesOf(org);
    expect(stores.value?.map((s) => [s.store.EventDataStoreArn, s.ownerAccountId])).toEqual([
      [orgStore.EventDataStoreArn, MANAGEMENT],
      [own.EventDataStoreArn, MEMBER],
    ]);
  });

  it("keep the owner's own entry when the owner is the account (listed once)", () => {
    const org = lakeOrg();
    const orgStore = store(MANAGEMENT, 'us-east-1', 'org', { OrganizationEnabled: true });
    org.region(MANAGEMENT, 'us-east-1').eventDataStores = ok([orgStore]);
    const { stores, facts } = storesOf(org, MANAGEMENT);
    expect(stores.value).toHaveLength(1);
    expect(facts.value?.[0]).toMatchObject({ source: 'own', ownerAccountId: MANAGEMENT });
  });

  it("make every member's list unknown when the management account's list failed somewhere", () => {
    const org = lakeOrg();
    org.region(MANAGEMENT, 'eu-west-1').eventDataStores = failed(apiError('cloudtrail:ListEventDataStores', 'ThrottlingException', 'slow down', MANAGEMENT, 'eu-west-1'));
    org.region(MANAGEMENT, 'us-east-1').eventDataStores = undefined;
    expect(storesOf(org).stores).toEqual({
      reason:
        `organization event data stores unknown: cloudtrail:ListEventDataStores (${MANAGEMENT}/us-east-1) was not read; ` +
        `cloudtrail:ListEventDataStores (${MANAGEMENT}/eu-west-1) failed: ThrottlingException: slow down`,
    });
  });
});

describe('the facts of one event data store', () => {
  it('reports what GetEventDataStore returned, with source "organization" for a store of another account', () => {
    const s = store(MANAGEMENT, 'us-east-1', 'org', { OrganizationEnabled: true, KmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k' });
    expect(eventDataStoreFact(MEMBER, { store: s, ownerAccountId: MANAGEMENT, homeRegion: 'us-east-1' })).toEqual({
      arn: s.EventDataStoreArn,
      name: 'org',
      homeRegion: 'us-east-1',
      ownerAccountId: MANAGEMENT,
      source: 'organization',
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/k',
      status: 'ENABLED',
      multiRegionEnabled: true,
      organizationEnabled: true,
      retentionPeriod: 2557,
      terminationProtectionEnabled: true,
      billingMode: 'EXTENDABLE_RETENTION_PRICING',
    });
  });

  it('falls back to the ARN for a missing name, null for no KMS key, and names each field it did not return', () => {
    const arn = storeArn(MEMBER, 'us-east-1', 'bare');
    expect(eventDataStoreFact(MEMBER, { store: { EventDataStoreArn: arn, RetentionPeriod: 7 }, ownerAccountId: MEMBER, homeRegion: 'us-east-1' })).toEqual({
      arn,
      name: arn,
      homeRegion: 'us-east-1',
      ownerAccountId: MEMBER,
      source: 'own',
      kmsKeyId: null,
      retentionPeriod: 7,
      unknown: {
        status: 'cloudtrail:GetEventDataStore did not return Status',
        multiRegionEnabled: 'cloudtrail:GetEventDataStore did not return MultiRegionEnabled',
        organizationEnabled: 'cloudtrail:GetEventDataStore did not return OrganizationEnabled',
        terminationProtectionEnabled: 'cloudtrail:GetEventDataStore did not return TerminationProtectionEnabled',
        billingMode: 'cloudtrail:GetEventDataStore did not return BillingMode',
      },
    });
  });

  it('names a missing retention period', () => {
    const arn = storeArn(MEMBER, 'us-east-1', 'bare');
    expect(eventDataStoreFact(MEMBER, { store: { EventDataStoreArn: arn }, ownerAccountId: MEMBER, homeRegion: 'us-east-1' }).unknown?.retentionPeriod).toBe(
      'cloudtrail:GetEventDataStore did not return RetentionPeriod',
    );
  });

  it('keeps false and 0 answers as values, not as missing', () => {
    const s = store(MEMBER, 'us-east-1', 'off', { MultiRegionEnabled: false, TerminationProtectionEnabled: false, RetentionPeriod: 0 });
    const facts = eventDataStoreFact(MEMBER, { store: s, ownerAccountId: MEMBER, homeRegion: 'us-east-1' });
    expect(facts).toMatchObject({ multiRegionEnabled: false, terminationProtectionEnabled: false, retentionPeriod: 0 });
    expect(facts).not.toHaveProperty('unknown');
  });

  it('account.eventDataStores lists the facts of every store that records the account', () => {
    const org = lakeOrg();
    org.region(MEMBER, 'us-east-1').eventDataStores = ok([store(MEMBER, 'us-east-1', 'lake')]);
    expect(storesOf(org).facts.value?.map((f) => [f.name, f.source, f.homeRegion])).toEqual([['lake', 'own', 'us-east-1']]);
  });
});
