/**
 * The one list of AWS calls the collector may make. The call runner refuses any command that is
 * not here, `trailproof iam-policy` builds the least-privilege policies from it, and a test fails
 * if an entry is not a read.
 */

/** SDK client families the collector uses (the prefix of `operation` in recorded errors). */
export type ServiceName = 'organizations' | 'sts' | 'cloudtrail' | 's3' | 's3control' | 'logs' | 'account' | 'ec2' | 'cloudwatch' | 'sns' | 'events' | 'guardduty';

/**
 * management: the starting principal (management account or delegated administrator). It also
 * reads its own account with its own credentials, so it needs every member action too.
 * member: the role assumed in each member account.
 */
export type CollectorRole = 'management' | 'member';

export interface AwsAction {
  service: ServiceName;
  /** SDK operation name: the Command class without "Command". */
  operation: string;
  /** IAM action that authorises it (differs from the operation name for several S3 calls). */
  iamAction: string | null;
  roles: CollectorRole[];
  why: string;
  /** Set for calls made only when the user asks for that feature; the policy grants them in a separate statement. */
  optIn?: OptInFeature;
}

/** Features that read more than the configuration, and need permissions the baseline policy does not grant. */
export type OptInFeature = 'verify-logs';

const MGMT: CollectorRole[] = ['management'];
const BOTH: CollectorRole[] = ['management', 'member'];

