import { afterEach, describe, expect, it } from 'vitest';
import { FakeAws, loadTestOrg, type FakeOptions } from '../fixtures/aws/fake-aws.ts';
import { COLLECTED_AT, collect, testConfig } from '../fixtures/aws/collect-run.ts';
import type { CollectEvent } from '../../src/collect/index.ts';
import type { AccountRecord } from '../../src/snapshot/types.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { collectOrganization, collectToFile } from '../../src/collect/index.ts';
import { defaultClientFactory } from '../../src/collect/clients.ts';
import { startingCredentials } from '../fixtures/aws/fake-aws.ts';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNPACED } from '../fixtures/world/unpaced.ts';

const MGMT = '111111111111';
const LOG_ARCHIVE = '222222222222';
const AUDIT = '333333333333';
const PROD = '444444444444';
const DEV = '555555555555';
const ORG_TRAIL = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail';
const PROD_TRAIL = 'arn:aws:cloudtrail:eu-west-1:444444444444:trail/prod-trail';

let fake: FakeAws | undefined;
afterEach(() => fake?.restore());

async function run(options: FakeOptions = {}, config = testConfig(), events: CollectEvent[] = []) {
  fake = new FakeAws(options);
  const result = await collect(config, events);
  const byId = (id: string) => result.records.find((r) => r.accountId === id) as AccountRecord;
  return { ...result, byId, fake };
}

