/** The two kinds of line: the header and one account record. Part of the snapshot schema's one source (../schema-source.ts). */
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../format.ts';
import { arrayOf, doc, fetched, isoTime, mapOf, named, nonEmpty, ref, type Schema, skippedAccount, strict, strings } from './vocabulary.ts';

export const LINES: Record<string, Schema> = {
  SnapshotHeader: strict(
    {
      format: { const: SNAPSHOT_FORMAT },
      version: doc('The format version: 2 is written; version 1 (the same lines without references) is still read.', { const: SNAPSHOT_VERSION, tsType: '1 | 2' }),
      tool: strict({ name: nonEmpty, version: nonEmpty }, ['name', 'version']),
      collectedAt: doc('When collection started (ISO-8601, UTC). Reports take their times from here.', isoTime),
      source: doc('How the snapshot came to be: "aws", "demo", "synthetic", or a user label.', nonEmpty),
      partition: doc('"aws", "aws-us-gov", "aws-cn".', nonEmpty),
      scope: named(
        'SnapshotScope',
        strict(
          {
            regions: doc('Regions the collector was asked to read ("all enabled" is resolved to the list read).', strings),
            accountIds: doc('Accounts selected for reading, in the order of the account lines.', strings),
            skipped: arrayOf({ ...skippedAccount, tsType: 'SkippedAccount' }),
            shard: doc('Set when this snapshot is one shard of a larger scan: "K/N".', { type: 'string', pattern: '^[1-9][0-9]*/[1-9][0-9]*$' }),
          },
          ['regions', 'accountIds', 'skipped'],
        ),
      ),
      organization: fetched(ref('Organization')),
      roots: fetched(arrayOf(ref('Root'))),
      organizationalUnits: fetched(arrayOf(ref('OrganizationalUnit'))),
      accounts: fetched(arrayOf(ref('OrgAccount'))),
      policies: fetched(arrayOf(ref('ServiceControlPolicy'))),
      errors: doc('Errors not tied to one account line (e.g. ListRoots). Per-account errors live inline.', arrayOf(ref('ApiError'))),
      logIntegrity: doc('Present when the collection verified the CloudTrail digest chains (scan --verify-logs).', ref('LogIntegrityRun')),
      guardDutyOrganization: doc(
        "GuardDuty's organization configuration per region, read from the delegated administrator (detective controls).",
        mapOf(fetched(ref('GuardDutyOrganizationConfiguration'))),
      ),
    },
    [
      'format',
      'version',
      'tool',
      'collectedAt',
      'source',
      'partition',
      'scope',
      'organization',
      'roots',
      'organizationalUnits',
      'accounts',
      'policies',
      'errors',
    ],
  ),
  AccountRecord: strict(
    {
      accountId: { type: 'string', pattern: '^[0-9]{12}$' },
      access: doc(
        'Set when the account could not be entered at all (AssumeRole denied, ...): every fact is unknown.',
        strict({ error: ref('ApiError') }, ['error']),
      ),
      regions: arrayOf(ref('RegionRecord')),
      trailDetails: doc('Details of the trails this account owns (home region reads), keyed by TrailARN.', mapOf(ref('TrailDetail'))),
      buckets: doc('ListBuckets.', fetched(arrayOf(ref('BucketListing')))),
      bucketDetails: doc('Per bucket owned by this account, keyed by bucket name.', mapOf(ref('BucketRecord'))),
      accountPublicAccessBlock: doc('S3 Control GetPublicAccessBlock for the account.', fetched(ref('PublicAccessBlock'))),
      enabledRegions: doc(
        'Regions enabled for this account, when read (account:ListRegions, else ec2:DescribeRegions).',
        fetched(strings),
      ),
      enabledRegionsSource: doc(
        'The call that gave `enabledRegions`; absent in snapshots written before it was recorded (account:ListRegions).',
        { enum: ['account:ListRegions', 'ec2:DescribeRegions'] },
      ),
      logIntegrity: doc(
        "The digest-chain verification of this account's logs, one per trail × region (with header.logIntegrity).",
        arrayOf(ref('LogIntegrityReport')),
      ),
    },
    ['accountId', 'regions', 'trailDetails'],
  ),
};
