/**
 * The alarm chain behind `cloudtrail-changes-alarmed`: trail → log group → metric filter that
 * catches the action → alarm on that exact metric → enabled actions → SNS topic → confirmed
 * subscription. Each trap breaks one link; "a filter exists" or "an alarm exists" would pass them.
 */
import { describe, expect, it } from 'vitest';
import { parseLogGroupArn, trailAlarmFacts, type AlarmRegionInputs, type MetricAlarm, type MetricFilter } from '../../src/model/trail-change-alarms.ts';
import { TAMPER_ACTIONS, type TamperAction } from '../../src/model/tamper-events.ts';

const GROUP = 'aws-cloudtrail-logs-111122223333';
const GROUP_ARN = `arn:aws:logs:us-east-1:111122223333:log-group:${GROUP}:*`;
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:security-alerts';

const filter = (pattern: string, over: Partial<MetricFilter> = {}): MetricFilter => ({
  filterName: 'trail-changes',
  logGroupName: GROUP,
  filterPattern: pattern,
  metricTransformations: [{ metricName: 'TrailChanges', metricNamespace: 'Security', metricValue: '1' }],
  ...over,
});
const alarm = (over: Partial<MetricAlarm> = {}): MetricAlarm => ({
  AlarmName: 'trail-changes',
  Namespace: 'Security',
  MetricName: 'TrailChanges',
  ActionsEnabled: true,
  AlarmActions: [TOPIC],
  StateValue: 'OK',
  ...over,
});
const confirmedSubscription = { SubscriptionArn: `${TOPIC}:0f1e2d3c-aaaa-bbbb-cccc-111122223333`, Protocol: 'email', Endpoint: 'soc@example.com', TopicArn: TOPIC };

function inputs(over: Partial<AlarmRegionInputs> = {}): Record<string, AlarmRegionInputs> {
  return {
    'us-east-1': {
      metricFilters: { [GROUP]: { value: [filter('{ $.eventSource = cloudtrail.amazonaws.com }')] } },
      metricAlarms: { value: [alarm()] },
      topicSubscriptions: { [TOPIC]: { value: [confirmedSubscription] } },
      ...over,
    },
  };
}

const alarmedActions = (regions: Record<string, AlarmRegionInputs>, logGroupArn: string | null = GROUP_ARN): TamperAction[] =>
  trailAlarmFacts(logGroupArn, regions).value!.alarmed.filter((a) => a.alarmed.value === true).map((a) => a.action);

const ALL = [...TAMPER_ACTIONS];

