/**
 * `account.tamperEventRules`: per region, which tampering actions an EventBridge rule on the
 * default bus would alert on (tamper-event-rules.ts), and the regions that need such a rule: the
 * home regions of the trails and event data stores the account owns, since a call that stops or
 * changes one is made (and lands on the default bus) there. The organization's trail is changed
 * from its owner's account, so it counts there, not in the members.
 */
import type { AccountRecord } from '../snapshot/types.ts';
import { detectiveInputs, setKnown, withUnknown } from './detective-inputs.ts';
import type { Known } from './known.ts';
import { caughtActions, undecidedActions } from './tamper-coverage.ts';
import { deepFreeze } from './frozen.ts';
import { readRegionNames, regionNamesWith } from './shared-facts.ts';
import { regionEventRuleFacts, type EventRuleFacts, type RegionEventRuleFacts } from './tamper-event-rules.ts';
import type { TamperAction } from './tamper-events.ts';
import type { RegionTamperEventRulesFacts, TamperEventActionFacts, TamperEventRuleFacts, TamperEventRulesFacts } from './facts.ts';
import { mapped } from '../shared/lists.ts';

/**
 * Facts of regions whose default bus has no rule with an event pattern, by region: the same for
 * every account, so shared (frozen), for one set of actions. Most regions of most accounts are such;
 * the rules' caches and CEL conversion key shared facts by identity (verdict-cache.ts, cel.ts).
 */
export type RegionsWithoutRules = Map<string, RegionTamperEventRulesFacts>;

/**
 * The whole facts of accounts none of whose regions has such a rule, by their regions and the
 * regions they need a rule in (most member accounts: the same regions, none needed): shared, frozen.
 */
export type AccountsWithoutRules = Map<string, TamperEventRulesFacts>;

/** `needed`: the home regions of what the account owns (unknown when its trails are). */
export function accountTamperEventRules(
  record: AccountRecord,
  needed: Known<string[]>,
  actions: readonly TamperAction[],
  withoutRules: RegionsWithoutRules = new Map(),
  withoutAnyRule: AccountsWithoutRules = new Map(),
  /** The names of the regions the account was read in, sorted (accountRegionNames). */
  readRegions: readonly string[] = readRegionNames(record),
): TamperEventRulesFacts {
  const regions = regionNamesWith(readRegions, needed.value ?? []);
  const perRegion = mapped(regions, (region) => regionFacts(record, region, actions, withoutRules));
  const neededRegions = needed.value === undefined ? undefined : [...new Set(needed.value)].sort();
  const build = (): TamperEventRulesFacts => {
    const facts: TamperEventRulesFacts = { byRegion: Object.fromEntries(regions.map((region, i) => [region, perRegion[i]!])) };
    const unknown: Record<string, string> = {};
    setKnown(facts, unknown, 'regions', neededRegions === undefined ? needed : { value: neededRegions });
    return withUnknown(facts, unknown);
  };
  // Every region without a rule (each region's facts the shared ones) and the regions needed known:
  // nothing in the facts is this account's own, so accounts with the same regions share them.
  if (neededRegions === undefined || !perRegion.every((facts) => withoutRules.get(facts.region) === facts)) return build();
  const key = `${regions.join(' ')}\n${neededRegions.join(' ')}`;
  let shared = withoutAnyRule.get(key);
  if (!shared) withoutAnyRule.set(key, (shared = deepFreeze(build())));
  return shared;
}

function regionFacts(record: AccountRecord, region: string, actions: readonly TamperAction[], withoutRules: RegionsWithoutRules): RegionTamperEventRulesFacts {
  const inputs = detectiveInputs(record, region);
  const listed = inputs.block?.eventRules?.value;
  const seen = withoutRules.get(region);
  if (seen && listed?.length === 0) return seen;
  const computed = inputs.reason !== undefined ? { reason: inputs.reason } : regionEventRuleFacts({ rules: inputs.block.eventRules, targets: inputs.block.ruleTargets ?? {} }, actions);
  if (computed.reason !== undefined) return { region, unknown: { actions: computed.reason, rules: computed.reason } };
  if (computed.value.rules.length > 0) return factsOf(region, computed.value);
  const shared = seen ?? deepFreeze(factsOf(region, computed.value));
  withoutRules.set(region, shared);
  return shared;
}

function factsOf(region: string, computed: RegionEventRuleFacts): RegionTamperEventRulesFacts {
  return {
    region,
    rules: computed.rules.map(ruleFacts),
    actions: Object.fromEntries(
      // Each built as one literal (what setKnown and withUnknown make): one per action, region and account.
      computed.caught.map(({ action, caught, by }): [string, TamperEventActionFacts] => [
        action,
        caught.reason === undefined ? { action, by, caught: caught.value } : { action, by, unknown: { caught: caught.reason } },
      ]),
    ),
  };
}

function ruleFacts(rule: EventRuleFacts): TamperEventRuleFacts {
  const facts: TamperEventRuleFacts = {
    name: rule.name,
    state: rule.state,
    catches: caughtActions(rule.coverage),
    undecided: undecidedActions(rule.coverage),
  };
  const unknown: Record<string, string> = {};
  setKnown(facts, unknown, 'enabled', rule.enabled);
  setKnown(facts, unknown, 'targets', rule.targetCount);
  return withUnknown(facts, unknown);
}
