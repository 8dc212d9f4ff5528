/**
 * Facts for `cloudtrail-changes-eventbridge`: in one region, which tampering actions an ENABLED
 * rule on the default event bus, with at least one target, would fire on. CloudTrail's own API
 * calls reach the default bus of the region where the call was made (for a trail, its home region),
 * so the rule decides which regions must be covered; this module answers per region.
 *
 * Pure functions over the snapshot's detective-control shapes (src/snapshot/types.ts).
 */
import { known, unknownBecause, type Known } from './known.ts';
import { allTrue, anyTrue } from './known-logic.ts';
import { unknownReason } from './model-index.ts';
import { eventRuleCoverage, type ActionCoverage } from './tamper-coverage.ts';
import { TAMPER_ACTIONS, type TamperAction } from './tamper-events.ts';
import type { Fetched, EventRule, RuleTarget } from '../snapshot/types.ts';
import { mappedWhere } from '../shared/lists.ts';

export type { EventRule, RuleTarget };

/** What one account answered in one region about its default bus. */
export interface EventRuleRegionInputs {
  /** Undefined: not read. */
  rules: Fetched<EventRule[]> | undefined;
  /** ListTargetsByRule per rule name. */
  targets: Record<string, Fetched<RuleTarget[]>>;
}

// ---------- facts ----------

export interface EventRuleFacts {
  name: string;
  state: string;
  enabled: Known<boolean>;
  targetCount: Known<number>;
  coverage: ActionCoverage[];
}

export interface RegionEventRuleFacts {
  rules: EventRuleFacts[];
  /** Per action: some enabled rule with a target catches it. */
  caught: { action: TamperAction; caught: Known<boolean>; by: string[] }[];
}

const ENABLED_STATES = new Set(['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']);

function enabledState(state: string): Known<boolean> {
  if (ENABLED_STATES.has(state)) return known(true);
  if (state === 'DISABLED') return known(false);
  return unknownBecause(`rule state ${JSON.stringify(state)} is not one this scanner knows`);
}

export function regionEventRuleFacts(inputs: EventRuleRegionInputs | undefined, actions: readonly TamperAction[] = TAMPER_ACTIONS): Known<RegionEventRuleFacts> {
  const missing = unknownReason(inputs?.rules, 'events:ListRules');
  if (missing !== undefined) return unknownBecause(missing);
  const rules = (inputs!.rules!.value ?? [])
    .filter((rule) => rule.EventPattern !== undefined && (rule.EventBusName ?? 'default') === 'default')
    .map((rule): EventRuleFacts => {
      const state = rule.State ?? 'ENABLED';
      const targets = inputs!.targets[rule.Name];
      const targetsMissing = unknownReason(targets, `events:ListTargetsByRule for ${rule.Name}`);
      return {
        name: rule.Name,
        state,
        enabled: enabledState(state),
        targetCount: targetsMissing === undefined ? known((targets!.value ?? []).length) : unknownBecause(targetsMissing),
        coverage: eventRuleCoverage(rule.EventPattern!, actions),
      };
    });
  return known({ rules, caught: actions.map((action) => caughtBy(action, rules)) });
}

/** Caught when one rule is enabled, has a target and catches the action. */
function caughtBy(action: TamperAction, rules: EventRuleFacts[]): { action: TamperAction; caught: Known<boolean>; by: string[] } {
  const verdicts = rules.map((rule) => {
    const hasTarget = rule.targetCount.value === undefined ? unknownBecause<boolean>(rule.targetCount.reason) : known(rule.targetCount.value > 0);
    return { name: rule.name, fires: allTrue([rule.enabled, hasTarget, rule.coverage.find((c) => c.action === action)!.caught]) };
  });
  return { action, caught: anyTrue(verdicts.map((v) => v.fires)), by: mappedWhere(verdicts, (v) => v.fires.value === true, (v) => v.name) };
}
