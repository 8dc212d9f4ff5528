/**
 * Which AWS call each Fetched field of a snapshot records, by the field's name. The writer names
 * the call when it keeps an answer whose shape was not the expected one (see tolerate.ts).
 */
const OPERATION_OF_FIELD: Readonly<Record<string, string>> = {
  organization: 'organizations:DescribeOrganization',
  roots: 'organizations:ListRoots',
  organizationalUnits: 'organizations:ListOrganizationalUnitsForParent',
  accounts: 'organizations:ListAccountsForParent',
  policies: 'organizations:ListPolicies',
  Content: 'organizations:DescribePolicy',
  Targets: 'organizations:ListTargetsForPolicy',
  trails: 'cloudtrail:DescribeTrails',
  eventDataStores: 'cloudtrail:GetEventDataStore',
  status: 'cloudtrail:GetTrailStatus',
  eventSelectors: 'cloudtrail:GetEventSelectors',
  insightSelectors: 'cloudtrail:GetInsightSelectors',
  logGroups: 'logs:DescribeLogGroups',
  buckets: 's3:ListBuckets',
  region: 's3:GetBucketLocation',
  tags: 's3:GetBucketTagging',
  objectLock: 's3:GetObjectLockConfiguration',
  lifecycle: 's3:GetBucketLifecycleConfiguration',
  versioning: 's3:GetBucketVersioning',
  publicAccessBlock: 's3:GetPublicAccessBlock',
  policyStatus: 's3:GetBucketPolicyStatus',
  policy: 's3:GetBucketPolicy',
  encryption: 's3:GetBucketEncryption',
  logging: 's3:GetBucketLogging',
  accountPublicAccessBlock: 's3control:GetPublicAccessBlock',
  enabledRegions: 'account:ListRegions',
  // Detective controls: the maps are keyed by log group, topic ARN, rule name, event name or region.
  metricFilters: 'logs:DescribeMetricFilters',
  metricAlarms: 'cloudwatch:DescribeAlarms',
  topicSubscriptions: 'sns:ListSubscriptionsByTopic',
  eventRules: 'events:ListRules',
  ruleTargets: 'events:ListTargetsByRule',
  guardDutyDetectors: 'guardduty:ListDetectors',
  events: 'cloudtrail:LookupEvents',
  guardDutyOrganization: 'guardduty:DescribeOrganizationConfiguration',
};

/**
 * The operation behind the Fetched at `path` (JSON Pointer segments, the Fetched's own key last).
 * Log groups are keyed by their ARN under `logGroups` (and the detective maps by a name), so the
 * parent's name counts there.
 */
export function operationOfField(path: readonly string[]): string {
  const own = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  return OPERATION_OF_FIELD[own] ?? OPERATION_OF_FIELD[parent] ?? `the call behind /${path.join('/')}`;
}
