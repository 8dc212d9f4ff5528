/**
 * What `verify-logs` and `scan --verify-logs` share: how `--hash-logs` is read and the defaults of
 * a verification, so the two commands cannot drift apart.
 */
import { Option } from 'commander';
import { parseHashPolicy } from '../collect/integrity/logs.ts';
import type { HashPolicy } from '../snapshot/log-integrity.ts';
import { UserError } from '../shared/errors.ts';

export const VERIFY_DEFAULTS = { since: '24h', hashLogs: 'all', maxDigestAgeHours: 2, targetConcurrency: 8, objectConcurrency: 32 } as const;

export function hashPolicy(text: string): HashPolicy {
  const policy = parseHashPolicy(text);
  if (!policy) throw new UserError(`--hash-logs "${text}": expected all, none or sample:N`);
  return policy;
}

/** `--hash-logs`, read at parse time; without a default, so a command can tell it was given. */
export function hashLogsOption(description: string): Option {
  return new Option('--hash-logs <mode>', `${description} (default: ${VERIFY_DEFAULTS.hashLogs})`).argParser(hashPolicy);
}
