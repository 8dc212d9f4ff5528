/**
 * The AWS side of verify-logs: S3 listings and streamed object reads of the trail bucket (with the
 * session of whoever may read it: src/collect/bucket-readers.ts), and CloudTrail's public keys and
 * digest delivery status (with the starting session), through the one call runner (so retries,
 * the action list and timeouts are the collector's).
 */
import { GetTrailStatusCommand, ListPublicKeysCommand, type GetTrailStatusCommandOutput, type ListPublicKeysCommandOutput } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, ListObjectsV2Command, type GetObjectCommandOutput, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import type { FetchedObject, IntegritySource } from './integrity/source.ts';
import { SourceError } from './integrity/source.ts';
import type { DigestDeliveryStatus, IntegrityTarget, ListedObject, PublicKeyEntry } from '../snapshot/log-integrity.ts';
import { paginate } from './fetch.ts';
import type { AccountSession } from './session.ts';

export interface TrailLocation {
  /** The trail's home region: where GetTrailStatus answers. */
  homeRegion: string;
  /** The bucket's region: where S3 answers without a redirect. */
  bucketRegion?: string;
}

export function sdkIntegritySource(
  session: AccountSession,
  locate: (target: IntegrityTarget) => TrailLocation,
  objectReader: (bucket: string) => Promise<AccountSession> = async () => session,
): IntegritySource {
  const s3Region = (target: IntegrityTarget) => locate(target).bucketRegion ?? target.region;
  return {
    async *list(target, prefix) {
      let token: string | undefined;
      const seen = new Set<string>();
      do {
        const outcome = await (await objectReader(target.bucket)).call<ListObjectsV2CommandOutput>('s3', s3Region(target), new ListObjectsV2Command({ Bucket: target.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
        if (!outcome.ok) throw new SourceError({ ...outcome.error, object: prefix });
        yield (outcome.output.Contents ?? []).flatMap((o): ListedObject[] =>
          o.Key ? [{ key: o.Key, ...(o.Size !== undefined ? { size: o.Size } : {}), ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}) }] : [],
        );
        token = outcome.output.IsTruncated ? outcome.output.NextContinuationToken : undefined;
        if (token !== undefined && seen.has(token)) break;
        if (token !== undefined) seen.add(token);
      } while (token !== undefined);
    },

    async get(target, key): Promise<FetchedObject | undefined> {
      const outcome = await (await objectReader(target.bucket)).call<GetObjectCommandOutput>('s3', s3Region(target), new GetObjectCommand({ Bucket: target.bucket, Key: key }), ['NoSuchKey']);
      if (!outcome.ok) {
        if (outcome.error.code === 'NoSuchKey') return undefined;
        throw new SourceError({ ...outcome.error, object: key });
      }
      const { Body, Metadata, LastModified } = outcome.output;
      if (!Body) throw new SourceError({ operation: 's3:GetObject', code: 'EmptyBody', message: 'GetObject answered without a body', object: key });
      return { body: Body as AsyncIterable<Uint8Array>, metadata: Metadata ?? {}, ...(LastModified ? { lastModified: LastModified.toISOString() } : {}) };
    },

    async publicKeys(target, from, to): Promise<PublicKeyEntry[]> {
      const outcome = await paginate<ListPublicKeysCommandOutput, NonNullable<ListPublicKeysCommandOutput['PublicKeyList']>[number]>(
        session,
        'cloudtrail',
        target.region,
        (token) => new ListPublicKeysCommand({ StartTime: from, EndTime: to, ...(token ? { NextToken: token } : {}) }),
        (o) => o.PublicKeyList,
        (o) => o.NextToken,
      );
      if (!outcome.ok) throw new SourceError(outcome.error);
      return outcome.output.flatMap((k) =>
        k.Value && k.Fingerprint
          ? [{ fingerprint: k.Fingerprint, der: k.Value, ...(k.ValidityStartTime ? { validityStart: k.ValidityStartTime.toISOString() } : {}), ...(k.ValidityEndTime ? { validityEnd: k.ValidityEndTime.toISOString() } : {}) }]
          : [],
      );
    },

    async trailStatus(target): Promise<DigestDeliveryStatus | undefined> {
      const outcome = await session.call<GetTrailStatusCommandOutput>('cloudtrail', locate(target).homeRegion, new GetTrailStatusCommand({ Name: target.trailArn }));
      if (!outcome.ok) throw new SourceError(outcome.error);
      const o = outcome.output;
      const time = (d: Date | undefined) => d?.toISOString();
      return {
        ...(o.IsLogging !== undefined ? { isLogging: o.IsLogging } : {}),
        ...(o.LatestDigestDeliveryTime ? { latestDigestDeliveryTime: time(o.LatestDigestDeliveryTime)! } : {}),
        ...(o.LatestDigestDeliveryError ? { latestDigestDeliveryError: o.LatestDigestDeliveryError } : {}),
        ...(o.StartLoggingTime ? { startLoggingTime: time(o.StartLoggingTime)! } : {}),
        ...(o.StopLoggingTime ? { stopLoggingTime: time(o.StopLoggingTime)! } : {}),
      };
    },
  };
}
