/**
 * Whose credentials read a trail bucket's objects for verify-logs. A log-archive bucket's policy
 * usually lets only CloudTrail write and its own account's principals read, so the objects are read
 * as the bucket's owner: the member role (the collector's, organization.memberRoleName) in the
 * account that owns it. The starting credentials read the buckets whose owner is unknown or is the
 * starting account. When the owner's role cannot be assumed, every read of its buckets fails with
 * that reason: their chains are incomplete, never verified with other credentials.
 */
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { TrailproofConfig } from '../config/types.ts';
import type { ApiError } from '../snapshot/types.ts';
import { assumeMemberRole } from './account.ts';
import { SourceError } from './integrity/source.ts';
import { AccountSession, type CallSettings } from './session.ts';

export interface BucketReaders {
  /** The session that reads this bucket's objects; throws a SourceError when its owner cannot be entered. */
  sessionFor(bucket: string): Promise<AccountSession>;
  destroy(): void;
}

export function bucketReaders(starting: AccountSession, owners: ReadonlyMap<string, string>, config: TrailproofConfig, settings: CallSettings): BucketReaders {
  const entered = new Map<string, Promise<AccountSession | ApiError>>();
  const opened: AccountSession[] = [];
  let identity: Promise<{ partition: string } | ApiError> | undefined;

  async function enter(owner: string): Promise<AccountSession | ApiError> {
    // Who the starting credentials are, once: the starting account reads its own buckets.
    // Unknown, the owner could be the starting account itself, or in another partition: no guess.
    identity ??= starting.call<GetCallerIdentityCommandOutput>('sts', config.organization.homeRegion, new GetCallerIdentityCommand({})).then((o) => {
      if (!o.ok) return o.error;
      if (o.output.Account) starting.accountId = o.output.Account;
      return { partition: o.output.Arn?.split(':')[1] || 'aws' };
    });
    const known = await identity;
    if (!('partition' in known)) return known;
    const { partition } = known;
    if (owner === starting.accountId) return starting;
    const assumed = await assumeMemberRole(starting, owner, config, partition);
    if ('error' in assumed) return assumed.error;
    const session = new AccountSession(owner, assumed.provider, settings);
    opened.push(session);
    return session;
  }

  return {
    async sessionFor(bucket) {
      const owner = owners.get(bucket);
      if (!owner) return starting;
      let session = entered.get(owner);
      if (!session) {
        session = enter(owner);
        entered.set(owner, session);
      }
      const got = await session;
      if (got instanceof AccountSession) return got;
      throw new SourceError({
        operation: got.operation,
        code: got.code,
        message: `cannot enter account ${owner}, which owns bucket ${bucket}, as role ${config.organization.memberRoleName}: ${got.message}`,
      });
    },
    destroy() {
      for (const s of opened) s.destroy();
    },
  };
}
