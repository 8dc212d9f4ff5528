import type { AccountRecord, TrailDetail } from '../snapshot/types.ts';
import type { AccountWithListedTrails, ListedTrailFacts } from './facts.ts';
import { describeError, type EventDataStoreWithOwner, type ModelIndex } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import type { DataEventRecorder, RecorderSelectors } from './data-event-coverage.ts';
import { accountEventDataStores } from './event-data-stores.ts';
import { trailDetailFor } from './trail-details.ts';
import { accountTrails } from './trails.ts';
import { mapped } from '../shared/lists.ts';

/** Stands for event data stores that could not be listed: coverage they might give is unknown. */
export const UNLISTED_EVENT_DATA_STORES = 'CloudTrail Lake event data stores';

function trailSelectors(detail: TrailDetail | undefined): Known<RecorderSelectors> {
  const fetched = detail?.eventSelectors;
  if (!fetched) return unknownBecause('cloudtrail:GetEventSelectors was not read');
  if (fetched.error) return unknownBecause(describeError(fetched.error));
  // Some endpoints answer both lists, one of them empty: an empty list is an absent one.
  const advanced = fetched.value?.AdvancedEventSelectors;
  if (advanced && advanced.length > 0) return known({ type: 'advanced', selectors: advanced });
  return known({ type: 'classic', selectors: fetched.value?.EventSelectors ?? [] });
}

function trailRecorder(index: ModelIndex, record: AccountRecord, trail: ListedTrailFacts): DataEventRecorder {
  return {
    arn: trail.arn,
    kind: 'trail',
    multiRegion: trail.isMultiRegion,
    homeRegion: trail.homeRegion,
    active: trail.isLogging === undefined ? unknownBecause(trail.unknown?.isLogging ?? 'logging status unknown') : known(trail.isLogging),
    inactiveBecause: 'the trail is not logging',
    selectors: trailSelectors(trailDetailFor(index, record, trail)),
  };
}

function storeRecorder({ store, homeRegion }: EventDataStoreWithOwner): DataEventRecorder {
  return {
    arn: store.EventDataStoreArn,
    kind: 'event-data-store',
    // An unreported MultiRegionEnabled is taken as single-region: it can only lower coverage.
    multiRegion: store.MultiRegionEnabled === true,
    homeRegion,
    active: store.Status === undefined ? unknownBecause('cloudtrail:GetEventDataStore did not return Status') : known(store.Status === 'ENABLED'),
    inactiveBecause: `the event data store is ${store.Status ?? 'not ENABLED'}`,
    selectors: known({ type: 'advanced', selectors: store.AdvancedEventSelectors ?? [] }),
  };
}

/**
 * Everything that may record the account's S3 data events: the trails that record the account
 * (its own and the organization's) and its event data stores (its own and the organization's).
 * Unknown only when the account's trails are unknown; event data stores that could not be listed
 * become one recorder with unknown selectors, so they block a PASS without hiding a FAIL.
 */
export function dataEventRecorders(index: ModelIndex, record: AccountRecord, account: Pick<AccountWithListedTrails, 'trails'>): Known<DataEventRecorder[]> {
  // account.unknown is filled only after every module ran, so ask the trail module for its reason.
  if (!account.trails) return unknownBecause(`the trails recording the account are unknown: ${accountTrails(index, record).reason ?? 'not modelled'}`);
  const recorders = mapped(account.trails, (t) => trailRecorder(index, record, t));
  const stores = accountEventDataStores(index, record);
  if (stores.value) recorders.push(...stores.value.map(storeRecorder));
  else {
    recorders.push({
      arn: UNLISTED_EVENT_DATA_STORES,
      kind: 'event-data-store',
      multiRegion: true,
      homeRegion: '',
      active: known(true),
      selectors: unknownBecause(stores.reason),
    });
  }
  return known(recorders);
}
