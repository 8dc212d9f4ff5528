/**
 * Live collection of an AWS Organization into a snapshot v1.
 *
 * Two passes over the accounts in scope. Pass 1 enters every account and reads its regions and
 * DescribeTrails: that gives every trail's destination bucket, which the bucket owners must read
 * in full. Pass 2 reads the rest (trail details, Lake, buckets) and streams one record per
 * account, in account-id order, with a bounded window of accounts in flight.
 */
import { createRequire } from 'node:module';
import { AssumeRoleCommand, GetCallerIdentityCommand, type AssumeRoleCommandOutput, type GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { TrailproofConfig } from '../config/types.ts';
import { UserError } from '../shared/errors.ts';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type AccountRecord, type ApiError, type Fetched, type RegionRecord, type SnapshotHeader } from '../snapshot/types.ts';
import { writeSnapshot, type WrittenSnapshot } from '../snapshot/write.ts';
import { listBuckets, readAccountPublicAccessBlock, readBucket } from './buckets.ts';
import { defaultClientFactory, type AwsCredentials, type ClientFactory, type CredentialProvider } from './clients.ts';
import { mapLimited, mapOrdered } from './limit.ts';
import { readOrganization, type OrganizationView } from './organization.ts';
import { accountRegions } from './regions.ts';
import { selectAccounts } from './scope.ts';
import { AccountSession, type CallEvent, type CallSettings } from './session.ts';
import { describeTrails, readEventDataStores, readTrailDetails } from './trails.ts';

import { progressReporter } from './progress.ts';

export type { ClientFactory } from './clients.ts';
export { defaultClientFactory } from './clients.ts';
export { applyCollectFlags, type CollectFlags } from './flags.ts';

export type CollectEvent =
  | CallEvent
  | { type: 'accounts'; total: number }
  | { type: 'account-done'; accountId: string; done: number; total: number };

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
  retry?: Pick<CallSettings, 'retryBackoffMs' | 'rateLimiter'>;
}

export interface Collection {
  header: SnapshotHeader;
  /** One record per account of header.scope.accountIds, in that order, produced as they finish. */
  records: AsyncIterable<AccountRecord>;
}

const TOOL = { name: 'trailproof', version: (createRequire(import.meta.url)('../../package.json') as { version: string }).version };

/** Pass 1 result for one account: enough to find every trail destination before pass 2. */
interface EnteredAccount {
  accountId: string;
  session?: AccountSession;
  access?: { error: ApiError };
  regions: RegionRecord[];
  enabledRegions?: Fetched<string[]>;
}

export async function collectOrganization(options: CollectOptions): Promise<Collection> {
  const { config } = options;
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const homeRegion = config.organization.homeRegion;
  const settings: CallSettings = {
    factory: options.clientFactory ?? defaultClientFactory({ callTimeoutMs: config.collection.callTimeoutMs, ...(config.organization.profile ? { profile: config.organization.profile } : {}) }),
    callConcurrency: config.collection.callConcurrency,
    callTimeoutMs: config.collection.callTimeoutMs,
    maxAttempts: config.collection.maxAttempts,
    ...options.retry,
    ...(options.progress ? { onEvent: options.progress } : {}),
  };

  const starting = new AccountSession('', settings.factory.startingCredentials(), settings);
  const identity = await starting.call<GetCallerIdentityCommandOutput>('sts', homeRegion, new GetCallerIdentityCommand({}));
  if (!identity.ok || !identity.output.Account) {
    const why = identity.ok ? 'no account id in the answer' : `${identity.error.code}: ${identity.error.message}`;
    throw new UserError(`cannot read the starting AWS credentials (sts:GetCallerIdentity ${why}); check --profile, AWS_PROFILE or the environment`);
  }
  starting.accountId = identity.output.Account;
  const partition = identity.output.Arn?.split(':')[1] || 'aws';

  const org = await readOrganization(starting, homeRegion, config.scope.accountTags.length > 0, config.collection.callConcurrency);
  const { selected, skipped } = scopeOf(org, config, starting.accountId);
  options.progress?.({ type: 'accounts', total: selected.length });

  const entered = await mapLimited(selected, config.collection.accountConcurrency, (accountId) =>
    enterAccount(accountId, starting, settings, config, partition),
  );
  const destinations = new Set<string>();
  for (const a of entered) for (const r of a.regions) for (const t of r.trails.value ?? []) if (t.S3BucketName) destinations.add(t.S3BucketName);

  const regionsRead = config.scope.regions.length > 0 ? [...new Set(config.scope.regions)].sort() : [...new Set(entered.flatMap((a) => a.regions.map((r) => r.region)))].sort();
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    tool: TOOL,
    collectedAt,
    source: 'aws',
    partition,
    scope: { regions: regionsRead, accountIds: selected, skipped },
    organization: org.organization,
    roots: org.roots,
    organizationalUnits: org.organizationalUnits,
    accounts: org.accounts,
    policies: org.policies,
    errors: [...org.tagErrors.values()],
  };

  let done = 0;
  const finish = async (account: EnteredAccount): Promise<AccountRecord> => {
    try {
      return await completeAccount(account, { homeRegion, destinations, pii: config.pii });
    } finally {
      if (account.session !== starting) account.session?.destroy();
      options.progress?.({ type: 'account-done', accountId: account.accountId, done: ++done, total: selected.length });
    }
  };
  async function* records(): AsyncGenerator<AccountRecord> {
    try {
      yield* mapOrdered(entered, config.collection.accountConcurrency, finish);
    } finally {
      starting.destroy();
    }
  }
  return { header, records: records() };
}

