/**
 * The demo organization's PII buckets (tag DataClassification=PII), one situation each, and what
 * `s3-pii-data-events` says about them:
 *
 * - acme-data-customer-profiles (data-prod): the account's own trail names the bucket in a classic
 *   DataResources selector → PASS.
 * - acme-payments-settlement-files (payments-prod): the account's advanced selector records every
 *   S3 object (its Name says "management events": the Name is never consulted) → PASS.
 * - acme-hr-payroll (shared-services): an organization trail of the management account records it,
 *   although the member's own DescribeTrails does not list organization trails → PASS.
 * - acme-analytics-customer-events (analytics-dev): named only on the WriteOnly trail → FAIL, reads.
 * - acme-data-lake-raw (data-prod): only its `customers/` prefix is named → FAIL, partial.
 * - acme-data-customer (data-prod): not recorded; `arn:aws:s3:::acme-data-customer-profiles/` does
 *   not reach it (bucket names match exactly) → FAIL.
 * Untagged buckets get no verdict; the account that could not be entered gets one ERROR.
 */
import type { AdvancedEventSelector } from '../../src/snapshot/types.ts';
import { DEMO_ACCOUNTS, ORG_TRAIL_BUCKET } from './accounts.ts';
import { accountOf, trailArn, trailOf, type DemoDraft } from './draft.ts';
import { plainBucket } from './organization.ts';

const PII = { DataClassification: 'PII' };

export const PII_ORG_TRAIL_ARN = trailArn('us-east-1', DEMO_ACCOUNTS.management, 'org-pii-data-events');

/** A PII bucket (listed by the core demo already: tagged PII now; else added). */
function addPiiBucket(draft: DemoDraft, ownerId: string, name: string, region: string, created: string, extraTags: Record<string, string> = {}): void {
  const buckets = accountOf(draft, ownerId).buckets;
  const bucket = plainBucket(name, region, created, { ...extraTags, ...PII });
  const at = buckets.findIndex((b) => b.Name === name);
  if (at >= 0) buckets[at] = { ...buckets[at]!, tags: bucket.tags };
  else buckets.push(bucket);
}

/** Adds S3 object DataResources to a classic selector of a trail the core demo created. */
function addDataResources(draft: DemoDraft, arn: string, selectorIndex: number, values: string[]): void {
  const selector = trailOf(draft, arn).selectors.EventSelectors?.[selectorIndex];
  if (!selector) throw new Error(`demo trail ${arn} has no classic selector ${selectorIndex}`);
  selector.DataResources = [...(selector.DataResources ?? []), { Type: 'AWS::S3::Object', Values: values }];
}

/** A data-events-only organization trail: the usual way to add PII buckets without touching the main trail. */
function addPiiOrganizationTrail(draft: DemoDraft, buckets: string[]): void {
  const selectors: AdvancedEventSelector[] = [
    {
      Name: 'PII buckets: all object events',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: buckets.map((b) => `arn:aws:s3:::${b}/`) },
      ],
    },
  ];
  accountOf(draft, DEMO_ACCOUNTS.management).trails.push({
    trail: {
      Name: 'org-pii-data-events',
      S3BucketName: ORG_TRAIL_BUCKET,
      S3KeyPrefix: 'pii-data-events',
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      HomeRegion: 'us-east-1',
      TrailARN: PII_ORG_TRAIL_ARN,
      LogFileValidationEnabled: true,
      KmsKeyId: `arn:aws:kms:us-east-1:${DEMO_ACCOUNTS.logArchive}:key/4f8c2b1e-7d3a-4c9e-9b6f-2a1d5e8c7b90`,
      HasCustomEventSelectors: true,
      HasInsightSelectors: false,
      IsOrganizationTrail: true,
    },
    status: { IsLogging: true, LatestDeliveryTime: '2026-11-02T08:55:12.000Z', StartLoggingTime: '2023-02-01T10:00:00.000Z' },
    selectors: { AdvancedEventSelectors: selectors },
  });
}

/** Story module of the demo organization (see world.ts). */
export function addDemoPiiBuckets(draft: DemoDraft): void {
  const a = DEMO_ACCOUNTS;

  addPiiBucket(draft, a.dataProd, 'acme-data-customer-profiles', 'eu-west-1', '2021-03-09T10:00:00.000Z', { Owner: 'data' });
  addPiiBucket(draft, a.dataProd, 'acme-data-customer', 'eu-west-1', '2021-04-12T14:30:00.000Z', { Owner: 'data' });
  addPiiBucket(draft, a.dataProd, 'acme-data-lake-raw', 'eu-west-1', '2020-10-05T08:30:00.000Z', { Owner: 'data' });
  addDataResources(draft, trailArn('eu-west-1', a.dataProd, 'data-prod-trail'), 0, [
    'arn:aws:s3:::acme-data-customer-profiles/',
    'arn:aws:s3:::acme-data-lake-raw/customers/',
  ]);

  addPiiBucket(draft, a.paymentsProd, 'acme-payments-settlement-files', 'us-east-1', '2020-03-02T10:00:00.000Z', { Owner: 'payments' });

  addPiiBucket(draft, a.sharedServices, 'acme-hr-payroll', 'us-west-2', '2022-01-17T09:00:00.000Z', { Owner: 'hr' });
  addPiiOrganizationTrail(draft, ['acme-hr-payroll']);

  addPiiBucket(draft, a.analyticsDev, 'acme-analytics-customer-events', 'us-east-1', '2022-06-01T12:00:00.000Z');
  addDataResources(draft, trailArn('us-east-1', a.analyticsDev, 'analytics-write-trail'), 0, [
    'arn:aws:s3:::acme-analytics-customer-events/',
  ]);
}
