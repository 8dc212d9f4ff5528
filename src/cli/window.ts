import type { VerifyWindow } from '../snapshot/log-integrity.ts';
import { UserError } from '../shared/errors.ts';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** --since 7d, or --from/--to (ISO-8601); default the last 24 hours. */
export function parseWindow(flags: { since?: string; from?: string; to?: string }, now: Date): VerifyWindow {
  if (flags.since && flags.from) throw new UserError('--since and --from exclude each other');
  const to = flags.to ? time(flags.to, '--to') : now;
  let from: Date;
  if (flags.from) from = time(flags.from, '--from');
  else {
    const m = /^(\d+)([mhd])$/.exec(flags.since ?? '24h');
    if (!m) throw new UserError(`--since "${flags.since}": expected a number and a unit, like 90m, 24h or 7d`);
    from = new Date(to.getTime() - Number(m[1]) * UNIT_MS[m[2]!]!);
  }
  if (from.getTime() >= to.getTime()) throw new UserError(`the window is empty: ${from.toISOString()} is not before ${to.toISOString()}`);
  return { from: from.toISOString(), to: to.toISOString() };
}

function time(text: string, flag: string): Date {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UserError(`${flag} "${text}": expected an ISO-8601 time, like 2026-03-01T00:00:00Z`);
  return new Date(t);
}
