/**
 * Live collection of an AWS Organization into a snapshot (format 2, snapshot/write.ts).
 *
 * Accounts are read as soon as the tree walk finds them, while the rest of the organization
 * (deeper OUs, SCPs) is still being read under the Organizations quota; at most
 * accountConcurrency accounts at once, each in one pass with its own clients, released when done.
 * A finished account's record goes to a spool on disk: the header needs the whole organization
 * and the snapshot wants records in account-id order. A small second pass reads, with their
 * owners' credentials, the buckets that became trail destinations only after their owner was read.
 */
import { createRequire } from 'node:module';
import { GetCallerIdentityCommand, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { TrailproofConfig } from '../config/types.ts';
import { UserError } from '../shared/errors.ts';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type AccountRecord, type SnapshotHeader } from '../snapshot/types.ts';
import { writeSnapshot, type WrittenSnapshot } from '../snapshot/write.ts';
import { completeDeferred, readAccount, type AccountContext, type DeferredBuckets } from './account.ts';
import { readGuardDutyOrganization } from './detective/guardduty-organization.ts';
import { defaultClientFactory, type ClientFactory, type CredentialProvider } from './clients.ts';
import { Limiter } from './limit.ts';
import { ORGANIZATIONS_PACE, Pacer, pacingOf } from './pace.ts';
import { readOrganization, type OrganizationView } from './organization.ts';
import { selectAccounts } from './scope.ts';
import { inShard, type Shard } from '../shared/shard.ts';
import { AccountSession, type CallSettings } from './session.ts';
import { RecordSpool } from './spool.ts';
import { identityFailureMessage } from './starting-identity.ts';

/** Attempts at the first call: enough for a blip, few enough to say quickly that nothing answers. */
const IDENTITY_ATTEMPTS = 2;

import { progressReporter, type CollectEvent } from './progress.ts';

export type { ClientFactory } from './clients.ts';
export { defaultClientFactory } from './clients.ts';
export { applyCollectFlags, type CollectFlags } from './flags.ts';

export type { CollectEvent } from './progress.ts';

export interface CollectOptions {
  config: TrailproofConfig;
  clientFactory?: ClientFactory;
  progress?: (event: CollectEvent) => void;
  /** collectedAt: the only clock the snapshot reads. */
  now?: () => Date;
  /** Terminal progress when no `progress` callback is given: --quiet shows none, --verbose each failed call. */
  quiet?: boolean;
  verbose?: boolean;
  /** Retry pacing (tests shrink it; production keeps the SDK's adaptive defaults). */
  retry?: Pick<CallSettings, 'retryBackoffMs' | 'rateLimiter' | 'pacers'>;
  /** Client-side pacing per operation and account-region (default from config.yaml: collection.lookupEventsPerSecond; tests turn it off with {}). */
  pacing?: CallSettings['pacing'];
  /** Where finished account records wait for the header (a private folder is made inside); default the system's temporary folder. */
  spoolDir?: string;
  /**
   * Read only the accounts of this shard (the account → shard hash of `evaluate --shard`), with
   * the whole organization's structure; `snapshot merge` puts the shards together (merge-shards.ts).
   */
  shard?: Shard;
}

export interface Collection {
  header: SnapshotHeader;
  /**
   * One record per account of header.scope.accountIds, in that order. Iterate it (to the end, or
   * break): that also removes the spooled records from disk.
   */
  records: AsyncIterable<AccountRecord>;
  /** Removes the spooled records (done already when `records` was iterated); safe to call again. */
  close(): Promise<void>;
}

const TOOL = { name: 'trailproof', version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version };

