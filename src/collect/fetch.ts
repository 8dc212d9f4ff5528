import type { Fetched } from '../snapshot/types.ts';
import type { ServiceName } from './aws-actions.ts';
import type { AccountSession, CallOutcome } from './session.ts';

type CommandLike = { input: unknown; constructor: { name: string } };

/**
 * The snapshot keeps AWS's shapes but as plain JSON: timestamps become ISO-8601 strings, the SDK's
 * $metadata (request ids) and undefined fields are dropped.
 */
export function plain<T>(value: unknown): T {
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map((v) => plain(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$metadata' || v === undefined) continue;
      out[k] = plain(v);
    }
    return out as T;
  }
  return value as T;
}

/** An outcome as a snapshot value; the listed error codes are AWS's way of saying "not configured". */
export function toFetched<O, T>(outcome: CallOutcome<O>, map: (output: O) => T, absentCodes: readonly string[] = []): Fetched<T> {
  if (outcome.ok) return { value: map(outcome.output) };
  if (absentCodes.includes(outcome.error.code)) return { value: null, absent: outcome.error.code };
  return { error: outcome.error };
}

/** One call as a snapshot value; `notConfigured` codes become `{value: null, absent}`. */
export async function fetchOne<O, T>(
  session: AccountSession,
  service: ServiceName,
  region: string,
  command: CommandLike,
  map: (output: O) => T,
  notConfigured: readonly string[] = [],
): Promise<Fetched<T>> {
  return toFetched(await session.call<O>(service, region, command, notConfigured), map, notConfigured);
}

/** Follows a token-paginated list to its end; the first failed page fails the whole list (no partial lists). */
export async function paginate<O, I>(
  session: AccountSession,
  service: ServiceName,
  region: string,
  command: (token: string | undefined) => CommandLike,
  items: (output: O) => readonly I[] | undefined,
  nextToken: (output: O) => string | undefined,
  /** Sees each page's items as it arrives (a later failed page still fails the list). */
  onPage?: (items: readonly I[]) => void,
): Promise<CallOutcome<I[]>> {
  const all: I[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const outcome = await session.call<O>(service, region, command(token));
    if (!outcome.ok) return outcome;
    const page = items(outcome.output) ?? [];
    all.push(...page);
    onPage?.(page);
    token = nextToken(outcome.output) || undefined;
    // An endpoint that repeats a token would otherwise loop forever.
    if (token !== undefined) {
      if (seen.has(token)) break;
      seen.add(token);
    }
  } while (token !== undefined);
  return { ok: true, output: all };
}
