import {
  DescribeOrganizationConfigurationCommand,
  ListOrganizationAdminAccountsCommand,
  type AdminAccount,
  type DescribeOrganizationConfigurationCommandOutput,
  type ListOrganizationAdminAccountsCommandOutput,
} from '@aws-sdk/client-guardduty';
import type { Fetched, GuardDutyDetector, GuardDutyOrganizationConfiguration } from '../../snapshot/types.ts';
import type { AccountContext } from '../account.ts';
import type { CredentialProvider } from '../clients.ts';
import { paginate, toFetched } from '../fetch.ts';
import { AccountSession } from '../session.ts';

const DESCRIBE = 'guardduty:DescribeOrganizationConfiguration';

export interface GuardDutyOrganizationInputs {
  /** Regions of the scan. */
  regions: readonly string[];
  /** Accounts of the scan: the administrator is read only when it is one of them. */
  accountIds: readonly string[];
  /** The credentials an account was read with, or undefined when it could not be entered. */
  credentialsOf(accountId: string): CredentialProvider | undefined;
  /** The detectors already read for an account and region (from its record), or undefined when not read. */
  detectorsOf(accountId: string, region: string): Promise<Fetched<GuardDutyDetector[]> | undefined>;
}

/**
 * GuardDuty's organization configuration per region, after the accounts are read: the management
 * account names the delegated administrator (ListOrganizationAdminAccounts, per region), and the
 * administrator's own detector answers DescribeOrganizationConfiguration. Calls: two per region;
 * the administrator is read with the credentials its own read used, its detector id comes from
 * its record.
 */
export async function readGuardDutyOrganization(ctx: AccountContext, inputs: GuardDutyOrganizationInputs): Promise<Record<string, Fetched<GuardDutyOrganizationConfiguration>>> {
  const sessions = new Map<string, AccountSession>();
  const sessionOf = (accountId: string): AccountSession | undefined => {
    if (accountId === ctx.starting.accountId) return ctx.starting;
    const credentials = inputs.credentialsOf(accountId);
    if (!credentials) return undefined;
    let session = sessions.get(accountId);
    if (!session) sessions.set(accountId, (session = new AccountSession(accountId, credentials, ctx.settings)));
    return session;
  };
  try {
    const answers = await Promise.all(inputs.regions.map((region) => readRegion(ctx, inputs, region, sessionOf)));
    return Object.fromEntries(inputs.regions.map((region, i) => [region, answers[i]!]));
  } finally {
    for (const session of sessions.values()) session.destroy();
  }
}

async function readRegion(
  ctx: AccountContext,
  inputs: GuardDutyOrganizationInputs,
  region: string,
  sessionOf: (accountId: string) => AccountSession | undefined,
): Promise<Fetched<GuardDutyOrganizationConfiguration>> {
  const listed = await paginate<ListOrganizationAdminAccountsCommandOutput, AdminAccount>(
    ctx.starting, 'guardduty', region,
    (NextToken) => new ListOrganizationAdminAccountsCommand({ MaxResults: 50, NextToken }),
    (o) => o.AdminAccounts, (o) => o.NextToken,
  );
  if (!listed.ok) return { error: listed.error };
  const admin = listed.output.find((a) => a.AdminStatus === 'ENABLED' && typeof a.AdminAccountId === 'string')?.AdminAccountId;
  if (!admin) return { value: null, absent: 'NoDelegatedAdministrator' };
  const unreadable = (code: string, message: string): Fetched<GuardDutyOrganizationConfiguration> => ({ error: { operation: DESCRIBE, code, message, accountId: admin, region } });
  if (!inputs.accountIds.includes(admin)) {
    return unreadable('AdministratorNotInScope', `GuardDuty's delegated administrator in ${region}, account ${admin}, is not among the accounts scanned`);
  }
  const detectors = await inputs.detectorsOf(admin, region);
  if (detectors === undefined) return unreadable('NotRead', `the detectors of the delegated administrator ${admin} in ${region} were not read`);
  if (detectors.error) return { error: detectors.error };
  const detectorId = (detectors.value ?? [])[0]?.DetectorId;
  // Without a detector of its own the administrator manages nothing in this region.
  if (!detectorId) return { value: null, absent: 'NoDetector' };
  const session = sessionOf(admin);
  // Not entered: its record holds the AssumeRole error, and its detectors were not read either.
  if (!session) return unreadable('NotRead', `the delegated administrator ${admin} could not be entered`);
  const outcome = await session.call<DescribeOrganizationConfigurationCommandOutput>('guardduty', region, new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId }));
  return toFetched(outcome, (o) => ({
    AdminAccountId: admin,
    ...(o.AutoEnableOrganizationMembers !== undefined ? { AutoEnableOrganizationMembers: o.AutoEnableOrganizationMembers } : {}),
    ...(o.AutoEnable !== undefined ? { AutoEnable: o.AutoEnable } : {}),
  }));
}
