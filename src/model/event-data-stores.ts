import { compareStrings } from '../contracts/order.ts';
import type { AccountRecord, EventDataStore } from '../snapshot/types.ts';
import { setKnown } from './detective-inputs.ts';
import type { EventDataStoreFacts } from './facts.ts';
import { describeError, isOwnedBy, unknownReason, type EventDataStoreWithOwner, type ModelIndex } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { mapped } from '../shared/lists.ts';

/**
 * Event data stores that record the account: its own (listed in any region it was read in, each
 * once) and the organization's. Unknown when any region's ListEventDataStores failed (one of them
 * may be the store that records it), or when the organization's stores could not all be read.
 */
export function accountEventDataStores(index: ModelIndex, record: AccountRecord): Known<EventDataStoreWithOwner[]> {
  if (record.access?.error) return unknownBecause(`could not read the account: ${describeError(record.access.error)}`);
  const found = new Map<string, EventDataStoreWithOwner>();
  for (const region of record.regions) {
    const stores = region.eventDataStores;
    if (!stores?.value && !stores?.absent) {
      return unknownBecause(unknownReason(stores, `cloudtrail:ListEventDataStores (${record.accountId}/${region.region})`)!);
    }
    for (const store of stores.value ?? []) {
      // A member may list the organization's store; the index holds its owner's authoritative copy.
      if (!isOwnedBy(store.EventDataStoreArn, record.accountId)) continue;
      // An ARN that names the account as owner has its region field (arn:aws:cloudtrail:REGION:ACCOUNT:...).
      found.set(store.EventDataStoreArn, { store, ownerAccountId: record.accountId, homeRegion: store.EventDataStoreArn.split(':')[3]! });
    }
  }
  if (index.organizationEventDataStoreGaps.length > 0) {
    return unknownBecause(`organization event data stores unknown: ${index.organizationEventDataStoreGaps.join('; ')}`);
  }
  // The owner's own listing of an organization store is the very record the index took it from: either copy will do.
  for (const [arn, org] of index.organizationEventDataStores) found.set(arn, org);
  return known([...found.values()].sort((a, b) => compareStrings(a.store.EventDataStoreArn, b.store.EventDataStoreArn)));
}

/** A field GetEventDataStore may leave out: unknown, never assumed. */
function reported<T>(value: T | undefined, field: keyof EventDataStore): Known<T> {
  return value === undefined ? unknownBecause(`cloudtrail:GetEventDataStore did not return ${field}`) : known(value);
}

export function eventDataStoreFact(accountId: string, { store, ownerAccountId, homeRegion }: EventDataStoreWithOwner): EventDataStoreFacts {
  const facts: EventDataStoreFacts = {
    arn: store.EventDataStoreArn,
    name: store.Name ?? store.EventDataStoreArn,
    homeRegion,
    ownerAccountId,
    source: ownerAccountId === accountId ? 'own' : 'organization',
    kmsKeyId: store.KmsKeyId ?? null,
  };
  const unknown: Record<string, string> = {};
  setKnown(facts, unknown, 'status', reported(store.Status, 'Status'));
  setKnown(facts, unknown, 'multiRegionEnabled', reported(store.MultiRegionEnabled, 'MultiRegionEnabled'));
  setKnown(facts, unknown, 'organizationEnabled', reported(store.OrganizationEnabled, 'OrganizationEnabled'));
  setKnown(facts, unknown, 'retentionPeriod', reported(store.RetentionPeriod, 'RetentionPeriod'));
  setKnown(facts, unknown, 'terminationProtectionEnabled', reported(store.TerminationProtectionEnabled, 'TerminationProtectionEnabled'));
  setKnown(facts, unknown, 'billingMode', reported(store.BillingMode, 'BillingMode'));
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

/** CloudTrail Lake event data stores that record this account (account.eventDataStores). */
export function eventDataStoreFacts(index: ModelIndex, record: AccountRecord): Known<EventDataStoreFacts[]> {
  const stores = accountEventDataStores(index, record);
  if (stores.reason !== undefined) return unknownBecause(stores.reason);
  return known(mapped(stores.value, (s) => eventDataStoreFact(record.accountId, s)));
}