describe('collectOrganization: the organization (three OUs, six accounts, SCPs)', () => {
  it('reads the tree, the SCPs with content and targets, and skips the suspended account with its reason', async () => {
    const { header, records } = await run();
    expect(header.collectedAt).toBe(COLLECTED_AT.toISOString());
    expect(header.source).toBe('aws');
    expect(header.partition).toBe('aws');
    expect(header.organization.value?.MasterAccountId).toBe(MGMT);
    expect(header.roots.value?.map((r) => r.Id)).toEqual(['r-a1b2']);
    expect(header.organizationalUnits.value?.map((o) => [o.Id, o.ParentId])).toEqual([
      ['ou-a1b2-prodprod', 'ou-a1b2-workload'],
      ['ou-a1b2-security', 'r-a1b2'],
      ['ou-a1b2-workload', 'r-a1b2'],
    ]);
    expect(header.accounts.value?.map((a) => [a.Id, a.ParentId, a.Status])).toEqual([
      [MGMT, 'r-a1b2', 'ACTIVE'],
      [LOG_ARCHIVE, 'ou-a1b2-security', 'ACTIVE'],
      [AUDIT, 'ou-a1b2-security', 'ACTIVE'],
      [PROD, 'ou-a1b2-prodprod', 'ACTIVE'],
      [DEV, 'ou-a1b2-workload', 'ACTIVE'],
      ['666666666666', 'ou-a1b2-workload', 'SUSPENDED'],
    ]);
    expect(header.accounts.value?.[0]?.JoinedTimestamp).toBe('2020-01-01T00:00:00.000Z');
    const protect = header.policies.value?.find((p) => p.Id === 'p-protecttrail');
    expect(JSON.parse(protect!.Content.value!).Statement[0].Action).toContain('cloudtrail:StopLogging');
    expect(protect!.Targets.value?.map((t) => t.TargetId)).toEqual(['ou-a1b2-security', 'ou-a1b2-workload']);
    expect(header.policies.value?.map((p) => p.Id)).toEqual(['p-FullAWSAccess', 'p-denyleaveorg', 'p-protecttrail']);
    expect(header.scope.accountIds).toEqual([MGMT, LOG_ARCHIVE, AUDIT, PROD, DEV]);
    expect(header.scope.skipped).toEqual([{ accountId: '666666666666', reason: 'status SUSPENDED (state SUSPENDED)' }]);
    expect(records.map((r) => r.accountId)).toEqual(header.scope.accountIds);
    expect(fake!.calls.some((c) => c.accountId === '666666666666')).toBe(false);
  });

  it('never stores credentials', async () => {
    const { header, records } = await run();
    const text = JSON.stringify({ header, records });
    for (const secret of ['ASIA', 'STARTINGKEY', 'starting-secret', '"token"', 'SecretAccessKey', 'SessionToken']) expect(text).not.toContain(secret);
  });

  it('gives the same snapshot whatever the page size, following every NextToken', async () => {
    const big = await run({ pageSize: 100 });
    fake!.restore();
    const small = await run({ pageSize: 1 });
    expect(small.header).toEqual(big.header);
    expect(small.records).toEqual(big.records);
    const tokenOf: Record<string, string> = {
      'organizations:ListOrganizationalUnitsForParent': 'NextToken',
      'organizations:ListAccountsForParent': 'NextToken',
      'organizations:ListPolicies': 'NextToken',
      'organizations:ListTargetsForPolicy': 'NextToken',
      'account:ListRegions': 'NextToken',
      'logs:DescribeLogGroups': 'nextToken',
      's3:ListBuckets': 'ContinuationToken',
    };
    for (const [operation, token] of Object.entries(tokenOf)) {
      const calls = small.fake.calls.filter((c) => c.operation === operation);
      expect(calls.some((c) => typeof c.input[token] === 'string'), operation).toBe(true);
      expect(calls.length, operation).toBeGreaterThan(big.fake.calls.filter((c) => c.operation === operation).length);
    }
    // Paginated with tags asked for too.
    fake!.restore();
    const tagged = await run({ pageSize: 1 }, testConfig({ scope: { accountTags: ['env=prod'] } }));
    expect(tagged.header.scope.accountIds).toEqual([PROD]);
  });

  it('writes a snapshot file the reader accepts (gzipped)', async () => {
    fake = new FakeAws();
    const file = join(mkdtempSync(join(tmpdir(), 'tp-collect-')), 'org.jsonl.gz');
    const spoolDir = mkdtempSync(join(tmpdir(), 'tp-spool-'));
    const config = testConfig();
    const written = await collectToFile(
      {
        config,
        clientFactory: defaultClientFactory({ callTimeoutMs: 2000, credentials: startingCredentials() }),
        now: () => COLLECTED_AT,
        progress: () => undefined,
        spoolDir,
      },
      file,
    );
    expect(written.accounts).toBe(5);
    const snapshot = await readSnapshotFully(file);
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([MGMT, LOG_ARCHIVE, AUDIT, PROD, DEV]);
    expect(snapshot.header.collectedAt).toBe(COLLECTED_AT.toISOString());
    // The records waited on disk for the header; nothing of them is left.
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('removes the spooled records when the snapshot cannot be written', async () => {
    fake = new FakeAws();
    const spoolDir = mkdtempSync(join(tmpdir(), 'tp-spool-'));
    const file = join(tmpdir(), 'tp-no-such-folder', 'sub', 'org.jsonl');
    const options = { config: testConfig(), clientFactory: defaultClientFactory({ callTimeoutMs: 2000, credentials: startingCredentials() }), progress: () => undefined, spoolDir };
    await expect(collectToFile(options, file)).rejects.toThrow(/tp-no-such-folder/);
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});

describe('collectOrganization: entering member accounts', () => {
  it('assumes the member role in each member with the external id and session name, and reads the management account with the starting credentials', async () => {
    const { fake } = await run();
    const assumed = fake.calls.filter((c) => c.operation === 'sts:AssumeRole');
    expect(assumed.map((c) => c.input).sort((a, b) => String(a.RoleArn).localeCompare(String(b.RoleArn)))).toEqual(
      [LOG_ARCHIVE, AUDIT, PROD, DEV].map((id) => ({ RoleArn: `arn:aws:iam::${id}:role/TrailproofReadOnly`, RoleSessionName: 'trailproof', ExternalId: 'trailproof-ext-42' })),
    );
    expect(assumed.every((c) => c.accountId === MGMT)).toBe(true);
    // Each account's own reads are made with its own credentials (the fake tells them apart).
    for (const id of [MGMT, LOG_ARCHIVE, AUDIT, PROD, DEV]) {
      expect(fake.calls.filter((c) => c.operation === 'cloudtrail:DescribeTrails' && c.accountId === id).length).toBe(fake.enabledRegions(id).length);
    }
  });

  it('records a denied AssumeRole on that account only; the others complete', async () => {
    const { byId, records, fake } = await run({ denyAssume: [AUDIT] });
    const audit = byId(AUDIT);
    expect(audit.access?.error).toMatchObject({ operation: 'sts:AssumeRole', code: 'AccessDenied', accountId: AUDIT });
    expect(audit.access?.error.message).toContain(`arn:aws:iam::${AUDIT}:role/TrailproofReadOnly`);
    expect(audit.regions).toEqual([]);
    expect(audit.buckets).toBeUndefined();
    expect(fake.calls.filter((c) => c.accountId === AUDIT)).toEqual([]);
    for (const r of records.filter((x) => x.accountId !== AUDIT)) {
      expect(r.access).toBeUndefined();
      expect(r.regions.length).toBe(fake.enabledRegions(r.accountId).length);
      expect(r.regions.every((x) => x.trails.value !== undefined)).toBe(true);
    }
  });
});

describe('collectOrganization: throttling and timeouts', () => {
  it('retries throttling that clears and keeps the answer', async () => {
    const { byId, fake, records } = await run({ throttle: { 'cloudtrail:GetTrailStatus': 2, 'organizations:ListPolicies': 1 } });
    expect(byId(MGMT).trailDetails[ORG_TRAIL]?.status.value?.IsLogging).toBe(true);
    expect(byId(PROD).trailDetails[PROD_TRAIL]?.status.value?.IsLogging).toBe(false);
    // two throttled attempts + one success per trail, spread over the two trails
    expect(fake.counts()['cloudtrail:GetTrailStatus']).toBe(4);
    expect(fake.counts()['organizations:ListPolicies']).toBe(2);
    expect(JSON.stringify(records)).not.toContain('ThrottlingException');
  });

  it('records throttling that never clears after maxAttempts and completes the scan', async () => {
    const events: CollectEvent[] = [];
    const { byId, fake, records } = await run({ throttle: { 'cloudtrail:GetEventSelectors': Infinity } }, testConfig({ collection: { maxAttempts: 3 } }), events);
    const selectors = byId(MGMT).trailDetails[ORG_TRAIL]?.eventSelectors;
    expect(selectors?.error).toMatchObject({ operation: 'cloudtrail:GetEventSelectors', code: 'ThrottlingException', accountId: MGMT, region: 'us-east-1' });
    expect(byId(PROD).trailDetails[PROD_TRAIL]?.eventSelectors.error?.code).toBe('ThrottlingException');
    expect(fake.counts()['cloudtrail:GetEventSelectors']).toBe(2 * 3);
    // Everything else was still read.
    expect(byId(MGMT).trailDetails[ORG_TRAIL]?.status.value?.IsLogging).toBe(true);
    expect(records).toHaveLength(5);
    expect(events.filter((e) => e.type === 'call-failed' && e.error.operation === 'cloudtrail:GetEventSelectors')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'account-done').map((e) => (e as { done: number }).done)).toEqual([1, 2, 3, 4, 5]);
  });

  it('times out a call that never answers and records TimeoutError', async () => {
    const { byId, fake } = await run({ hang: ['logs:DescribeLogGroups'] }, testConfig({ collection: { callTimeoutMs: 30, maxAttempts: 2 } }));
    const group = byId(MGMT).regions.find((r) => r.region === 'us-east-1')?.logGroups?.['arn:aws:logs:us-east-1:111111111111:log-group:aws-cloudtrail-logs-org:*'];
    expect(group?.error).toMatchObject({ operation: 'logs:DescribeLogGroups', code: 'TimeoutError', accountId: MGMT, region: 'us-east-1' });
    expect(fake.counts()['logs:DescribeLogGroups']).toBe(2);
  });
});

describe('collectOrganization: regions and trails', () => {
  it('reads only enabled regions: an opt-in region left disabled is not called, an enabled one is', async () => {
    const { byId, fake } = await run();
    expect(fake.calls.some((c) => c.region === 'me-south-1')).toBe(false);
    expect(byId(DEV).regions.map((r) => r.region)).not.toContain('me-south-1');
    expect(byId(DEV).enabledRegions?.value).toHaveLength(17);
    expect(byId(PROD).regions.map((r) => r.region)).toContain('af-south-1');
    expect(byId(PROD).enabledRegions?.value).toContain('af-south-1');
    const listRegions = fake.calls.filter((c) => c.operation === 'account:ListRegions');
    expect(listRegions.every((c) => JSON.stringify(c.input.RegionOptStatusContains) === '["ENABLED","ENABLED_BY_DEFAULT"]')).toBe(true);
  });

  it('records which call gave the enabled regions', async () => {
    const { byId } = await run();
    expect(byId(PROD).enabledRegionsSource).toBe('account:ListRegions');
  });

  it('falls back to ec2:DescribeRegions when account:ListRegions is denied, and records it', async () => {
    const { byId, fake } = await run({ deny: ['account:ListRegions'] });
    expect(byId(PROD).enabledRegions?.value).toContain('af-south-1');
    expect(byId(PROD).enabledRegions?.value).toHaveLength(18);
    expect(byId(PROD).enabledRegionsSource).toBe('ec2:DescribeRegions');
    expect(byId(PROD).regions.map((r) => r.region)).toContain('af-south-1');
    expect(fake.counts()['ec2:DescribeRegions']).toBe(5);
  });

  it('keeps the regions unknown, with both failures, when ec2:DescribeRegions fails too', async () => {
    const { byId } = await run({ deny: ['account:ListRegions', 'ec2:DescribeRegions'] });
    const enabled = byId(PROD).enabledRegions;
    expect(enabled?.value).toBeUndefined();
    expect(enabled?.error).toMatchObject({ operation: 'account:ListRegions', code: 'AccessDeniedException' });
    expect(enabled?.error?.message).toContain('ec2:DescribeRegions failed too: AccessDeniedException');
    expect(byId(PROD).enabledRegionsSource).toBeUndefined();
  });

  it('reads a configured region list without ListRegions', async () => {
    const { header, byId, fake } = await run({}, testConfig({ scope: { regions: ['us-east-1', 'eu-west-1'] } }));
    expect(header.scope.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(fake.counts()['account:ListRegions']).toBeUndefined();
    expect(fake.counts()['cloudtrail:DescribeTrails']).toBe(5 * 2);
    expect(byId(DEV).enabledRegions).toBeUndefined();
  });

  it('reads a multi-region trail seen in 17 regions once, in its home region, by ARN, by its owner', async () => {
    const { byId, records, fake } = await run();
    const logArchive = byId(LOG_ARCHIVE);
    expect(logArchive.regions).toHaveLength(17);
    expect(logArchive.regions.every((r) => r.trails.value?.some((t) => t.TrailARN === ORG_TRAIL))).toBe(true);
    const statusCalls = fake.calls.filter((c) => c.operation === 'cloudtrail:GetTrailStatus' && c.input.Name === ORG_TRAIL);
    expect(statusCalls).toEqual([{ operation: 'cloudtrail:GetTrailStatus', accountId: MGMT, region: 'us-east-1', input: { Name: ORG_TRAIL } }]);
    expect(fake.calls.filter((c) => c.operation === 'cloudtrail:GetEventSelectors' && c.input.TrailName === ORG_TRAIL)).toHaveLength(1);
    const prodSelectors = fake.calls.filter((c) => c.operation === 'cloudtrail:GetEventSelectors' && c.input.TrailName === PROD_TRAIL);
    expect(prodSelectors.map((c) => [c.accountId, c.region])).toEqual([[PROD, 'eu-west-1']]);
    // Only the owner keeps the details; members hold the shadows only.
    expect(records.filter((r) => r.trailDetails[ORG_TRAIL]).map((r) => r.accountId)).toEqual([MGMT]);
    expect(Object.keys(byId(PROD).trailDetails)).toEqual([PROD_TRAIL]);
  });

  it('reads every page of ListEventDataStores and each store once, in the region that lists it', async () => {
    // Three stores in one region, listed one per page; names repeat across accounts and regions,
    // and the answers leave out optional fields as endpoints do.
    const arn = (account: string, region: string, id: string) => `arn:aws:cloudtrail:${region}:${account}:eventdatastore/${id}`;
    const store = (account: string, region: string, id: string, extra: Record<string, unknown> = {}) => ({
      EventDataStoreArn: arn(account, region, id),
      Name: 'audit-lake',
      Status: 'ENABLED',
      AdvancedEventSelectors: [{ Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      RetentionPeriod: 2557,
      CreatedTimestamp: new Date('2025-10-14T16:27:41.532Z'),
      ...extra,
    });
    const stores = {
      [PROD]: {
        'eu-west-1': [
          store(PROD, 'eu-west-1', '0b7e6a2c-1f3d-4c55-9d8e-5a1f0c9b2e11', { MultiRegionEnabled: true, OrganizationEnabled: false, BillingMode: 'EXTENDABLE_RETENTION_PRICING' }),
          store(PROD, 'eu-west-1', '5c2d8f10-77aa-4b0e-8e21-0f3c6d9a4b72', { Name: 'data-events', MultiRegionEnabled: false }),
          store(PROD, 'eu-west-1', 'e91a4b36-2c0d-4f7e-b1a5-3d8c7e6f5a90', { Status: 'STOPPED_INGESTION' }),
        ],
      },
      [DEV]: { 'us-east-1': [store(DEV, 'us-east-1', '7a0e3c51-9b2f-4d16-a8c4-1e5f2d7b3c08')] },
    };
    const { byId, fake } = await run({ pageSize: 1, eventDataStores: stores });
    const listed = (account: string, region: string) => byId(account).regions.find((r) => r.region === region)!.eventDataStores!;
    expect(listed(PROD, 'eu-west-1').value?.map((s) => s.EventDataStoreArn)).toEqual(stores[PROD]['eu-west-1'].map((s) => s.EventDataStoreArn).sort());
    expect(listed(PROD, 'eu-west-1').value?.find((s) => s.Name === 'data-events')).toMatchObject({ MultiRegionEnabled: false, CreatedTimestamp: '2025-10-14T16:27:41.532Z' });
    expect(listed(PROD, 'eu-west-1').value?.find((s) => s.Status === 'STOPPED_INGESTION')).not.toHaveProperty('MultiRegionEnabled');
    expect(listed(DEV, 'us-east-1').value).toHaveLength(1);
    expect(listed(DEV, 'eu-west-1').value).toEqual([]);
    const calls = (operation: string, account: string, region: string) => fake.calls.filter((c) => c.operation === operation && c.accountId === account && c.region === region);
    // The fake's tokens are opaque to the collector (base64 of the next offset), as AWS's are.
    const offsets = calls('cloudtrail:ListEventDataStores', PROD, 'eu-west-1').map((c) => (c.input.NextToken === undefined ? undefined : Buffer.from(String(c.input.NextToken), 'base64url').toString()));
    expect(offsets).toEqual([undefined, '1', '2']);
    expect(calls('cloudtrail:GetEventDataStore', PROD, 'eu-west-1')).toHaveLength(3);
    expect(fake.calls.filter((c) => c.operation === 'cloudtrail:GetEventDataStore')).toHaveLength(4);
  });

  it('reads the organization trail in full: status, selectors, insights, log group retention', async () => {
    const { byId, fake } = await run();
    const detail = byId(MGMT).trailDetails[ORG_TRAIL]!;
    expect(detail.status.value).toEqual({
      IsLogging: true,
      LatestDeliveryTime: '2026-11-20T23:55:12.000Z',
      LatestDigestDeliveryTime: '2026-11-20T23:30:00.000Z',
      StartLoggingTime: '2024-01-01T00:00:00.000Z',
    });
    expect(detail.eventSelectors.value?.AdvancedEventSelectors?.[1]?.FieldSelectors[1]).toEqual({ Field: 'resources.type', Equals: ['AWS::S3::Object'] });
    expect(detail.insightSelectors?.value).toEqual([{ InsightType: 'ApiCallRateInsight' }]);
    const usEast1 = byId(MGMT).regions.find((r) => r.region === 'us-east-1')!;
    // The prefix also matches "...-org-old": the exact name is picked.
    expect(Object.values(usEast1.logGroups ?? {})).toEqual([{ value: { logGroupName: 'aws-cloudtrail-logs-org', arn: 'arn:aws:logs:us-east-1:111111111111:log-group:aws-cloudtrail-logs-org:*', retentionInDays: 365 } }]);
    // A trail without insight selectors is not asked for them.
    expect(byId(PROD).trailDetails[PROD_TRAIL]?.insightSelectors).toBeUndefined();
    expect(fake.calls.filter((c) => c.operation === 'cloudtrail:GetInsightSelectors').map((c) => c.input.TrailName)).toEqual([ORG_TRAIL]);
    expect(byId(DEV).regions.every((r) => r.trails.value?.length === 1 && r.trails.value[0]?.IsOrganizationTrail)).toBe(true);
  });
});

describe('collectOrganization: buckets', () => {
  it('reads a trail bucket of another account with that account’s credentials, in the bucket’s region', async () => {
    const { byId, fake } = await run();
    const bucket = byId(LOG_ARCHIVE).bucketDetails?.['org-cloudtrail-logs'];
    expect(bucket?.region).toEqual({ value: 'eu-west-1' }); // GetBucketLocation answered the legacy "EU"
    expect(bucket?.objectLock?.value).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } });
    expect(bucket?.lifecycle?.value?.[0]).toMatchObject({ ID: 'expire-after-7-years', Expiration: { Days: 2557 } });
    expect(bucket?.versioning?.value).toEqual({ Status: 'Enabled', MFADelete: 'Disabled' });
    expect(bucket?.policyStatus?.value).toEqual({ IsPublic: false });
    expect(bucket?.logging?.value?.LoggingEnabled?.TargetBucket).toBe('log-archive-access-logs');
    expect(bucket?.encryption?.value?.Rules[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('aws:kms');
    const reads = fake.calls.filter((c) => c.operation.startsWith('s3:Get') && c.input.Bucket === 'org-cloudtrail-logs');
    expect(new Set(reads.map((c) => c.accountId))).toEqual(new Set([LOG_ARCHIVE]));
    expect(new Set(reads.filter((c) => c.operation !== 's3:GetBucketLocation').map((c) => c.region))).toEqual(new Set(['eu-west-1']));
    // The management account, which owns the trail, never touches the bucket.
    expect(byId(MGMT).bucketDetails?.['org-cloudtrail-logs']).toBeUndefined();
  });

  it('reads a bucket in another region there, and only region and tags of buckets that do not matter', async () => {
    const { byId, fake } = await run();
    const pii = byId(PROD).bucketDetails?.['prod-customer-data'];
    expect(pii?.region).toEqual({ value: 'us-west-2' });
    expect(pii?.versioning?.value).toEqual({ Status: 'Suspended' });
    expect(fake.calls.filter((c) => c.input.Bucket === 'prod-customer-data').every((c) => c.region === 'us-west-2')).toBe(true);
    const plain = byId(PROD).bucketDetails?.['prod-static-site'];
    expect(plain).toEqual({ Name: 'prod-static-site', region: { value: 'us-east-1' }, tags: { value: [{ Key: 'env', Value: 'prod' }] } });
    expect(byId(DEV).bucketDetails?.['dev-scratch']?.region).toEqual({ value: 'ap-southeast-2' });
    expect(byId(LOG_ARCHIVE).bucketDetails?.['log-archive-access-logs']?.tags).toEqual({ value: null, absent: 'NoSuchTagSet' });
  });

  it('maps documented "not configured" answers to absent, not errors', async () => {
    const { byId } = await run();
    const b = byId(PROD).bucketDetails?.['prod-trail-logs'];
    expect(b?.objectLock).toEqual({ value: null, absent: 'ObjectLockConfigurationNotFoundError' });
    expect(b?.lifecycle).toEqual({ value: null, absent: 'NoSuchLifecycleConfiguration' });
    expect(b?.publicAccessBlock).toEqual({ value: null, absent: 'NoSuchPublicAccessBlockConfiguration' });
    expect(b?.policy).toEqual({ value: null, absent: 'NoSuchBucketPolicy' });
    expect(b?.policyStatus).toEqual({ value: null, absent: 'NoSuchBucketPolicy' });
    expect(b?.encryption).toEqual({ value: null, absent: 'ServerSideEncryptionConfigurationNotFoundError' });
    expect(b?.versioning).toEqual({ value: {} });
    expect(b?.logging).toEqual({ value: {} });
    expect(byId(PROD).accountPublicAccessBlock).toEqual({ value: null, absent: 'NoSuchPublicAccessBlockConfiguration' });
    expect(byId(MGMT).accountPublicAccessBlock?.value?.BlockPublicPolicy).toBe(true);
  });
});

describe('collectOrganization: scope', () => {
  it('selects by OU path (with sub-OUs) and says why the others were skipped', async () => {
    const { header, fake } = await run({}, testConfig({ scope: { ous: ['Root/Workloads'] } }));
    expect(header.scope.accountIds).toEqual([PROD, DEV]);
    expect(header.scope.skipped).toEqual([
      { accountId: MGMT, reason: 'not under scope.ous' },
      { accountId: LOG_ARCHIVE, reason: 'not under scope.ous' },
      { accountId: AUDIT, reason: 'not under scope.ous' },
      { accountId: '666666666666', reason: 'status SUSPENDED (state SUSPENDED)' },
    ]);
    expect(fake.counts()['sts:AssumeRole']).toBe(2);
  });

  it('falls back to the starting account alone when the organization cannot be read', async () => {
    // Starting credentials of a member account: Organizations refuses them.
    const { header, records, fake } = await run({ startAs: DEV });
    expect(header.organization.error?.code).toBe('AccessDeniedException');
    expect(header.accounts.error?.code).toBe('AccessDeniedException');
    expect(header.scope.accountIds).toEqual([DEV]);
    expect(records.map((r) => r.accountId)).toEqual([DEV]);
    expect(fake.counts()['sts:AssumeRole']).toBeUndefined();
    expect(records[0]?.trailDetails).toEqual({});
    expect(records[0]?.regions).toHaveLength(17);
  });
});

describe('collectOrganization: accounts read as the tree walk finds them', () => {
  /** prod's own trail delivering to a bucket of the management account, which is found (and read) first. */
  const prodTrailTo = (bucket: string) =>
    loadTestOrg().trails.map((t) => (t.trail.TrailARN === PROD_TRAIL ? { ...t, trail: { ...t.trail, S3BucketName: bucket } } : t)) as FakeOptions['trails'];

  it('reads a bucket in full with its owner’s credentials when a trail of an account read later turns out to deliver to it', async () => {
    const { byId, fake } = await run({ trails: prodTrailTo('mgmt-billing-reports') }, testConfig({ collection: { accountConcurrency: 1 } }));
    const bucket = byId(MGMT).bucketDetails?.['mgmt-billing-reports'];
    expect(bucket?.versioning).toBeDefined();
    expect(bucket?.lifecycle).toBeDefined();
    const reads = fake.calls.filter((c) => c.input.Bucket === 'mgmt-billing-reports');
    // Region and tags in the first pass, the eight configuration reads once each in the second, all as the owner.
    expect(reads.map((c) => c.operation).sort()).toEqual([
      's3:GetBucketEncryption', 's3:GetBucketLifecycleConfiguration', 's3:GetBucketLogging', 's3:GetBucketPolicy',
      's3:GetBucketPolicyStatus', 's3:GetBucketTagging', 's3:GetBucketVersioning', 's3:GetObjectLockConfiguration', 's3:GetPublicAccessBlock',
    ]);
    expect(new Set(reads.map((c) => c.accountId))).toEqual(new Set([MGMT]));
    const tagging = fake.calls.findIndex((c) => c.operation === 's3:GetBucketTagging' && c.input.Bucket === 'mgmt-billing-reports');
    const prodTrails = fake.calls.findIndex((c) => c.operation === 'cloudtrail:DescribeTrails' && c.accountId === PROD);
    const versioning = fake.calls.findIndex((c) => c.operation === 's3:GetBucketVersioning' && c.input.Bucket === 'mgmt-billing-reports');
    expect(tagging).toBeLessThan(prodTrails); // the management account was read before prod's trail was known...
    expect(prodTrails).toBeLessThan(versioning); // ...and its bucket completed afterwards
    // Its old trail bucket is now nobody's destination: region and tags only.
    expect(Object.keys(byId(PROD).bucketDetails?.['prod-trail-logs'] ?? {})).toEqual(['Name', 'region', 'tags']);
  });

  it('gives the same snapshot whatever the order accounts finish in', async () => {
    const one = await run({ trails: prodTrailTo('mgmt-billing-reports') }, testConfig({ collection: { accountConcurrency: 1 } }));
    fake!.restore();
    const many = await run({ trails: prodTrailTo('mgmt-billing-reports') }, testConfig({ collection: { accountConcurrency: 16 } }));
    expect(many.header).toEqual(one.header);
    expect(many.records).toEqual(one.records);
    expect(many.fake.counts()).toEqual(one.fake.counts());
  });

  it('starts reading accounts before the SCPs are read', async () => {
    const { fake } = await run();
    const firstAccountCall = fake.calls.findIndex((c) => c.operation.startsWith('cloudtrail:'));
    const firstPolicyCall = fake.calls.findIndex((c) => c.operation === 'organizations:ListPolicies');
    expect(firstAccountCall).toBeGreaterThanOrEqual(0);
    expect(firstAccountCall).toBeLessThan(firstPolicyCall);
  });

  it('releases each account’s SDK clients when the account is done', async () => {
    fake = new FakeAws();
    const config = testConfig({ collection: { accountConcurrency: 1 } });
    const base = defaultClientFactory({ callTimeoutMs: 2_000, credentials: startingCredentials() });
    let alive = 0;
    let created = 0;
    const aliveWhenDone: number[] = [];
    const factory = {
      startingCredentials: () => base.startingCredentials(),
      client: (...args: Parameters<typeof base.client>) => {
        const client = base.client(...args);
        created++;
        alive++;
        return { send: client.send.bind(client), destroy: () => (alive--, client.destroy?.()) };
      },
    };
    const { records } = await collectOrganization({
      config,
      clientFactory: factory,
      now: () => COLLECTED_AT,
      progress: (e) => void (e.type === 'account-done' && aliveWhenDone.push(alive)),
      ...UNPACED,
    });
    for await (const _ of records) void _;
    expect(created).toBeGreaterThan(5 * 17);
    // Only the starting credentials' clients (STS, Organizations) outlive an account.
    expect(aliveWhenDone).toEqual([2, 2, 2, 2, 2]);
    expect(alive).toBe(0);
  });
});
