import { Option } from 'commander';
import { applyCollectFlags } from '../collect/flags.ts';
import { selectAccounts } from '../collect/scope.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import type { EvaluateOptions } from '../evaluate/options.ts';
import { UserError } from '../shared/errors.ts';
import type { SnapshotHeader } from '../snapshot/types.ts';

/** `--accounts`/`--ous` for commands that evaluate a saved snapshot (`evaluate`). */
export function narrowOptions(): Option[] {
  return [
    new Option('--accounts <list>', 'evaluate only these accounts of the snapshot (comma-separated ids)'),
    new Option('--ous <list>', 'evaluate only the accounts under these OUs (comma-separated paths or ids)'),
  ];
}

/** Flags of a live collection that a saved snapshot has already settled, with why. */
const COLLECTION_ONLY: [flag: string, key: string, why: string][] = [
  ['--regions', 'regions', 'the regions were fixed when the snapshot was collected'],
  ['--profile', 'profile', 'no AWS credentials are used'],
  ['--member-role', 'memberRole', 'no role is assumed'],
  ['--external-id', 'externalId', 'no role is assumed'],
  ['--concurrency', 'concurrency', 'no AWS calls are made'],
  ['--detective/--no-detective', 'detective', 'what was read was fixed when the snapshot was collected'],
  ['--history-days', 'historyDays', 'the history was read when the snapshot was collected'],
  ['--save-snapshot', 'saveSnapshot', 'nothing is collected'],
  ['--verify-logs', 'verifyLogs', 'nothing is read from AWS (`trailproof verify-logs --snapshot FILE` verifies the chains a snapshot names)'],
  ['--verify-since', 'verifySince', 'nothing is read from AWS'],
  ['--hash-logs', 'hashLogs', 'nothing is read from AWS'],
];

/**
 * Whether `--accounts` or `--ous` narrows the evaluation to some accounts of a saved snapshot: the
 * one condition both snapshotScope and the judging workers' early start (scan.ts) follow.
 */
export function narrowsAccounts(flags: Record<string, unknown>): boolean {
  return flags.accounts !== undefined || flags.ous !== undefined;
}

/**
 * With `--snapshot` or `--demo`, a flag that only shapes a live collection is an error rather than
 * silently ignored; `--accounts` and `--ous` narrow the evaluation to those accounts of the
 * snapshot, selected as a collection would select them. Returns the pipeline's `only` option.
 */
export function snapshotScope(header: SnapshotHeader, flags: Record<string, unknown>, label: string): EvaluateOptions['only'] {
  for (const [flag, key, why] of COLLECTION_ONLY) {
    if (flags[key] !== undefined) throw new UserError(`${flag} applies only when collecting from AWS; with ${label} ${why}`);
  }
  if (!narrowsAccounts(flags)) return undefined;
  // The same list syntax and account-id checks as a collection's flags.
  const { scope } = applyCollectFlags(DEFAULT_CONFIG, { accounts: flags.accounts, ous: flags.ous });
  const evaluated = new Set(header.scope.accountIds);
  const select = (s: Partial<typeof scope>) =>
    selectAccounts(
      { accounts: header.accounts.value ?? [], roots: header.roots.value ?? [], organizationalUnits: header.organizationalUnits.value ?? [], tagErrors: new Map() },
      { ...DEFAULT_CONFIG.scope, ...s },
    );
  const where = `the ${evaluated.size} accounts of ${label}`;
  for (const id of scope.accounts) if (!evaluated.has(id)) throw new UserError(`--accounts: ${id} is not among ${where}`);
  for (const ou of scope.ous) {
    if (!select({ ous: [ou] }).selected.some((id) => evaluated.has(id))) throw new UserError(`--ous: no account of ${where} is under "${ou}"`);
  }
  const { selected, skipped } = select({ accounts: scope.accounts, ous: scope.ous });
  const accountIds = selected.filter((id) => evaluated.has(id));
  if (accountIds.length === 0) throw new UserError(`--accounts and --ous together select none of ${where}`);
  const flagOf = (reason: string) => reason.replace('scope.accounts', '--accounts').replace('scope.ous', '--ous');
  return { accountIds, skipped: skipped.filter((s) => evaluated.has(s.accountId)).map((s) => ({ accountId: s.accountId, reason: flagOf(s.reason) })) };
}
