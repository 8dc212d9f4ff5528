import {
  DescribeTrailsCommand,
  GetEventDataStoreCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailStatusCommand,
  ListEventDataStoresCommand,
  type DescribeTrailsCommandOutput,
  type EventDataStore as SdkEventDataStore,
  type GetEventDataStoreCommandOutput,
  type GetEventSelectorsCommandOutput,
  type GetInsightSelectorsCommandOutput,
  type GetTrailStatusCommandOutput,
  type ListEventDataStoresCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand, type DescribeLogGroupsCommandOutput, type LogGroup as SdkLogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { EventDataStore, Fetched, InsightSelector, LogGroup, RegionRecord, Trail, TrailDetail, TrailEventSelectors, TrailStatus } from '../snapshot/types.ts';
import { fetchOne, paginate, plain, toFetched } from './fetch.ts';
import type { AccountSession } from './session.ts';

/** DescribeTrails with shadow trails (not paginated: one call per account and region). */
export async function describeTrails(session: AccountSession, region: string): Promise<Fetched<Trail[]>> {
  const outcome = await session.call<DescribeTrailsCommandOutput>('cloudtrail', region, new DescribeTrailsCommand({ includeShadowTrails: true }));
  return toFetched(outcome, (o) =>
    plain<Trail[]>(o.trailList ?? []).sort((a, b) => (a.TrailARN < b.TrailARN ? -1 : a.TrailARN > b.TrailARN ? 1 : 0)),
  );
}

/** Trails this account owns among those DescribeTrails gave in `region`: the ones whose home it is. */
export function ownedTrailsIn(accountId: string, region: string, trails: Fetched<Trail[]>): Trail[] {
  // An entry without its ARN cannot be read further; the snapshot writer keeps the answer as it came.
  return (trails.value ?? []).filter((t) => typeof t.TrailARN === 'string' && t.TrailARN.split(':')[4] === accountId && t.HomeRegion === region);
}

/**
 * One region of an account: DescribeTrails and CloudTrail Lake, then the status and selectors of
 * each trail whose home this region is, once, by ARN (a shadow seen elsewhere is never read
 * again), plus the CloudWatch Logs group it delivers to (landing on `all`, the account's region
 * records, in the group's region). `onTrails` sees the trails as soon as they are known.
 */
export async function readRegion(
  session: AccountSession,
  record: RegionRecord,
  all: readonly RegionRecord[],
  details: Record<string, TrailDetail>,
  onTrails: (trails: Trail[]) => void,
): Promise<void> {
  const [trails, eventDataStores] = await Promise.all([describeTrails(session, record.region), readEventDataStores(session, record.region)]);
  record.trails = trails;
  record.eventDataStores = eventDataStores;
  onTrails(trails.value ?? []);
  await Promise.all(
    ownedTrailsIn(session.accountId, record.region, trails).map(async (trail) => {
      const [detail] = await Promise.all([readTrailDetail(session, trail), readTrailLogGroup(session, trail, all)]);
      details[trail.TrailARN] = detail;
    }),
  );
}

async function readTrailLogGroup(session: AccountSession, trail: Trail, all: readonly RegionRecord[]): Promise<void> {
  const arn = trail.CloudWatchLogsLogGroupArn;
  if (!arn || typeof arn !== 'string') return;
  const logRegion = arn.split(':')[3] || trail.HomeRegion;
  const record = all.find((r) => r.region === logRegion) ?? all.find((r) => r.region === trail.HomeRegion)!;
  const group = await describeLogGroup(session, logRegion, arn);
  record.logGroups = { ...record.logGroups, [arn]: group };
}

async function readTrailDetail(session: AccountSession, trail: Trail): Promise<TrailDetail> {
  const region = trail.HomeRegion;
  const [status, selectors, insights] = await Promise.all([
    session.call<GetTrailStatusCommandOutput>('cloudtrail', region, new GetTrailStatusCommand({ Name: trail.TrailARN })),
    session.call<GetEventSelectorsCommandOutput>('cloudtrail', region, new GetEventSelectorsCommand({ TrailName: trail.TrailARN })),
    trail.HasInsightSelectors
      ? fetchOne<GetInsightSelectorsCommandOutput, InsightSelector[]>(
          session, 'cloudtrail', region, new GetInsightSelectorsCommand({ TrailName: trail.TrailARN }),
          (o) => plain(o.InsightSelectors ?? []), ['InsightNotEnabledException'],
        )
      : undefined,
  ]);
  const detail: TrailDetail = {
    TrailARN: trail.TrailARN,
    status: toFetched(status, (o) =>
      plain<TrailStatus>({
        IsLogging: o.IsLogging ?? false,
        LatestDeliveryError: o.LatestDeliveryError,
        LatestDeliveryTime: o.LatestDeliveryTime,
        LatestDigestDeliveryError: o.LatestDigestDeliveryError,
        LatestDigestDeliveryTime: o.LatestDigestDeliveryTime,
        StartLoggingTime: o.StartLoggingTime,
        StopLoggingTime: o.StopLoggingTime,
      }),
    ),
    eventSelectors: toFetched(selectors, (o) =>
      plain<TrailEventSelectors>({ EventSelectors: o.EventSelectors, AdvancedEventSelectors: o.AdvancedEventSelectors }),
    ),
  };
  if (insights) detail.insightSelectors = insights;
  return detail;
}

/** arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*] */
export function logGroupName(arn: string): string {
  const after = arn.split(':log-group:')[1] ?? '';
  return after.endsWith(':*') ? after.slice(0, -2) : after;
}

async function describeLogGroup(session: AccountSession, region: string, arn: string): Promise<Fetched<LogGroup>> {
  const name = logGroupName(arn);
  const outcome = await paginate<DescribeLogGroupsCommandOutput, SdkLogGroup>(
    session, 'logs', region,
    (nextToken) => new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }),
    (o) => o.logGroups, (o) => o.nextToken,
  );
  if (!outcome.ok) return { error: outcome.error };
  const found = outcome.output.find((g) => g.logGroupName === name);
  if (!found) return { value: null, absent: 'ResourceNotFoundException' };
  return { value: plain<LogGroup>({ logGroupName: found.logGroupName, arn: found.arn, retentionInDays: found.retentionInDays }) };
}

/** CloudTrail Lake: ListEventDataStores pages, then GetEventDataStore per store (O(stores)). */
export async function readEventDataStores(session: AccountSession, region: string): Promise<Fetched<EventDataStore[]>> {
  const listed = await paginate<ListEventDataStoresCommandOutput, SdkEventDataStore>(
    session, 'cloudtrail', region,
    (NextToken) => new ListEventDataStoresCommand({ NextToken }),
    (o) => o.EventDataStores, (o) => o.NextToken,
  );
  if (!listed.ok) return { error: listed.error };
  const arns = listed.output.map((s) => s.EventDataStoreArn).filter((a): a is string => Boolean(a)).sort();
  const stores: EventDataStore[] = [];
  for (const outcome of await Promise.all(
    arns.map((arn) => session.call<GetEventDataStoreCommandOutput>('cloudtrail', region, new GetEventDataStoreCommand({ EventDataStore: arn }))),
  )) {
    // One unreadable store makes the list unknown: a rule must not conclude from the others alone.
    if (!outcome.ok) return { error: outcome.error };
    stores.push(plain<EventDataStore>(outcome.output));
  }
  return { value: stores };
}
