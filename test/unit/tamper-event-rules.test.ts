/**
 * Per-region facts behind `cloudtrail-changes-eventbridge`: an ENABLED rule on the default bus,
 * with a target, whose pattern matches each tampering action. Each trap breaks one condition;
 * "a rule exists" would pass them.
 */
import { describe, expect, it } from 'vitest';
import { regionEventRuleFacts, type EventRule, type EventRuleRegionInputs } from '../../src/model/tamper-event-rules.ts';
import { TAMPER_ACTIONS, type TamperAction } from '../../src/model/tamper-events.ts';

const ALL = [...TAMPER_ACTIONS];
const pattern = (eventName: unknown) => JSON.stringify({ source: ['aws.cloudtrail'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventName } });
const rule = (over: Partial<EventRule> = {}): EventRule => ({ Name: 'trail-tampering', State: 'ENABLED', EventBusName: 'default', EventPattern: pattern(ALL), ...over });
const target = { Id: 'sns', Arn: 'arn:aws:sns:us-east-1:111122223333:security-alerts' };

function region(rules: EventRule[], targets: EventRuleRegionInputs['targets'] = Object.fromEntries(rules.map((r) => [r.Name, { value: [target] }]))): EventRuleRegionInputs {
  return { rules: { value: rules }, targets };
}

const caught = (inputs: EventRuleRegionInputs | undefined): TamperAction[] =>
  regionEventRuleFacts(inputs).value!.caught.filter((c) => c.caught.value === true).map((c) => c.action);

describe('regionEventRuleFacts', () => {
  it.each<[string, EventRuleRegionInputs, TamperAction[]]>([
    ['an enabled rule with a target listing all seven', region([rule()]), ALL],
    ['enabled for all CloudTrail management events', region([rule({ State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' })]), ALL],
    ['a DISABLED rule', region([rule({ State: 'DISABLED' })]), []],
    ['a rule with no targets', region([rule()], { 'trail-tampering': { value: [] } }), []],
    ['a prefix that misses', region([rule({ EventPattern: pattern([{ prefix: 'Stop' }]) })]), ['StopLogging', 'StopEventDataStoreIngestion']],
    ['anything-but that excludes StopLogging', region([rule({ EventPattern: pattern([{ 'anything-but': 'StopLogging' }]) })]), ALL.filter((a) => a !== 'StopLogging')],
    ['a rule on a custom bus', region([rule({ EventBusName: 'security' })]), []],
    ['a schedule rule', region([rule({ EventPattern: undefined, ScheduleExpression: 'rate(5 minutes)' })]), []],
    ['no rules', region([]), []],
    [
      'two rules together, one disabled',
      region([rule({ Name: 'trails', EventPattern: pattern(['StopLogging', 'DeleteTrail', 'UpdateTrail']) }), rule({ Name: 'stores', State: 'DISABLED', EventPattern: pattern([{ wildcard: '*EventDataStore*' }]) })]),
      ['StopLogging', 'DeleteTrail', 'UpdateTrail'],
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(caught(inputs)).toEqual(expected);
  });

  it('names the rules that catch each action', () => {
    const facts = regionEventRuleFacts(region([rule({ Name: 'a' }), rule({ Name: 'b', EventPattern: pattern(['StopLogging']) })])).value!;
    expect(facts.caught.find((c) => c.action === 'StopLogging')!.by).toEqual(['a', 'b']);
    expect(facts.caught.find((c) => c.action === 'DeleteTrail')!.by).toEqual(['a']);
  });

  it('judges each region on its own: a rule only in another region covers nothing here', () => {
    const regions: Record<string, EventRuleRegionInputs> = { 'eu-west-1': region([rule()]), 'us-east-1': region([]) };
    expect(caught(regions['eu-west-1'])).toEqual(ALL);
    expect(caught(regions['us-east-1'])).toEqual([]);
  });

  it('is unknown, with the failed call, when the rules or a rule’s targets could not be read', () => {
    const denied = { error: { operation: 'events:ListRules', code: 'AccessDeniedException', message: 'not authorized', region: 'us-east-1' } };
    expect(regionEventRuleFacts({ rules: denied, targets: {} }).reason).toBe('events:ListRules (us-east-1) failed: AccessDeniedException: not authorized');
    expect(regionEventRuleFacts(undefined).reason).toBe('events:ListRules was not read');
    const facts = regionEventRuleFacts(region([rule()], {})).value!;
    expect(facts.caught[0]!.caught.reason).toBe('events:ListTargetsByRule for trail-tampering was not read');
  });

  it('is unknown for a state or an operator it does not know, and false where another link already fails', () => {
    expect(regionEventRuleFacts(region([rule({ State: 'PAUSED' })])).value!.caught[0]!.caught.reason).toBe('rule state "PAUSED" is not one this scanner knows');
    const unknownOperator = regionEventRuleFacts(region([rule({ EventPattern: pattern([{ contains: 'Logging' }]) })])).value!;
    expect(unknownOperator.caught[0]!.caught.reason).toContain('"contains"');
    const disabledAndUnknown = regionEventRuleFacts(region([rule({ State: 'DISABLED', EventPattern: pattern([{ contains: 'Logging' }]) })])).value!;
    expect(disabledAndUnknown.caught[0]!.caught).toEqual({ value: false });
  });
});
