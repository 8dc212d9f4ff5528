import { ListRegionsCommand, type ListRegionsCommandOutput, type Region } from '@aws-sdk/client-account';
import type { Fetched } from '../snapshot/types.ts';
import { paginate } from './fetch.ts';
import type { AccountSession } from './session.ts';

/** Regions enabled by default in the aws partition (no opt-in); read when ListRegions fails. */
export const DEFAULT_ENABLED_REGIONS = [
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2',
  'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1',
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
];

export interface AccountRegions {
  /** Regions to read, sorted. */
  regions: string[];
  /** What account:ListRegions said, when it was asked (no configured list). */
  enabledRegions?: Fetched<string[]>;
}

/**
 * A configured list is read as is (one call fewer per account). Otherwise the account's enabled
 * regions: an opt-in region that is not enabled rejects every call, so it is not read at all.
 */
export async function accountRegions(session: AccountSession, homeRegion: string, configured: string[], partition: string): Promise<AccountRegions> {
  if (configured.length > 0) return { regions: [...new Set(configured)].sort() };
  const listed = await paginate<ListRegionsCommandOutput, Region>(
    session, 'account', homeRegion,
    (NextToken) => new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken }),
    (o) => o.Regions, (o) => o.NextToken,
  );
  if (listed.ok) {
    const names = listed.output.map((r) => r.RegionName).filter((n): n is string => Boolean(n)).sort();
    return { regions: names, enabledRegions: { value: names } };
  }
  // Fail closed but keep reading: the error stays in the record (so "all regions" facts are unknown)
  // while the regions every account has are still read.
  return { regions: partition === 'aws' ? DEFAULT_ENABLED_REGIONS : [homeRegion], enabledRegions: { error: listed.error } };
}
