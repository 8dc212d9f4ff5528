/**
 * `trail.changeAlarms`: the metric-filter → alarm → SNS chain of trail-change-alarms.ts, shaped as
 * facts (per action: alarmed, by which chain, or why not). Computed for the trails an account owns,
 * from that account's detective blocks: the trail's log group lives in its owner's account.
 */
import type { AccountRecord } from '../snapshot/types.ts';
import { detectiveInputs, setKnown, withUnknown } from './detective-inputs.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { caughtActions, undecidedActions, type ActionCoverage } from './tamper-coverage.ts';
import type { TamperAction } from './tamper-events.ts';
import { parseLogGroupArn, trailAlarmFacts, type AlarmFacts, type FilterFacts, type TrailAlarmFacts } from './trail-change-alarms.ts';
import type { ActionAlarmFacts, ChangeAlarmFacts, ChangeAlarmFilterFacts, TrailChangeAlarmsFacts } from './facts.ts';
import { emptyList, mapped, mappedWhere } from '../shared/lists.ts';

/** The alarm chain of a trail owned by `record`'s account, for `actions`. */
export function trailChangeAlarms(record: AccountRecord, logGroupArn: string | null, actions: readonly TamperAction[]): Known<TrailChangeAlarmsFacts> {
  const group = logGroupArn ? parseLogGroupArn(logGroupArn) : undefined;
  let chain: Known<TrailAlarmFacts>;
  if (!group) {
    chain = trailAlarmFacts(logGroupArn, {}, actions);
  } else {
    const inputs = detectiveInputs(record, group.region);
    if (inputs.reason !== undefined) return unknownBecause(inputs.reason);
    const { block } = inputs;
    chain = trailAlarmFacts(logGroupArn, { [group.region]: { metricFilters: block.metricFilters ?? {}, metricAlarms: block.metricAlarms, topicSubscriptions: block.topicSubscriptions ?? {} } }, actions);
  }
  if (chain.reason !== undefined) return unknownBecause(chain.reason);
  const facts = chain.value;
  return known({
    logGroup: facts.logGroupName,
    filters: mapped(facts.filters, filterFacts),
    actions: Object.fromEntries(facts.alarmed.map(({ action, alarmed }) => [action, actionFacts(action, alarmed, facts)])),
  });
}

const metricName = (m: { namespace: string; name: string }) => `${m.namespace}/${m.name}`;
const coverageFor = (filter: FilterFacts, action: TamperAction) => filter.coverage.find((c) => c.action === action)!;

function filterFacts(filter: FilterFacts): ChangeAlarmFilterFacts {
  const unknown: Record<string, string> = {};
  const alarms: ChangeAlarmFacts[] = [];
  for (const metric of filter.metrics) {
    if (metric.alarms.reason !== undefined) unknown.alarms ??= metric.alarms.reason;
    else alarms.push(...metric.alarms.value.map((a) => alarmFacts(a, metricName(metric))));
  }
  const facts: ChangeAlarmFilterFacts = {
    name: filter.filterName,
    pattern: filter.filterPattern,
    catches: caughtActions(filter.coverage),
    undecided: undecidedActions(filter.coverage),
    metrics: filter.metrics.map(metricName),
  };
  if (unknown.alarms === undefined) facts.alarms = alarms;
  return withUnknown(facts, unknown);
}

function alarmFacts(alarm: AlarmFacts, metric: string): ChangeAlarmFacts {
  const unknown: Record<string, string> = {};
  const facts: ChangeAlarmFacts = { alarmName: alarm.alarmName, metric, actionsEnabled: alarm.actionsEnabled, snsTopics: alarm.topics.map((t) => t.topicArn) };
  const firstUnknown = alarm.topics.find((t) => t.confirmedSubscriptions.reason !== undefined);
  const confirmed = firstUnknown ? firstUnknown.confirmedSubscriptions : known(alarm.topics.reduce((n, t) => n + (t.confirmedSubscriptions.value ?? 0), 0));
  setKnown(facts, unknown, 'confirmedSubscriptions', confirmed);
  setKnown(facts, unknown, 'notifies', alarm.notifies);
  return withUnknown(facts, unknown);
}

function actionFacts(action: TamperAction, alarmed: Known<boolean>, chain: TrailAlarmFacts): ActionAlarmFacts {
  const via = emptyList<string>();
  for (const filter of chain.filters) {
    if (coverageFor(filter, action).caught.value !== true) continue;
    for (const metric of filter.metrics) {
      for (const alarm of metric.alarms.value ?? []) {
        if (alarm.notifies.value !== true) continue;
        via.push(`${filter.filterName} → ${metricName(metric)} → ${alarm.alarmName} → ${mappedWhere(alarm.topics, (t) => (t.confirmedSubscriptions.value ?? 0) > 0, (t) => t.topicArn).join(', ')}`);
      }
    }
  }
  const facts: ActionAlarmFacts = { action, via, reason: via.length > 0 ? `alarmed via ${via[0]}` : whyNot(action, chain) };
  const unknown: Record<string, string> = {};
  setKnown(facts, unknown, 'alarmed', alarmed);
  return withUnknown(facts, unknown);
}

/** Why an action is not alarmed: the first broken link of the best chain. */
function whyNot(action: TamperAction, chain: TrailAlarmFacts): string {
  if (chain.logGroupName === null) return 'the trail does not deliver to CloudWatch Logs';
  const group = chain.logGroupName;
  if (chain.filters.length === 0) return `log group ${group} has no metric filter`;
  const catching = chain.filters.filter((f) => coverageFor(f, action).caught.value === true);
  if (catching.length === 0) {
    const undecided = chain.filters.map((f) => coverageFor(f, action)).find((c) => c.caught.reason !== undefined);
    if (undecided) return `no metric filter on ${group} is known to match ${action}: ${undecided.caught.reason}`;
    return `no metric filter on ${group} matches ${action}${missedBy(chain.filters.map((f) => coverageFor(f, action)))}`;
  }
  const problems: string[] = [];
  for (const filter of catching) {
    for (const metric of filter.metrics) {
      const where = `filter ${filter.filterName} matches it, but ${metricName(metric)}`;
      if (metric.alarms.reason !== undefined) problems.push(`${where}: ${metric.alarms.reason}`);
      else if (metric.alarms.value.length === 0) problems.push(`${where} has no alarm`);
      else problems.push(...metric.alarms.value.map((a) => `${where} → alarm ${a.alarmName} ${alarmProblem(a)}`));
    }
  }
  return problems.join('; ');
}

function missedBy(coverage: ActionCoverage[]): string {
  const callers = [...new Set(coverage.flatMap((c) => c.missedCallers))];
  const partly = coverage.some((c) => c.missedCallers.length > 0 && c.missedCallers.length < 3);
  return partly ? ` for every caller (missed: ${callers.join(', ')})` : '';
}

function alarmProblem(alarm: AlarmFacts): string {
  if (!alarm.actionsEnabled) return 'has its actions disabled';
  if (alarm.topics.length === 0) return 'notifies no SNS topic';
  const unknownTopic = alarm.topics.find((t) => t.confirmedSubscriptions.reason !== undefined);
  if (unknownTopic) return `notifies ${unknownTopic.topicArn}, whose subscriptions are unknown: ${unknownTopic.confirmedSubscriptions.reason}`;
  return `notifies ${alarm.topics.map((t) => t.topicArn).join(', ')}, which ${alarm.topics.length === 1 ? 'has' : 'have'} no confirmed subscription`;
}