export async function collectOrganization(options: CollectOptions): Promise<Collection> {
  const { config } = options;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const homeRegion = config.organization.homeRegion;
  const settings: CallSettings = {
    factory: options.clientFactory ?? defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, ...(config.organization.profile ? { profile: config.organization.profile } : {}) }),
    callConcurrency: config.collection.callConcurrency,
    callTimeoutMs: config.collection.callTimeoutMs,
    maxAttempts: config.collection.maxAttempts,
    pacers: { organizations: new Pacer(ORGANIZATIONS_PACE) },
    ...options.retry,
    pacing: options.pacing ?? pacingOf(config.collection),
    ...(options.progress ? { onEvent: options.progress } : {}),
  };

  const startingCredentials = settings.factory.startingCredentials();
  const starting = new AccountSession('', startingCredentials, settings);
  let spool: RecordSpool | undefined;
  try {
    // Few attempts: an endpoint that does not answer the first call is said so within seconds, not minutes.
    const attempts = Math.min(IDENTITY_ATTEMPTS, settings.maxAttempts);
    const identity = await starting.call<GetCallerIdentityCommandOutput>('sts', homeRegion, new GetCallerIdentityCommand({}), [], attempts);
    if (!identity.ok) {
      const endpoint = process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
      throw new UserError(
        identityFailureMessage(identity.error, {
          callTimeoutMs: settings.callTimeoutMs,
          attempts,
          ...(config.organization.profile ? { profile: config.organization.profile } : {}),
          ...(endpoint ? { endpoint } : {}),
        }),
      );
    }
    if (!identity.output.Account) throw new UserError('cannot read the starting AWS credentials (sts:GetCallerIdentity answered no account id)');
    starting.accountId = identity.output.Account;
    const partition = identity.output.Arn?.split(':')[1] || 'aws';
    spool = await RecordSpool.create(options.spoolDir);
    const ctx: AccountContext = {
      starting, startingCredentials, settings, config, partition, destinations: new Set(),
      ...(options.shard ? { sharded: true } : {}),
      ...(config.collection.detective ? { detective: { collectedAt, historyDays: config.collection.historyDays } } : {}),
    };
    const accounts = accountRunner(ctx, spool, options.progress);
    const ours = (ids: string[]) => (options.shard ? ids.filter((id) => inShard(id, options.shard!)) : ids);

    const org = await readOrganization(starting, homeRegion, {
      wantTags: config.scope.accountTags.length > 0,
      concurrency: config.collection.callConcurrency,
      // The same selection as the final one, on the part of the tree known so far.
      onAccounts: (found, tree) => accounts.start(ours(selectAccounts({ accounts: found, ...tree }, config.scope).selected)),
    });
    const whole = scopeOf(org, config, starting.accountId);
    // Accounts of other shards are neither read nor skipped: their own shard reads them.
    const selected = ours(whole.selected);
    const skipped = whole.skipped;
    accounts.start(selected);
    const { regionsRead, credentialsOf } = await accounts.finish(selected);
    const regions = config.scope.regions.length > 0 ? [...new Set(config.scope.regions)].sort() : regionsRead;
    const guardDutyOrganization = ctx.detective
      ? await readGuardDutyOrganization(ctx, {
          regions,
          accountIds: selected,
          credentialsOf,
          detectorsOf: async (accountId, region) => (await spool!.get(accountId))?.regions.find((r) => r.region === region)?.detective?.guardDutyDetectors,
        })
      : undefined;

    const header: SnapshotHeader = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      tool: TOOL,
      collectedAt,
      source: 'aws',
      partition,
      scope: { regions, accountIds: selected, skipped, ...(options.shard ? { shard: `${options.shard.index}/${options.shard.count}` } : {}) },
      organization: org.organization,
      roots: org.roots,
      organizationalUnits: org.organizationalUnits,
      accounts: org.accounts,
      policies: org.policies,
      errors: [...org.tagErrors.values()],
      ...(guardDutyOrganization ? { guardDutyOrganization } : {}),
    };
    const owned = spool;
    spool = undefined; // the collection owns it now
    return { header, records: spoolRecords(owned, selected), close: () => owned.dispose() };
  } finally {
    starting.destroy();
    await spool?.dispose();
  }
}

async function* spoolRecords(spool: RecordSpool, accountIds: string[]): AsyncGenerator<AccountRecord> {
  try {
    yield* spool.read(accountIds);
  } finally {
    await spool.dispose();
  }
}

/**
 * Reads accounts as they are named, at most accountConcurrency at once, each once; finish()
 * waits for the final selection, then completes deferred trail buckets.
 */
