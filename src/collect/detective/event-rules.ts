import {
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type ListRulesCommandOutput,
  type ListTargetsByRuleCommandOutput,
  type Rule as SdkRule,
  type Target as SdkTarget,
} from '@aws-sdk/client-eventbridge';
import type { EventRule, Fetched, RuleTarget } from '../../snapshot/types.ts';
import { paginate, plain, toFetched } from '../fetch.ts';
import type { AccountSession } from '../session.ts';
import { sortedBy } from './region-record.ts';

const DEFAULT_BUS = 'default';

/**
 * EventBridge ListRules on the default bus, then ListTargetsByRule for each rule with an event
 * pattern (a schedule-only rule cannot match a CloudTrail call). Calls: one per region plus one
 * per such rule (and pages).
 */
export async function readEventRules(session: AccountSession, region: string): Promise<{ eventRules: Fetched<EventRule[]>; ruleTargets: Record<string, Fetched<RuleTarget[]>> }> {
  const listed = await paginate<ListRulesCommandOutput, SdkRule>(
    session, 'events', region,
    (NextToken) => new ListRulesCommand({ EventBusName: DEFAULT_BUS, Limit: 100, NextToken }),
    (o) => o.Rules, (o) => o.NextToken,
  );
  const eventRules = toFetched(listed, (rules) => sortedBy(rules.map(eventRule), (r) => r.Name));
  const withPattern = (eventRules.value ?? []).filter((r) => typeof r.EventPattern === 'string' && r.Name !== '');
  const targets = await Promise.all(withPattern.map((rule) => readTargets(session, region, rule.Name)));
  return { eventRules, ruleTargets: Object.fromEntries(withPattern.map((rule, i) => [rule.Name, targets[i]!])) };
}

function eventRule(rule: SdkRule): EventRule {
  return plain<EventRule>({
    Name: rule.Name ?? '',
    Arn: rule.Arn,
    EventPattern: rule.EventPattern,
    State: rule.State,
    EventBusName: rule.EventBusName,
    ScheduleExpression: rule.ScheduleExpression,
    ManagedBy: rule.ManagedBy,
  });
}

async function readTargets(session: AccountSession, region: string, rule: string): Promise<Fetched<RuleTarget[]>> {
  const outcome = await paginate<ListTargetsByRuleCommandOutput, SdkTarget>(
    session, 'events', region,
    (NextToken) => new ListTargetsByRuleCommand({ Rule: rule, EventBusName: DEFAULT_BUS, Limit: 100, NextToken }),
    (o) => o.Targets, (o) => o.NextToken,
  );
  // Only where each target points: a target's Input may carry the caller's own data.
  return toFetched(outcome, (targets) => targets.map((t) => plain<RuleTarget>({ Id: t.Id, Arn: t.Arn })), ['ResourceNotFoundException']);
}
