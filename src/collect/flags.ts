import type { TrailproofConfig } from '../config/types.ts';
import { UserError } from '../shared/errors.ts';
import { MAX_HISTORY_DAYS } from '../snapshot/tamper-history-names.ts';

/** Command-line flags shared by `collect` and `scan` (commander's camelCase names). */
export interface CollectFlags {
  profile?: string;
  memberRole?: string;
  externalId?: string;
  /** Comma-separated lists, as typed. */
  regions?: string;
  accounts?: string;
  ous?: string;
  concurrency?: string | number;
  /** --detective / --no-detective (commander sets it only when one is given). */
  detective?: boolean;
  historyDays?: string | number;
}

/**
 * Flags override config.yaml; returns a new config, the input is left as is. Takes commander's
 * loose option bag (scan passes its own flags through), so values are checked here.
 */
export function applyCollectFlags(config: TrailproofConfig, options: CollectFlags | Record<string, unknown>): TrailproofConfig {
  const flags = stringFlags(options as Record<string, unknown>);
  const next = structuredClone(config);
  if (flags.profile !== undefined) next.organization.profile = nonEmpty('--profile', flags.profile);
  if (flags.memberRole !== undefined) next.organization.memberRoleName = nonEmpty('--member-role', flags.memberRole);
  if (flags.externalId !== undefined) next.organization.externalId = nonEmpty('--external-id', flags.externalId);
  if (flags.regions !== undefined) {
    next.scope.regions = list('--regions', flags.regions);
    const bad = next.scope.regions.find((r) => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
    if (bad) throw new UserError(`--regions: "${bad}" is not a region name (like eu-west-1)`);
  }
  if (flags.accounts !== undefined) {
    next.scope.accounts = list('--accounts', flags.accounts);
    const bad = next.scope.accounts.find((a) => !/^\d{12}$/.test(a));
    if (bad) throw new UserError(`--accounts: "${bad}" is not a 12-digit account id`);
  }
  if (flags.ous !== undefined) next.scope.ous = list('--ous', flags.ous);
  if (flags.concurrency !== undefined) {
    const n = Number(flags.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new UserError(`--concurrency must be a whole number from 1 to 256, got "${flags.concurrency}"`);
    next.collection.accountConcurrency = n;
  }
  if (flags.detective !== undefined) next.collection.detective = flags.detective;
  if (flags.historyDays !== undefined) {
    const n = Number(flags.historyDays);
    if (!Number.isInteger(n) || n < 1 || n > MAX_HISTORY_DAYS) throw new UserError(`--history-days must be a whole number from 1 to ${MAX_HISTORY_DAYS}, got "${flags.historyDays}"`);
    next.collection.historyDays = n;
  }
  return next;
}

function stringFlags(options: Record<string, unknown>): CollectFlags {
  const flags: CollectFlags = {};
  for (const key of ['profile', 'memberRole', 'externalId', 'regions', 'accounts', 'ous'] as const) {
    const v = options[key];
    if (v !== undefined) flags[key] = String(v);
  }
  if (options.concurrency !== undefined) flags.concurrency = options.concurrency as string | number;
  if (options.historyDays !== undefined) flags.historyDays = options.historyDays as string | number;
  if (typeof options.detective === 'boolean') flags.detective = options.detective;
  return flags;
}

function nonEmpty(flag: string, value: string): string {
  if (value.trim() === '') throw new UserError(`${flag} must not be empty`);
  return value.trim();
}

function list(flag: string, value: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new UserError(`${flag} needs at least one value (comma-separated)`);
  return items;
}