function accountRunner(ctx: AccountContext, spool: RecordSpool, progress: CollectOptions['progress']) {
  const limiter = new Limiter(ctx.config.collection.accountConcurrency);
  const running = new Map<string, Promise<void>>();
  const deferred = new Map<string, DeferredBuckets>();
  // Kept so the GuardDuty administrator, once known, is read without entering it again.
  const credentials = new Map<string, CredentialProvider>();
  // Most accounts have the same region list: one shared copy per distinct list, not one per account.
  const regionLists = new Map<string, readonly string[]>();
  const regionsOf = new Map<string, readonly string[]>();
  let done = 0;
  return {
    start(accountIds: readonly string[]) {
      const before = running.size;
      for (const accountId of accountIds) {
        if (running.has(accountId)) continue;
        const read = limiter.run(async () => {
          const result = await readAccount(ctx, accountId);
          await spool.put(result.record);
          if (result.deferred) deferred.set(accountId, result.deferred);
          if (result.credentials) credentials.set(accountId, result.credentials);
          const regions = result.record.regions.map((r) => r.region);
          const key = regions.join(',');
          if (!regionLists.has(key)) regionLists.set(key, regions);
          regionsOf.set(accountId, regionLists.get(key)!);
          progress?.({ type: 'account-done', accountId, done: ++done, total: running.size });
        });
        read.catch(() => undefined); // surfaces in finish(); avoids an unhandled rejection before
        running.set(accountId, read);
      }
      if (running.size > before) progress?.({ type: 'accounts', total: running.size });
    },
    async finish(selected: readonly string[]) {
      // Accounts started on a partial tree and then left out of the final scope are awaited too (never written).
      const failed = (await Promise.allSettled(running.values())).find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const inScope = new Set(selected);
      progress?.({ type: 'accounts', total: selected.length });
      const owners = new Map<string, string[]>();
      for (const [accountId, d] of deferred) {
        if (!inScope.has(accountId)) continue;
        // A shard does not see the trails of the other shards' accounts, any of which may deliver to
        // these buckets: it reads them all, and `snapshot merge` keeps what one collection would have.
        const names = ctx.sharded ? d.buckets : d.buckets.filter((b) => ctx.destinations.has(b));
        if (names.length > 0) owners.set(accountId, names);
      }
      const second = new Limiter(ctx.config.collection.accountConcurrency);
      await Promise.all(
        [...owners].map(([accountId, names]) =>
          second.run(async () => {
            const record = (await spool.get(accountId))!;
            await spool.put(await completeDeferred(ctx, record, deferred.get(accountId)!, names));
          }),
        ),
      );
      const regionsRead = [...new Set(selected.flatMap((id) => regionsOf.get(id) ?? []))].sort();
      return { regionsRead, credentialsOf: (accountId: string) => credentials.get(accountId) };
    },
  };
}

/** collectOrganization straight into a snapshot file (.gz allowed). */
export async function collectToFile(options: CollectOptions, file: string): Promise<WrittenSnapshot & { header: SnapshotHeader }> {
  const reporter = options.progress
    ? undefined
    : progressReporter({ verbosity: options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal' });
  try {
    const { header, records, close } = await collectOrganization(reporter ? { ...options, progress: reporter.onEvent } : options);
    try {
      return { ...(await writeSnapshot(file, header, records)), header };
    } finally {
      // The writer may refuse the header before it reads a single record.
      await close();
    }
  } finally {
    reporter?.finish();
  }
}

/**
 * When the organization cannot be listed (a standalone account, or credentials of a member), the
 * starting account alone is read; the header keeps the Organizations errors, so organization
 * facts come out unknown rather than empty.
 */
function scopeOf(org: OrganizationView, config: TrailproofConfig, callerAccountId: string) {
  if (!org.accounts.value) return { selected: [callerAccountId], skipped: [] };
  return selectAccounts(
    { accounts: org.accounts.value, roots: org.roots.value ?? [], organizationalUnits: org.organizationalUnits.value ?? [], tagErrors: org.tagErrors },
    config.scope,
  );
}

