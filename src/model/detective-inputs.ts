/**
 * Where the detective-control facts read their inputs: one account's `detective` block per region.
 * A region whose block is absent (a snapshot collected without detective controls, or by an older
 * version) is "not read", never "nothing there": every fact built from it is unknown with this
 * reason, so its rules give ERROR, not PASS.
 */
import type { AccountRecord, DetectiveRegionRecord, RegionRecord } from '../snapshot/types.ts';
import type { Known } from './known.ts';
import { describeError } from './model-index.ts';
import { TAMPER_ACTIONS, type TamperAction } from './tamper-events.ts';

export type DetectiveInputs = { block: DetectiveRegionRecord; reason?: undefined } | { block?: undefined; reason: string };

/** Why nothing at all was read for the account (it could not be entered, or no region was read), else undefined. */
export function accountUnread(record: AccountRecord): string | undefined {
  if (record.access?.error) return `could not read the account: ${describeError(record.access.error)}`;
  if (record.regions.length === 0) return 'no region of the account was read';
  return undefined;
}

/** The account's detective block in `region`, or why there is none. */
export function detectiveInputs(record: AccountRecord, region: string): DetectiveInputs {
  return inputsByRegion(record).get(region) ?? { reason: `region ${region} of account ${record.accountId} was not read` };
}

/**
 * The account's inputs by region name, made once per record: the detective facts look up each of
 * its 17-20 regions three times (event rules, GuardDuty, event history), and a search of the list
 * each time costs in proportion to the square of its regions; each lookup made its `{ block }`
 * too. The first record of a region wins, as `find` would have it.
 */
const regionIndexes = new WeakMap<AccountRecord, Map<string, DetectiveInputs>>();

function inputsByRegion(record: AccountRecord): Map<string, DetectiveInputs> {
  let byName = regionIndexes.get(record);
  if (!byName) {
    byName = new Map();
    for (const r of record.regions) if (!byName.has(r.region)) byName.set(r.region, inputsOf(record, r));
    regionIndexes.set(record, byName);
  }
  return byName;
}

function inputsOf(record: AccountRecord, regionRecord: RegionRecord): DetectiveInputs {
  if (regionRecord.detective) return { block: regionRecord.detective };
  return {
    reason:
      `the snapshot holds no detective-control data for account ${record.accountId} in ${regionRecord.region} ` +
      '(collected without detective controls, or by an older version); collect again, or turn the detective rules off with rules.disabledTags: [detective]',
  };
}

/** The tampering actions the model evaluates (ModelOptions.tamperActions), in the canonical order. */
export const tamperActionsOf = (names: readonly string[]): TamperAction[] => TAMPER_ACTIONS.filter((a) => names.includes(a));

/** A Known split into a fact field: the value under `name`, or the reason in `unknown[name]`. */
export function setKnown<O extends object, K extends keyof O & string>(target: O, unknown: Record<string, string>, name: K, value: Known<O[K]>): void {
  if (value.reason !== undefined) unknown[name] = value.reason;
  else target[name] = value.value as O[K];
}

/** Attaches `unknown` when it has entries (facts carry no empty unknown maps). */
export function withUnknown<T extends object>(facts: T, unknown: Record<string, string>): T {
  return Object.keys(unknown).length > 0 ? { ...facts, unknown } : facts;
}
