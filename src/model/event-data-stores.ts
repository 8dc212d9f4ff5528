import type { AccountRecord, EventDataStore } from '../snapshot/types.ts';
import type { WithUnknowns } from './facts.ts';
import { describeError, trailOwner, unknownReason, type EventDataStoreWithOwner, type ModelIndex } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';

/** A CloudTrail Lake event data store that records this account, as rules see it. */
export interface EventDataStoreFacts extends WithUnknowns {
  arn: string;
  name: string;
  homeRegion: string;
  ownerAccountId: string;
  /** 'own': created in this account; 'organization': an organization event data store of another account. */
  source: 'own' | 'organization';
  status?: string;
  multiRegionEnabled?: boolean;
  organizationEnabled?: boolean;
  /** Days. */
  retentionPeriod?: number;
  terminationProtectionEnabled?: boolean;
  billingMode?: string;
  kmsKeyId?: string | null;
  [extension: string]: unknown;
}

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
      const owner = trailOwner(store.EventDataStoreArn);
      // A member may list the organization's store; the index holds its owner's authoritative copy.
      if (owner !== record.accountId) continue;
      // An ARN that names the account as owner has its region field (arn:aws:cloudtrail:REGION:ACCOUNT:...).
      found.set(store.EventDataStoreArn, { store, ownerAccountId: owner, homeRegion: store.EventDataStoreArn.split(':')[3]! });
    }
  }
  if (index.organizationEventDataStoreGaps.length > 0) {
    return unknownBecause(`organization event data stores unknown: ${index.organizationEventDataStoreGaps.join('; ')}`);
  }
  // The owner's own listing of an organization store is the very record the index took it from: either copy will do.
  for (const [arn, org] of index.organizationEventDataStores) found.set(arn, org);
  return known([...found.values()].sort((a, b) => a.store.EventDataStoreArn.localeCompare(b.store.EventDataStoreArn)));
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
  const reported: [keyof EventDataStoreFacts, keyof EventDataStore][] = [
    ['status', 'Status'],
    ['multiRegionEnabled', 'MultiRegionEnabled'],
    ['organizationEnabled', 'OrganizationEnabled'],
    ['retentionPeriod', 'RetentionPeriod'],
    ['terminationProtectionEnabled', 'TerminationProtectionEnabled'],
    ['billingMode', 'BillingMode'],
  ];
  for (const [fact, field] of reported) {
    if (store[field] === undefined) unknown[fact as string] = `cloudtrail:GetEventDataStore did not return ${field}`;
    else facts[fact as string] = store[field];
  }
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

/** CloudTrail Lake event data stores that record this account (account.eventDataStores). */
export function eventDataStoreFacts(index: ModelIndex, record: AccountRecord): Known<EventDataStoreFacts[]> {
  const stores = accountEventDataStores(index, record);
  if (stores.reason !== undefined) return unknownBecause(stores.reason);
  return known(stores.value.map((s) => eventDataStoreFact(record.accountId, s)));
}