export const AWS_ACTIONS: readonly AwsAction[] = [
  // sts:GetCallerIdentity needs no permission: AWS always allows it.
  { service: 'sts', operation: 'GetCallerIdentity', iamAction: null, roles: MGMT, why: 'starting account id and partition' },
  { service: 'sts', operation: 'AssumeRole', iamAction: 'sts:AssumeRole', roles: MGMT, why: 'enter each member account' },

  { service: 'organizations', operation: 'DescribeOrganization', iamAction: 'organizations:DescribeOrganization', roles: MGMT, why: 'organization id, management account, feature set' },
  { service: 'organizations', operation: 'ListRoots', iamAction: 'organizations:ListRoots', roles: MGMT, why: 'roots and the policy types enabled on them' },
  { service: 'organizations', operation: 'ListOrganizationalUnitsForParent', iamAction: 'organizations:ListOrganizationalUnitsForParent', roles: MGMT, why: 'OU tree' },
  { service: 'organizations', operation: 'ListAccountsForParent', iamAction: 'organizations:ListAccountsForParent', roles: MGMT, why: 'accounts with their parent OU' },
  { service: 'organizations', operation: 'ListAccounts', iamAction: 'organizations:ListAccounts', roles: MGMT, why: 'accounts when the OU tree cannot be walked' },
  { service: 'organizations', operation: 'ListTagsForResource', iamAction: 'organizations:ListTagsForResource', roles: MGMT, why: 'account tags, only when scope.accountTags is set' },
  { service: 'organizations', operation: 'ListPolicies', iamAction: 'organizations:ListPolicies', roles: MGMT, why: 'service control policies' },
  { service: 'organizations', operation: 'DescribePolicy', iamAction: 'organizations:DescribePolicy', roles: MGMT, why: 'SCP content' },
  { service: 'organizations', operation: 'ListTargetsForPolicy', iamAction: 'organizations:ListTargetsForPolicy', roles: MGMT, why: 'where each SCP is attached' },

  { service: 'account', operation: 'ListRegions', iamAction: 'account:ListRegions', roles: BOTH, why: 'regions enabled for the account (opt-in aware)' },
  { service: 'ec2', operation: 'DescribeRegions', iamAction: 'ec2:DescribeRegions', roles: BOTH, why: 'enabled regions when account:ListRegions fails (denied, or not implemented by the endpoint)' },

  { service: 'cloudtrail', operation: 'DescribeTrails', iamAction: 'cloudtrail:DescribeTrails', roles: BOTH, why: 'trails, with shadows, per region' },
  { service: 'cloudtrail', operation: 'GetTrailStatus', iamAction: 'cloudtrail:GetTrailStatus', roles: BOTH, why: 'logging status, once per trail' },
  { service: 'cloudtrail', operation: 'GetEventSelectors', iamAction: 'cloudtrail:GetEventSelectors', roles: BOTH, why: 'event selectors, once per trail' },
  { service: 'cloudtrail', operation: 'GetInsightSelectors', iamAction: 'cloudtrail:GetInsightSelectors', roles: BOTH, why: 'insight selectors of trails that have them' },
  { service: 'cloudtrail', operation: 'ListEventDataStores', iamAction: 'cloudtrail:ListEventDataStores', roles: BOTH, why: 'CloudTrail Lake event data stores' },
  { service: 'cloudtrail', operation: 'GetEventDataStore', iamAction: 'cloudtrail:GetEventDataStore', roles: BOTH, why: 'event data store retention and selectors' },

  { service: 'logs', operation: 'DescribeLogGroups', iamAction: 'logs:DescribeLogGroups', roles: BOTH, why: 'retention of the log groups trails deliver to' },

  { service: 's3', operation: 'ListBuckets', iamAction: 's3:ListAllMyBuckets', roles: BOTH, why: 'buckets of the account and their regions' },
  { service: 's3', operation: 'GetBucketLocation', iamAction: 's3:GetBucketLocation', roles: BOTH, why: 'bucket region when ListBuckets does not give it' },
  { service: 's3', operation: 'GetBucketTagging', iamAction: 's3:GetBucketTagging', roles: BOTH, why: 'PII classification tags' },
  { service: 's3', operation: 'GetObjectLockConfiguration', iamAction: 's3:GetBucketObjectLockConfiguration', roles: BOTH, why: 'guaranteed retention of trail logs' },
  { service: 's3', operation: 'GetBucketLifecycleConfiguration', iamAction: 's3:GetLifecycleConfiguration', roles: BOTH, why: 'how long trail logs are kept' },
  { service: 's3', operation: 'GetBucketVersioning', iamAction: 's3:GetBucketVersioning', roles: BOTH, why: 'versioning and MFA delete' },
  { service: 's3', operation: 'GetPublicAccessBlock', iamAction: 's3:GetBucketPublicAccessBlock', roles: BOTH, why: 'bucket public access block' },
  { service: 's3', operation: 'GetBucketPolicyStatus', iamAction: 's3:GetBucketPolicyStatus', roles: BOTH, why: 'whether AWS judges the bucket public' },
  { service: 's3', operation: 'GetBucketPolicy', iamAction: 's3:GetBucketPolicy', roles: BOTH, why: 'bucket policy' },
  { service: 's3', operation: 'GetBucketEncryption', iamAction: 's3:GetEncryptionConfiguration', roles: BOTH, why: 'default encryption' },
  { service: 's3', operation: 'GetBucketLogging', iamAction: 's3:GetBucketLogging', roles: BOTH, why: 'server access logging of the trail bucket' },
  { service: 's3control', operation: 'GetPublicAccessBlock', iamAction: 's3:GetAccountPublicAccessBlock', roles: BOTH, why: 'account-wide public access block' },

  // Detective controls on trail tampering (on by default; --no-detective or collection.detective: false skips them all).
  { service: 'logs', operation: 'DescribeMetricFilters', iamAction: 'logs:DescribeMetricFilters', roles: BOTH, why: 'metric filters on the log groups trails deliver to' },
  { service: 'cloudwatch', operation: 'DescribeAlarms', iamAction: 'cloudwatch:DescribeAlarms', roles: BOTH, why: 'metric alarms, in regions where a trail log group has a metric filter' },
  { service: 'sns', operation: 'ListSubscriptionsByTopic', iamAction: 'sns:ListSubscriptionsByTopic', roles: BOTH, why: 'confirmed subscriptions of the SNS topics those alarms notify' },
  { service: 'events', operation: 'ListRules', iamAction: 'events:ListRules', roles: BOTH, why: 'EventBridge rules on the default event bus, per region' },
  { service: 'events', operation: 'ListTargetsByRule', iamAction: 'events:ListTargetsByRule', roles: BOTH, why: 'targets of the rules that have an event pattern' },
  { service: 'guardduty', operation: 'ListDetectors', iamAction: 'guardduty:ListDetectors', roles: BOTH, why: 'GuardDuty detector per region' },
  { service: 'guardduty', operation: 'GetDetector', iamAction: 'guardduty:GetDetector', roles: BOTH, why: 'whether the detector is enabled or suspended' },
  { service: 'guardduty', operation: 'ListOrganizationAdminAccounts', iamAction: 'guardduty:ListOrganizationAdminAccounts', roles: MGMT, why: 'GuardDuty delegated administrator per region' },
  { service: 'guardduty', operation: 'DescribeOrganizationConfiguration', iamAction: 'guardduty:DescribeOrganizationConfiguration', roles: BOTH, why: 'auto-enable for new members, in the delegated administrator account' },
  { service: 'cloudtrail', operation: 'LookupEvents', iamAction: 'cloudtrail:LookupEvents', roles: BOTH, why: 'tampering calls in the last N days (paced at 2 requests per second per account and region)' },

  // verify-logs (and scan --verify-logs): reads the trail buckets' digest and log objects.
  { service: 'cloudtrail', operation: 'ListPublicKeys', iamAction: 'cloudtrail:ListPublicKeys', roles: MGMT, why: 'public keys that sign the digest files', optIn: 'verify-logs' },
  // The objects are read as the bucket's owner (the member role in the log-archive account) when the snapshot knows it.
  { service: 's3', operation: 'ListObjectsV2', iamAction: 's3:ListBucket', roles: BOTH, why: 'digest and log objects under the trail prefix', optIn: 'verify-logs' },
  { service: 's3', operation: 'GetObject', iamAction: 's3:GetObject', roles: BOTH, why: 'digest files and the log files they list', optIn: 'verify-logs' },
];

