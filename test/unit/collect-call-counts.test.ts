import { afterEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../fixtures/aws/fake-aws.ts';
import { collect, testConfig } from '../fixtures/aws/collect-run.ts';

let fake: FakeAws | undefined;
afterEach(() => fake?.restore());

/**
 * The call budget of the test organization (test/fixtures/aws/test-org.json): 5 accounts in scope
 * (4 members + management; 1 suspended skipped), 3 OUs under 1 root, 3 SCPs; 17 regions per
 * account plus 1 opt-in region in prod = 86 account-regions; 2 trails (the organization trail,
 * multi-region, seen 86 times; prod's own multi-region trail, seen 18 times); 7 buckets of which 3
 * matter (the two trail destinations and one PII-tagged bucket), 1 listed without BucketRegion.
 * Any avoidable product (a trail read per region it shadows, SCPs per account, full bucket reads
 * for every bucket) changes these figures.
 *
 * Detective controls (test/fixtures/aws/detective-world.ts): every account-region lists its
 * EventBridge rules and GuardDuty detectors and looks up 9 event names; 2 detectors per account
 * (us-east-1, eu-west-1); the org trail's log group has 2 filters, its region 2 alarms of which the
 * one on a filter metric names 2 SNS topics; 1 rule with an event pattern (and 1 schedule rule);
 * the GuardDuty administrator (audit) has detectors in 2 of the 18 regions of the scan.
 */
const EXPECTED: Record<string, number> = {
  'sts:GetCallerIdentity': 1,
  'sts:AssumeRole': 4, // one per member in scope (the GuardDuty administrator is read again with its credentials)
  'organizations:DescribeOrganization': 1,
  'organizations:ListRoots': 1,
  'organizations:ListOrganizationalUnitsForParent': 4, // root + 3 OUs
  'organizations:ListAccountsForParent': 4, // root + 3 OUs, no per-account ListParents
  'organizations:ListPolicies': 1,
  'organizations:DescribePolicy': 3, // per policy, not per account
  'organizations:ListTargetsForPolicy': 3,
  'account:ListRegions': 5, // per account
  'cloudtrail:DescribeTrails': 86, // per account-region
  'cloudtrail:ListEventDataStores': 86, // per account-region
  'cloudtrail:GetTrailStatus': 2, // per trail, not per shadow (86 + 18 sightings)
  'cloudtrail:GetEventSelectors': 2,
  'cloudtrail:GetInsightSelectors': 1, // only the trail with HasInsightSelectors
  'logs:DescribeLogGroups': 1, // one trail delivers to CloudWatch Logs
  's3:ListBuckets': 5, // per account
  's3:GetBucketLocation': 1, // only the bucket ListBuckets gave no BucketRegion for
  's3:GetBucketTagging': 7, // per bucket
  's3:GetObjectLockConfiguration': 3, // per bucket that matters
  's3:GetBucketLifecycleConfiguration': 3,
  's3:GetBucketVersioning': 3,
  's3:GetPublicAccessBlock': 3,
  's3:GetBucketPolicyStatus': 3,
  's3:GetBucketPolicy': 3,
  's3:GetBucketEncryption': 3,
  's3:GetBucketLogging': 3,
  's3control:GetPublicAccessBlock': 5, // per account
  'logs:DescribeMetricFilters': 1, // per log group a trail delivers to
  'cloudwatch:DescribeAlarms': 1, // per region where such a group has a filter (not per filter metric)
  'sns:ListSubscriptionsByTopic': 2, // per topic of an alarm on a filter metric (the other alarm's topic is not read)
  'events:ListRules': 86, // per account-region
  'events:ListTargetsByRule': 1, // per rule with an event pattern
  'guardduty:ListDetectors': 86, // per account-region
  'guardduty:GetDetector': 10, // per detector
  'guardduty:ListOrganizationAdminAccounts': 18, // per region of the scan, by the management account
  'guardduty:DescribeOrganizationConfiguration': 2, // per region where the administrator has a detector
  'cloudtrail:LookupEvents': 86 * 9, // per account-region × event name (one page each)
};

const DETECTIVE = ['logs:DescribeMetricFilters', 'cloudwatch:', 'sns:', 'events:', 'guardduty:', 'cloudtrail:LookupEvents'];

describe('AWS call budget', () => {
  it('makes exactly the expected number of calls per operation for the test organization', async () => {
    fake = new FakeAws();
    await collect(testConfig());
    expect(fake.counts()).toEqual(Object.fromEntries(Object.entries(EXPECTED).sort(([a], [b]) => (a < b ? -1 : 1))));
    expect(fake.calls).toHaveLength(Object.values(EXPECTED).reduce((a, b) => a + b, 0));
  });

  it('per account and region: DescribeTrails and ListEventDataStores once each, nothing else regional but home-region reads', async () => {
    fake = new FakeAws();
    await collect(testConfig());
    const perAccountRegion = new Map<string, number>();
    for (const c of fake.calls.filter((x) => x.operation === 'cloudtrail:DescribeTrails' || x.operation === 'cloudtrail:ListEventDataStores')) {
      const key = `${c.accountId}/${c.region}/${c.operation}`;
      perAccountRegion.set(key, (perAccountRegion.get(key) ?? 0) + 1);
    }
    expect([...perAccountRegion.values()].every((n) => n === 1)).toBe(true);
    expect(perAccountRegion.size).toBe(2 * 86);
  });

  it('--no-detective (collection.detective: false) makes none of the detective calls, and the rest as before', async () => {
    fake = new FakeAws();
    await collect(testConfig({ collection: { detective: false } }));
    const counts = fake.counts();
    const isDetective = (op: string) => DETECTIVE.some((prefix) => op.startsWith(prefix));
    expect(Object.keys(counts).filter(isDetective)).toEqual([]);
    const rest = Object.entries(EXPECTED).filter(([op]) => !isDetective(op));
    expect(counts).toEqual(Object.fromEntries(rest.sort(([a], [b]) => (a! < b! ? -1 : 1))));
  });

  it('grows with accounts, not with accounts × policies: dropping an OU from scope removes only its accounts’ calls', async () => {
    fake = new FakeAws();
    await collect(testConfig({ scope: { excludeOus: ['ou-a1b2-security'] } }));
    const counts = fake.counts();
    expect(counts['organizations:DescribePolicy']).toBe(3);
    expect(counts['sts:AssumeRole']).toBe(2);
    expect(counts['cloudtrail:DescribeTrails']).toBe(86 - 2 * 17);
    // the org trail's bucket belongs to an excluded account: nobody reads it
    expect(counts['s3:GetObjectLockConfiguration']).toBe(2);
  });
});
