import { ListRegionsCommand, type ListRegionsCommandOutput, type Region } from '@aws-sdk/client-account';
import { DescribeRegionsCommand, type DescribeRegionsCommandOutput } from '@aws-sdk/client-ec2';
import type { AccountRecord, Fetched } from '../snapshot/types.ts';
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
  /** The enabled regions, when they were asked for (no configured list). */
  enabledRegions?: Fetched<string[]>;
  /** Which call gave `enabledRegions`. */
  enabledRegionsSource?: NonNullable<AccountRecord['enabledRegionsSource']>;
}

/**
 * A configured list is read as is (one call fewer per account). Otherwise the account's enabled
 * regions: an opt-in region that is not enabled rejects every call, so it is not read at all.
 * account:ListRegions is asked first (it knows opt-in status); when it fails (denied, or an
 * endpoint that does not implement it) ec2:DescribeRegions, which lists the enabled regions too.
 */
export async function accountRegions(session: AccountSession, homeRegion: string, configured: string[], partition: string): Promise<AccountRegions> {
  if (configured.length > 0) return { regions: [...new Set(configured)].sort() };
  const listed = await paginate<ListRegionsCommandOutput, Region>(
    session, 'account', homeRegion,
    (NextToken) => new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, NextToken }),
    (o) => o.Regions, (o) => o.NextToken,
  );
  if (listed.ok) return found(listed.output.map((r) => r.RegionName), 'account:ListRegions');
  // Not paginated; without AllRegions it answers the regions enabled for the account.
  const described = await session.call<DescribeRegionsCommandOutput>('ec2', homeRegion, new DescribeRegionsCommand({}));
  if (described.ok) return found((described.output.Regions ?? []).map((r) => r.RegionName), 'ec2:DescribeRegions');
  // Fail closed but keep reading: the error stays in the record (so "all regions" facts are unknown)
  // while the regions every account has are still read.
  const error = { ...listed.error, message: `${listed.error.message}; ec2:DescribeRegions failed too: ${described.error.code}: ${described.error.message}` };
  return { regions: partition === 'aws' ? DEFAULT_ENABLED_REGIONS : [homeRegion], enabledRegions: { error } };
}

function found(names: (string | undefined)[], source: NonNullable<AccountRegions['enabledRegionsSource']>): AccountRegions {
  const regions = names.filter((n): n is string => Boolean(n)).sort();
  return { regions, enabledRegions: { value: regions }, enabledRegionsSource: source };
}