/**
 * Permissions an opt-in feature needs beyond the calls it makes: S3 decrypts SSE-KMS log files for
 * GetObject with the caller's kms:Decrypt. Not an SDK call of ours, so not in AWS_ACTIONS.
 */
export const IMPLIED_PERMISSIONS: readonly { iamAction: string; optIn: OptInFeature; roles: CollectorRole[]; why: string }[] = [
  { iamAction: 'kms:Decrypt', optIn: 'verify-logs', roles: BOTH, why: 'GetObject on log files encrypted with SSE-KMS' },
];

const byKey = new Map(AWS_ACTIONS.map((a) => [`${a.service}:${a.operation}`, a]));

/** The listed entry for an SDK call, or undefined when the collector must not make it. */
export function listedAction(service: ServiceName, operation: string): AwsAction | undefined {
  return byKey.get(`${service}:${operation}`);
}

const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$|^[a-z0-9-]+:(LookupEvents|TestMetricFilter|TestEventPattern)$|^sts:AssumeRole$/;

export function isReadOnlyAction(iamAction: string): boolean {
  return READ_ONLY.test(iamAction);
}

/** IAM actions a role needs, sorted and unique. */
export function actionsForRole(role: CollectorRole): string[] {
  const set = new Set<string>();
  for (const a of AWS_ACTIONS) if (a.iamAction && a.roles.includes(role) && !a.optIn) set.add(a.iamAction);
  return [...set].sort();
}

/** IAM actions an opt-in feature adds to a role, sorted and unique. */
export function optInActions(feature: OptInFeature, role: CollectorRole = 'management'): string[] {
  const set = new Set<string>();
  for (const a of AWS_ACTIONS) if (a.iamAction && a.optIn === feature && a.roles.includes(role)) set.add(a.iamAction);
  for (const p of IMPLIED_PERMISSIONS) if (p.optIn === feature && p.roles.includes(role)) set.add(p.iamAction);
  return [...set].sort();
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string | string[] }[];
}

/**
 * Least-privilege policy for a role. Read actions on the services read take Resource "*" because
 * the collector discovers the resources; sts:AssumeRole is limited to the member role's name.
 */
export function policyForRole(role: CollectorRole, memberRoleName: string, partition = 'aws', optIn: readonly OptInFeature[] = []): PolicyDocument {
  const actions = actionsForRole(role);
  const reads = actions.filter((a) => a !== 'sts:AssumeRole');
  const statements: PolicyDocument['Statement'] = [{ Sid: 'TrailproofRead', Effect: 'Allow', Action: reads, Resource: '*' }];
  if (actions.includes('sts:AssumeRole')) {
    statements.push({
      Sid: 'TrailproofEnterMemberAccounts',
      Effect: 'Allow',
      Action: ['sts:AssumeRole'],
      Resource: `arn:${partition}:iam::*:role/${memberRoleName}`,
    });
  }
  // Opt-in reads of the trail buckets' objects: a separate statement, so it can be granted (and
  // narrowed to the log-archive buckets) only where verify-logs runs. The member role needs it in
  // the account that owns the trail bucket (objects are read as the owner); the management role
  // for ListPublicKeys and for buckets whose owner is unknown or is the management account.
  if (optIn.includes('verify-logs')) {
    statements.push({ Sid: 'TrailproofVerifyLogsOptIn', Effect: 'Allow', Action: optInActions('verify-logs', role), Resource: '*' });
  }
  return { Version: '2012-10-17', Statement: statements };
}