/** collectOrganization straight into a snapshot file (.gz allowed). */
export async function collectToFile(options: CollectOptions, file: string): Promise<WrittenSnapshot & { header: SnapshotHeader }> {
  const reporter = options.progress
    ? undefined
    : progressReporter({ verbosity: options.quiet ? 'quiet' : options.verbose ? 'verbose' : 'normal' });
  try {
    const { header, records } = await collectOrganization(reporter ? { ...options, progress: reporter.onEvent } : options);
    return { ...(await writeSnapshot(file, header, records)), header };
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

async function enterAccount(
  accountId: string,
  starting: AccountSession,
  settings: CallSettings,
  config: TrailproofConfig,
  partition: string,
): Promise<EnteredAccount> {
  const homeRegion = config.organization.homeRegion;
  let session: AccountSession;
  if (accountId === starting.accountId) {
    session = starting;
  } else {
    const credentials = await assumeMemberRole(starting, accountId, config, partition);
    if ('error' in credentials) return { accountId, access: { error: credentials.error }, regions: [] };
    session = new AccountSession(accountId, credentials.provider, settings);
  }
  const { regions, enabledRegions } = await accountRegions(session, homeRegion, config.scope.regions, partition);
  const records = await Promise.all(regions.map(async (region): Promise<RegionRecord> => ({ region, trails: await describeTrails(session, region) })));
  return { accountId, session, regions: records, ...(enabledRegions ? { enabledRegions } : {}) };
}

/**
 * sts:AssumeRole into the member role. The credentials live only in this closure (never in the
 * snapshot) and are renewed shortly before they expire, so a long scan does not fail halfway.
 */
async function assumeMemberRole(
  starting: AccountSession,
  accountId: string,
  config: TrailproofConfig,
  partition: string,
): Promise<{ provider: CredentialProvider } | { error: ApiError }> {
  const { memberRoleName, externalId, sessionName, homeRegion } = config.organization;
  const assume = async (): Promise<{ creds: AwsCredentials; error?: undefined } | { error: ApiError }> => {
    const outcome = await starting.call<AssumeRoleCommandOutput>(
      'sts',
      homeRegion,
      new AssumeRoleCommand({
        RoleArn: `arn:${partition}:iam::${accountId}:role/${memberRoleName}`,
        RoleSessionName: sessionName,
        ...(externalId ? { ExternalId: externalId } : {}),
      }),
    );
    if (!outcome.ok) return { error: { ...outcome.error, accountId } };
    const c = outcome.output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      return { error: { operation: 'sts:AssumeRole', code: 'MalformedResponse', message: 'no credentials in the answer', accountId, region: homeRegion } };
    }
    const creds: AwsCredentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
    return { creds };
  };
  const first = await assume();
  if (first.error) return { error: first.error };
  let current = first.creds;
  const provider: CredentialProvider = async () => {
    if (current.expiration && current.expiration.getTime() - Date.now() < 5 * 60_000) {
      const again = await assume();
      if (again.error) throw Object.assign(new Error(again.error.message), { name: again.error.code });
      current = again.creds;
    }
    return current;
  };
  return { provider };
}

interface CompleteOptions {
  homeRegion: string;
  destinations: ReadonlySet<string>;
  pii: TrailproofConfig['pii'];
}

/** Pass 2: everything else one account answers, read with its own session. */
async function completeAccount(account: EnteredAccount, options: CompleteOptions): Promise<AccountRecord> {
  const { accountId, session, regions } = account;
  if (!session) return { accountId, ...(account.access ? { access: account.access } : {}), regions: [], trailDetails: {} };
  const [trailDetails, eventDataStores, buckets, accountPublicAccessBlock] = await Promise.all([
    readTrailDetails(session, regions),
    Promise.all(regions.map((r) => readEventDataStores(session, r.region))),
    listBuckets(session, options.homeRegion),
    readAccountPublicAccessBlock(session, options.homeRegion),
  ]);
  regions.forEach((r, i) => (r.eventDataStores = eventDataStores[i]!));
  const bucketDetails = Object.fromEntries(
    (await Promise.all((buckets.value ?? []).map((b) => readBucket(session, b, options)))).map((b) => [b.Name, b]),
  );
  const record: AccountRecord = { accountId, regions, trailDetails, buckets, bucketDetails, accountPublicAccessBlock };
  if (account.enabledRegions) record.enabledRegions = account.enabledRegions;
  return record;
}
