import { AssumeRoleCommand, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import type { TrailproofConfig } from '../config/types.ts';
import type { AccountRecord, ApiError, BucketRecord, RegionRecord, TrailDetail } from '../snapshot/types.ts';
import { isPiiBucket, listBuckets, readAccountPublicAccessBlock, readBucketBasics, readBucketConfiguration } from './buckets.ts';
import type { AwsCredentials, CredentialProvider } from './clients.ts';
import { readDetective, type DetectiveSettings } from './detective/index.ts';
import { accountRegions } from './regions.ts';
import { AccountSession, type CallSettings } from './session.ts';
import { readRegion } from './trails.ts';

/** What every account's reading shares. */
export interface AccountContext {
  /** The starting credentials' session: it assumes the member roles. */
  starting: AccountSession;
  /** The management account itself is read with them. */
  startingCredentials: CredentialProvider;
  settings: CallSettings;
  config: TrailproofConfig;
  partition: string;
  /** Every trail destination bucket seen so far in the organization; grows as accounts are read. */
  destinations: Set<string>;
  /** Detective controls are read with these settings; undefined when switched off. */
  detective?: DetectiveSettings;
  /** One shard of the organization is read (collect --shard): trails of other shards are not seen. */
  sharded?: boolean;
}

/** Buckets whose full configuration was not read because no trail was known to deliver to them yet. */
export interface DeferredBuckets {
  credentials: CredentialProvider;
  buckets: string[];
}

export interface AccountResult {
  record: AccountRecord;
  /** How the account was entered (absent when it could not be): a later organization-wide read reuses them. */
  credentials?: CredentialProvider;
  deferred?: DeferredBuckets;
}

/**
 * Reads one account in a single pass, with its own session (clients per service and region, so
 * one throttled region's adaptive rate does not slow another), released when the account is done.
 * Its buckets are read in full when they may hold PII or receive logs of a trail seen so far; the
 * others keep region and tags only and are listed as deferred, in case a trail of an account read
 * later turns out to deliver to them (see completeDeferred).
 */
export async function readAccount(ctx: AccountContext, accountId: string): Promise<AccountResult> {
  let credentials: CredentialProvider;
  if (accountId === ctx.starting.accountId) {
    credentials = ctx.startingCredentials;
  } else {
    const assumed = await assumeMemberRole(ctx.starting, accountId, ctx.config, ctx.partition);
    if ('error' in assumed) return { record: { accountId, access: { error: assumed.error }, regions: [], trailDetails: {} } };
    credentials = assumed.provider;
  }
  const session = new AccountSession(accountId, credentials, ctx.settings);
  try {
    const { record, deferred } = await readEntered(ctx, session);
    return { record, credentials, ...(deferred.length > 0 ? { deferred: { credentials, buckets: deferred } } : {}) };
  } finally {
    session.destroy();
  }
}

async function readEntered(ctx: AccountContext, session: AccountSession): Promise<{ record: AccountRecord; deferred: string[] }> {
  const { config, destinations } = ctx;
  const homeRegion = config.organization.homeRegion;
  // Started first: ListBuckets → GetBucketTagging → bucket configuration is the account's longest chain.
  const listing = listBuckets(session, homeRegion);
  const publicAccessBlock = readAccountPublicAccessBlock(session, homeRegion);

  const { regions, enabledRegions, enabledRegionsSource } = await accountRegions(session, homeRegion, config.scope.regions, ctx.partition);
  const regionRecords: RegionRecord[] = regions.map((region) => ({ region, trails: { value: [] } }));
  const trailDetails: Record<string, TrailDetail> = {};
  let regionsWithTrails = 0;
  let allTrailsKnown!: () => void;
  const trailsKnown = new Promise<void>((resolve) => (allTrailsKnown = resolve));
  if (regionRecords.length === 0) allTrailsKnown();
  const regionReads = Promise.all(
    regionRecords.map((record) =>
      readRegion(session, record, regionRecords, trailDetails, (trails) => {
        for (const t of trails) if (t.S3BucketName) destinations.add(t.S3BucketName);
        if (++regionsWithTrails === regionRecords.length) allTrailsKnown();
      }),
    ),
  );

  const bucketReads = (async () => {
    const buckets = await listing;
    // A listing entry without a name cannot be read further; the writer keeps the listing as it came.
    const named = (buckets.value ?? []).filter((b) => typeof b.Name === 'string' && b.Name !== '');
    const basics = await Promise.all(named.map((b) => readBucketBasics(session, b, homeRegion)));
    // This account's own trails are the likeliest to deliver to its buckets: know them before deciding.
    await trailsKnown;
    // Decided once: the set keeps growing while the configurations are read.
    const matters = new Set(basics.filter((b) => destinations.has(b.Name) || isPiiBucket(b, config.pii)));
    await Promise.all([...matters].map((b) => readBucketConfiguration(session, b, homeRegion)));
    return {
      buckets,
      bucketDetails: Object.fromEntries(basics.map((b) => [b.Name, b])) as Record<string, BucketRecord>,
      deferred: basics.filter((b) => !matters.has(b)).map((b) => b.Name),
    };
  })();

  const detective = ctx.detective ? readDetective(session, regionRecords, regionReads, ctx.detective) : undefined;

  const [, { buckets, bucketDetails, deferred }, accountPublicAccessBlock] = await Promise.all([regionReads, bucketReads, publicAccessBlock, detective]);
  const record: AccountRecord = { accountId: session.accountId, regions: regionRecords, trailDetails, buckets, bucketDetails, accountPublicAccessBlock };
  if (enabledRegions) record.enabledRegions = enabledRegions;
  if (enabledRegionsSource) record.enabledRegionsSource = enabledRegionsSource;
  return { record, deferred };
}

/**
 * The second, small pass: buckets that turned out to be trail destinations only after their
 * owner was read get their full configuration, with the owner's credentials, into its record.
 */
export async function completeDeferred(ctx: AccountContext, record: AccountRecord, deferred: DeferredBuckets, names: readonly string[]): Promise<AccountRecord> {
  const session = new AccountSession(record.accountId, deferred.credentials, ctx.settings);
  try {
    const homeRegion = ctx.config.organization.homeRegion;
    await Promise.all(
      names.map((name) => {
        const bucket = record.bucketDetails?.[name];
        if (!bucket) throw new Error(`bucket ${name} is not in the record of account ${record.accountId}`);
        return readBucketConfiguration(session, bucket, homeRegion);
      }),
    );
    return record;
  } finally {
    session.destroy();
  }
}

/**
 * sts:AssumeRole into the member role. The credentials live only in this closure (never in the
 * snapshot) and are renewed shortly before they expire, so a long scan does not fail halfway.
 */
export async function assumeMemberRole(
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
