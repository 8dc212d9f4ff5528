import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type Bucket,
  type GetBucketEncryptionCommandOutput,
  type GetBucketLifecycleConfigurationCommandOutput,
  type GetBucketLocationCommandOutput,
  type GetBucketLoggingCommandOutput,
  type GetBucketPolicyCommandOutput,
  type GetBucketPolicyStatusCommandOutput,
  type GetBucketTaggingCommandOutput,
  type GetBucketVersioningCommandOutput,
  type GetObjectLockConfigurationCommandOutput,
  type GetPublicAccessBlockCommandOutput,
  type ListBucketsCommandOutput,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  type GetPublicAccessBlockCommandOutput as GetAccountPublicAccessBlockOutput,
} from '@aws-sdk/client-s3-control';
import { piiMatchReasons } from '../config/pii-match.ts';
import type { TrailproofConfig } from '../config/types.ts';
import type {
  BucketEncryption,
  BucketListing,
  BucketLogging,
  BucketRecord,
  BucketVersioning,
  Fetched,
  LifecycleRule,
  ObjectLockConfiguration,
  PublicAccessBlock,
  Tag,
} from '../snapshot/types.ts';
import { fetchOne, paginate, plain, toFetched } from './fetch.ts';
import type { AccountSession } from './session.ts';

/** ListBuckets, paginated (MaxBuckets makes S3 paginate; newer answers carry BucketRegion). */
export async function listBuckets(session: AccountSession, region: string): Promise<Fetched<BucketListing[]>> {
  const outcome = await paginate<ListBucketsCommandOutput, Bucket>(
    session, 's3', region,
    (ContinuationToken) => new ListBucketsCommand({ MaxBuckets: 1000, ContinuationToken }),
    (o) => o.Buckets, (o) => o.ContinuationToken,
  );
  return toFetched(outcome, (list) => plain<BucketListing[]>(list).sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0)));
}

/** GetBucketLocation: null or "" means us-east-1, "EU" is the legacy name of eu-west-1. */
export function normaliseLocation(constraint: string | null | undefined): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

/** Region and tags: read for every bucket, they decide whether the bucket matters. */
export async function readBucketBasics(session: AccountSession, listing: BucketListing, homeRegion: string): Promise<BucketRecord> {
  const Bucket = listing.Name;
  const region: Fetched<string> = listing.BucketRegion
    ? { value: listing.BucketRegion }
    : toFetched(
        await session.call<GetBucketLocationCommandOutput>('s3', homeRegion, new GetBucketLocationCommand({ Bucket })),
        (o) => normaliseLocation(o.LocationConstraint),
      );
  const tags = await fetchOne<GetBucketTaggingCommandOutput, Tag[]>(session, 's3', region.value ?? homeRegion, new GetBucketTaggingCommand({ Bucket }), (o) => plain(o.TagSet ?? []), [
    'NoSuchTagSet',
  ]);
  return { Name: Bucket, region, tags };
}

/**
 * A bucket matters when it receives logs of a trail seen anywhere in the organization, or may hold
 * PII. Unreadable tags leave the bucket's PII status unknown (the tags error says so); reading its
 * full configuration would not settle that, and would cost eight calls per bucket of the account.
 */
export function isPiiBucket(bucket: BucketRecord, pii: TrailproofConfig['pii']): boolean {
  return isPiiCandidate(bucket.Name, bucket.tags.value ?? [], pii);
}

/** The full configuration of a bucket that matters, read in its region, added to `record`. */
export async function readBucketConfiguration(session: AccountSession, record: BucketRecord, homeRegion: string): Promise<BucketRecord> {
  const Bucket = record.Name;
  // Bucket calls must reach the bucket's region; when that is unknown the client follows S3's redirect.
  const at = record.region.value ?? homeRegion;
  const read = <O, T>(command: { input: unknown; constructor: { name: string } }, map: (o: O) => T, notConfigured: string[] = []) =>
    fetchOne<O, T>(session, 's3', at, command, map, notConfigured);
  const [objectLock, lifecycle, versioning, publicAccessBlock, policyStatus, policy, encryption, logging] = await Promise.all([
    read<GetObjectLockConfigurationCommandOutput, ObjectLockConfiguration>(
      new GetObjectLockConfigurationCommand({ Bucket }), (o) => plain(o.ObjectLockConfiguration ?? {}), ['ObjectLockConfigurationNotFoundError']),
    read<GetBucketLifecycleConfigurationCommandOutput, LifecycleRule[]>(
      new GetBucketLifecycleConfigurationCommand({ Bucket }), (o) => plain(o.Rules ?? []), ['NoSuchLifecycleConfiguration']),
    read<GetBucketVersioningCommandOutput, BucketVersioning>(
      new GetBucketVersioningCommand({ Bucket }), (o) => plain({ Status: o.Status, MFADelete: o.MFADelete })),
    read<GetPublicAccessBlockCommandOutput, PublicAccessBlock>(
      new GetPublicAccessBlockCommand({ Bucket }), (o) => plain(o.PublicAccessBlockConfiguration ?? {}), ['NoSuchPublicAccessBlockConfiguration']),
    // With no bucket policy, S3 answers GetBucketPolicyStatus with NoSuchBucketPolicy too.
    read<GetBucketPolicyStatusCommandOutput, { IsPublic: boolean }>(
      new GetBucketPolicyStatusCommand({ Bucket }), (o) => ({ IsPublic: o.PolicyStatus?.IsPublic ?? false }), ['NoSuchBucketPolicy']),
    read<GetBucketPolicyCommandOutput, string>(new GetBucketPolicyCommand({ Bucket }), (o) => o.Policy ?? '', ['NoSuchBucketPolicy']),
    read<GetBucketEncryptionCommandOutput, BucketEncryption>(
      new GetBucketEncryptionCommand({ Bucket }), (o) => plain({ Rules: o.ServerSideEncryptionConfiguration?.Rules ?? [] }),
      ['ServerSideEncryptionConfigurationNotFoundError']),
    read<GetBucketLoggingCommandOutput, BucketLogging>(new GetBucketLoggingCommand({ Bucket }), (o) => plain({ LoggingEnabled: o.LoggingEnabled })),
  ]);
  return Object.assign(record, { objectLock, lifecycle, versioning, publicAccessBlock, policyStatus, policy, encryption, logging });
}

/** config.yaml `pii`: an explicit name, a name glob, or a tag (key and value compared case-insensitively). */
export function isPiiCandidate(name: string, tags: Tag[], pii: TrailproofConfig['pii']): boolean {
  return piiMatchReasons(name, tags, pii).length > 0;
}

/** S3 Control GetPublicAccessBlock: the account-wide block. */
export async function readAccountPublicAccessBlock(session: AccountSession, region: string): Promise<Fetched<PublicAccessBlock>> {
  return fetchOne<GetAccountPublicAccessBlockOutput, PublicAccessBlock>(
    session, 's3control', region, new GetAccountPublicAccessBlockCommand({ AccountId: session.accountId }),
    (o) => plain(o.PublicAccessBlockConfiguration ?? {}), ['NoSuchPublicAccessBlockConfiguration'],
  );
}