describe('trailAlarmFacts', () => {
  it('passes the whole chain: filter on every CloudTrail call, alarm, enabled action, confirmed subscriber', () => {
    expect(alarmedActions(inputs())).toEqual(ALL);
    const facts = trailAlarmFacts(GROUP_ARN, inputs()).value!;
    expect(facts.logGroupName).toBe(GROUP);
    expect(facts.filters[0]!.metrics[0]!.alarms.value![0]).toEqual({
      alarmName: 'trail-changes',
      actionsEnabled: true,
      topics: [{ topicArn: TOPIC, confirmedSubscriptions: { value: 1 } }],
      notifies: { value: true },
    });
  });

  it.each<[string, Partial<AlarmRegionInputs>, TamperAction[]]>([
    [
      'a pattern that misses the event data store actions',
      { metricFilters: { [GROUP]: { value: [filter('{ ($.eventName = StopLogging) || ($.eventName = DeleteTrail) || ($.eventName = UpdateTrail) || ($.eventName = PutEventSelectors) || ($.eventName = PutInsightSelectors) }')] } } },
      ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'],
    ],
    ['a typo in an event name', { metricFilters: { [GROUP]: { value: [filter('{ ($.eventName = StopLoging) || ($.eventName = DeleteTrail) }')] } } }, ['DeleteTrail']],
    ['an alarm with no actions', { metricAlarms: { value: [alarm({ AlarmActions: [] })] } }, []],
    ['an alarm with its actions disabled', { metricAlarms: { value: [alarm({ ActionsEnabled: false })] } }, []],
    ['an alarm on another metric name', { metricAlarms: { value: [alarm({ MetricName: 'TrailChange' })] } }, []],
    ['an alarm on the same name in another namespace', { metricAlarms: { value: [alarm({ Namespace: 'CloudTrailMetrics' })] } }, []],
    ['an alarm on a dimension of the metric the filter does not publish', { metricAlarms: { value: [alarm({ Dimensions: [{ Name: 'Account', Value: '111122223333' }] })] } }, []],
    ['no alarm at all', { metricAlarms: { value: [] } }, []],
    ['an alarm whose only action is not SNS', { metricAlarms: { value: [alarm({ AlarmActions: ['arn:aws:autoscaling:us-east-1:111122223333:scalingPolicy:1:autoScalingGroupName/g:policyName/p'] })] } }, []],
    ['a topic whose only subscription is pending confirmation', { topicSubscriptions: { [TOPIC]: { value: [{ ...confirmedSubscription, SubscriptionArn: 'PendingConfirmation' }] } } }, []],
    ['a topic with no subscriptions', { topicSubscriptions: { [TOPIC]: { value: [] } } }, []],
    [
      'a filter on a log group no trail delivers to',
      { metricFilters: { [GROUP]: { value: [] }, 'some-app-logs': { value: [filter('{ $.eventSource = cloudtrail.amazonaws.com }', { logGroupName: 'some-app-logs' })] } } },
      [],
    ],
    [
      'two alarms: one broken, one that notifies',
      { metricAlarms: { value: [alarm({ AlarmName: 'old', ActionsEnabled: false }), alarm({ AlarmName: 'new' })] } },
      ALL,
    ],
    [
      'two filters, each catching part, both alarmed',
      {
        metricFilters: {
          [GROUP]: {
            value: [
              filter('{ $.eventName = Stop* }'),
              filter('{ $.eventName != Stop* && $.eventSource = cloudtrail.amazonaws.com }', { filterName: 'rest', metricTransformations: [{ metricName: 'Rest', metricNamespace: 'Security' }] }),
            ],
          },
        },
        metricAlarms: { value: [alarm(), alarm({ AlarmName: 'rest', MetricName: 'Rest' })] },
      },
      ALL,
    ],
  ])('%s', (_name, over, expected) => {
    expect(alarmedActions(inputs(over))).toEqual(expected);
  });

  it('says a trail without CloudWatch Logs delivery alarms nothing', () => {
    const facts = trailAlarmFacts(null, inputs()).value!;
    expect(facts.logGroupName).toBeNull();
    expect(facts.alarmed.every((a) => a.alarmed.value === false)).toBe(true);
  });

  it('is unknown, with the failed call, when the filters could not be read', () => {
    const denied = { error: { operation: 'logs:DescribeMetricFilters', code: 'AccessDeniedException', message: 'not authorized', accountId: '111122223333', region: 'us-east-1' } };
    expect(trailAlarmFacts(GROUP_ARN, inputs({ metricFilters: { [GROUP]: denied } })).reason).toBe(
      'logs:DescribeMetricFilters (111122223333/us-east-1) failed: AccessDeniedException: not authorized',
    );
    expect(trailAlarmFacts(GROUP_ARN, inputs({ metricFilters: {} })).reason).toBe(`logs:DescribeMetricFilters for ${GROUP} was not read`);
    expect(trailAlarmFacts(GROUP_ARN, {}).reason).toBe(`region us-east-1 of log group ${GROUP} was not read`);
  });

  it('is unknown per action where the subscriptions or alarms could not be read, and false where no filter catches the action anyway', () => {
    const regions = inputs({
      metricFilters: { [GROUP]: { value: [filter('{ $.eventName = StopLogging }')] } },
      topicSubscriptions: { [TOPIC]: { error: { operation: 'sns:ListSubscriptionsByTopic', code: 'ThrottlingException', message: 'Rate exceeded' } } },
    });
    const alarmed = trailAlarmFacts(GROUP_ARN, regions).value!.alarmed;
    expect(alarmed.find((a) => a.action === 'StopLogging')!.alarmed.reason).toBe('sns:ListSubscriptionsByTopic failed: ThrottlingException: Rate exceeded');
    expect(alarmed.find((a) => a.action === 'DeleteTrail')!.alarmed).toEqual({ value: false });
  });

  it('is unknown for a pattern it cannot read, quoting it', () => {
    const alarmed = trailAlarmFacts(GROUP_ARN, inputs({ metricFilters: { [GROUP]: { value: [filter('?StopLogging ?DeleteTrail')] } } })).value!.alarmed;
    expect(alarmed[0]!.alarmed.reason).toContain('"?StopLogging ?DeleteTrail" is not a JSON filter pattern');
  });

  it('does not judge metric-math alarms or dimensioned metrics', () => {
    const math = inputs({ metricAlarms: { value: [{ AlarmName: 'math', Metrics: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Security', MetricName: 'TrailChanges' } } }], AlarmActions: [TOPIC] }] } });
    expect(trailAlarmFacts(GROUP_ARN, math).value!.alarmed[0]!.alarmed.reason).toBe('alarm math watches Security/TrailChanges through metric math, which is not judged');
    const dimensioned = inputs({
      metricFilters: { [GROUP]: { value: [filter('{ $.eventSource = cloudtrail.amazonaws.com }', { metricTransformations: [{ metricName: 'TrailChanges', metricNamespace: 'Security', dimensions: { Caller: '$.userIdentity.arn' } }] })] } },
    });
    expect(trailAlarmFacts(GROUP_ARN, dimensioned).value!.alarmed[0]!.alarmed.reason).toContain('published with dimensions (Caller)');
  });
});

describe('parseLogGroupArn', () => {
  it.each([
    [GROUP_ARN, { region: 'us-east-1', name: GROUP }],
    ['arn:aws:logs:eu-west-1:111122223333:log-group:/org/cloudtrail', { region: 'eu-west-1', name: '/org/cloudtrail' }],
    ['arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:a#b.c:*', { region: 'us-gov-west-1', name: 'a#b.c' }],
    ['arn:aws:s3:::bucket', undefined],
  ])('%s', (arn, expected) => {
    expect(parseLogGroupArn(arn)).toEqual(expected);
  });
});
