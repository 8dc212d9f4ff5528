import { describe, expect, it } from 'vitest';
import { trailChangeAlarms } from '../../src/model/change-alarm-facts.ts';
import type { AccountRecord, DetectiveRegionRecord, MetricAlarm, MetricFilter } from '../../src/snapshot/types.ts';

/**
 * trail.changeAlarms as rules read it: per action, alarmed or not, through which chain, and in
 * words the first broken link (change-alarm-facts.ts over trail-change-alarms.ts).
 */
const ACCOUNT = '111111111111';
const GROUP = 'trail-logs';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;
const OTHER_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:pager`;
const STOP = '{ $.eventName = StopLogging }';

const filter = (name: string, pattern: string, metric = 'TrailChanges'): MetricFilter => ({ filterName: name, logGroupName: GROUP, filterPattern: pattern, metricTransformations: [{ metricName: metric, metricNamespace: 'Security' }] });
const alarm = (name: string, over: Partial<MetricAlarm> = {}): MetricAlarm => ({ AlarmName: name, Namespace: 'Security', MetricName: 'TrailChanges', ActionsEnabled: true, AlarmActions: [TOPIC], ...over });
const confirmed = (topic: string) => ({ value: [{ SubscriptionArn: `${topic}:1`, Protocol: 'email' }] });

function record(detective: DetectiveRegionRecord | undefined): AccountRecord {
  return { accountId: ACCOUNT, regions: [{ region: 'us-east-1', trails: { value: [] }, ...(detective ? { detective } : {}) }], trailDetails: {} };
}

function alarms(detective: DetectiveRegionRecord, actions: Parameters<typeof trailChangeAlarms>[2] = ['StopLogging']) {
  const facts = trailChangeAlarms(record(detective), GROUP_ARN, actions);
  if (facts.reason !== undefined) throw new Error(facts.reason);
  return facts.value;
}

const chain = (over: Partial<DetectiveRegionRecord> = {}): DetectiveRegionRecord => ({
  metricFilters: { [GROUP]: { value: [filter('stops', STOP)] } },
  metricAlarms: { value: [alarm('stops')] },
  topicSubscriptions: { [TOPIC]: confirmed(TOPIC) },
  ...over,
});

describe('why an action is not alarmed', () => {
  it('no metric filter on the log group', () => {
    const facts = alarms(chain({ metricFilters: { [GROUP]: { value: [] } } }));
    expect(facts.logGroup).toBe(GROUP);
    expect(facts.actions['StopLogging']).toEqual({ action: 'StopLogging', alarmed: false, via: [], reason: `log group ${GROUP} has no metric filter` });
  });

  it('a filter that matches only some callers names the callers it misses', () => {
    const facts = alarms(chain({ metricFilters: { [GROUP]: { value: [filter('users', '{ ($.eventName = StopLogging) && ($.userIdentity.type = IAMUser) }')] } } }));
    expect(facts.actions['StopLogging']?.reason).toBe(`no metric filter on ${GROUP} matches StopLogging for every caller (missed: assumed-role-cli, root-console)`);
  });

  it('a filter that matches no caller at all gives no caller list', () => {
    const facts = alarms(chain({ metricFilters: { [GROUP]: { value: [filter('deletes', '{ $.eventName = DeleteTrail }')] } } }));
    expect(facts.actions['StopLogging']?.reason).toBe(`no metric filter on ${GROUP} matches StopLogging`);
    expect(facts.filters).toEqual([{ name: 'deletes', pattern: '{ $.eventName = DeleteTrail }', catches: [], undecided: [], metrics: ['Security/TrailChanges'], alarms: [{ alarmName: 'stops', metric: 'Security/TrailChanges', actionsEnabled: true, snsTopics: [TOPIC], confirmedSubscriptions: 1, notifies: true }] }]);
  });

  it('a filter that cannot be judged says so, with the reason', () => {
    const facts = alarms(chain({ metricFilters: { [GROUP]: { value: [filter('odd', '{ $.eventName = StopLogging && }')] } } }));
    expect(facts.actions['StopLogging']?.alarmed).toBeUndefined();
    expect(facts.actions['StopLogging']?.reason).toMatch(new RegExp(`^no metric filter on ${GROUP} is known to match StopLogging: .+`));
    expect(facts.filters[0]?.undecided).toEqual([expect.stringMatching(/^StopLogging: .+/)]);
  });

  it('the filter\'s metric has no alarm', () => {
    const facts = alarms(chain({ metricAlarms: { value: [alarm('elsewhere', { MetricName: 'Other' })] } }));
    expect(facts.actions['StopLogging']?.reason).toBe('filter stops matches it, but Security/TrailChanges has no alarm');
    expect(facts.filters[0]?.alarms).toEqual([]);
  });

  it('the alarms could not be read', () => {
    const facts = alarms(chain({ metricAlarms: { error: { operation: 'cloudwatch:DescribeAlarms', code: 'AccessDenied', message: 'no' } } }));
    expect(facts.actions['StopLogging']?.reason).toBe('filter stops matches it, but Security/TrailChanges: cloudwatch:DescribeAlarms failed: AccessDenied: no');
  });

  it('the alarm has its actions disabled', () => {
    const facts = alarms(chain({ metricAlarms: { value: [alarm('stops', { ActionsEnabled: false })] } }));
    expect(facts.actions['StopLogging']).toMatchObject({ alarmed: false, via: [], reason: 'filter stops matches it, but Security/TrailChanges → alarm stops has its actions disabled' });
    expect(facts.filters[0]?.alarms).toEqual([{ alarmName: 'stops', metric: 'Security/TrailChanges', actionsEnabled: false, snsTopics: [TOPIC], confirmedSubscriptions: 1, notifies: false }]);
  });

  it('the alarm notifies no SNS topic (an Auto Scaling action notifies no one)', () => {
    const facts = alarms(chain({ metricAlarms: { value: [alarm('stops', { AlarmActions: ['arn:aws:autoscaling:us-east-1:111111111111:scalingPolicy:x'] })] } }));
    expect(facts.actions['StopLogging']?.reason).toBe('filter stops matches it, but Security/TrailChanges → alarm stops notifies no SNS topic');
  });

  it('the topic\'s subscriptions are unknown', () => {
    const facts = alarms(chain({ topicSubscriptions: {} }));
    expect(facts.actions['StopLogging']).toMatchObject({
      via: [],
      unknown: { alarmed: `sns:ListSubscriptionsByTopic for ${TOPIC} was not read` },
      reason: `filter stops matches it, but Security/TrailChanges → alarm stops notifies ${TOPIC}, whose subscriptions are unknown: sns:ListSubscriptionsByTopic for ${TOPIC} was not read`,
    });
    expect(facts.filters[0]?.alarms?.[0]).toEqual({ alarmName: 'stops', metric: 'Security/TrailChanges', actionsEnabled: true, snsTopics: [TOPIC], unknown: { confirmedSubscriptions: `sns:ListSubscriptionsByTopic for ${TOPIC} was not read`, notifies: `sns:ListSubscriptionsByTopic for ${TOPIC} was not read` } });
  });

  it('one topic without a confirmed subscription "has" none; two "have" none', () => {
    const one = alarms(chain({ topicSubscriptions: { [TOPIC]: { value: [{ SubscriptionArn: 'PendingConfirmation', Protocol: 'email' }] } } }));
    expect(one.actions['StopLogging']?.reason).toBe(`filter stops matches it, but Security/TrailChanges → alarm stops notifies ${TOPIC}, which has no confirmed subscription`);
    const two = alarms(chain({ metricAlarms: { value: [alarm('stops', { AlarmActions: [TOPIC, OTHER_TOPIC] })] }, topicSubscriptions: { [TOPIC]: { value: [] }, [OTHER_TOPIC]: { value: null, absent: 'NotFound' } } }));
    expect(two.actions['StopLogging']?.reason).toBe(`filter stops matches it, but Security/TrailChanges → alarm stops notifies ${TOPIC}, ${OTHER_TOPIC}, which have no confirmed subscription`);
    expect(two.filters[0]?.alarms?.[0]).toMatchObject({ snsTopics: [TOPIC, OTHER_TOPIC], confirmedSubscriptions: 0, notifies: false });
  });

  it('every broken link of every catching filter is listed', () => {
    const facts = alarms(
      chain({
        metricFilters: { [GROUP]: { value: [filter('a', STOP, 'A'), filter('b', STOP, 'B')] } },
        metricAlarms: { value: [alarm('on-a', { MetricName: 'A', ActionsEnabled: false })] },
      }),
    );
    expect(facts.actions['StopLogging']?.reason).toBe('filter a matches it, but Security/A → alarm on-a has its actions disabled; filter b matches it, but Security/B has no alarm');
  });
});

describe('how an alarmed action is shown', () => {
  it('names each chain that alarms, with only the topics that have a confirmed subscription', () => {
    const facts = alarms(
      chain({
        metricFilters: { [GROUP]: { value: [filter('stops', STOP), filter('everything', '{ $.eventSource = cloudtrail.amazonaws.com }', 'All')] } },
        metricAlarms: { value: [alarm('stops', { AlarmActions: [TOPIC, OTHER_TOPIC] }), alarm('all', { MetricName: 'All' }), alarm('muted', { MetricName: 'All', ActionsEnabled: false })] },
        topicSubscriptions: { [TOPIC]: confirmed(TOPIC), [OTHER_TOPIC]: { value: [] } },
      }),
      ['StopLogging', 'DeleteTrail'],
    );
    expect(facts.actions['StopLogging']).toEqual({
      action: 'StopLogging',
      alarmed: true,
      via: [`stops → Security/TrailChanges → stops → ${TOPIC}`, `everything → Security/All → all → ${TOPIC}`],
      reason: `alarmed via stops → Security/TrailChanges → stops → ${TOPIC}`,
    });
    expect(facts.actions['DeleteTrail']).toEqual({ action: 'DeleteTrail', alarmed: true, via: [`everything → Security/All → all → ${TOPIC}`], reason: `alarmed via everything → Security/All → all → ${TOPIC}` });
    expect(facts.filters.map((f) => [f.name, f.catches, f.metrics])).toEqual([
      ['stops', ['StopLogging'], ['Security/TrailChanges']],
      ['everything', ['StopLogging', 'DeleteTrail'], ['Security/All']],
    ]);
    expect(facts.filters[0]?.alarms?.[0]).toMatchObject({ snsTopics: [TOPIC, OTHER_TOPIC], confirmedSubscriptions: 1, notifies: true });
  });

  it('counts confirmed subscriptions over all the alarm\'s topics', () => {
    const facts = alarms(chain({ metricAlarms: { value: [alarm('stops', { AlarmActions: [TOPIC, OTHER_TOPIC] })] }, topicSubscriptions: { [TOPIC]: confirmed(TOPIC), [OTHER_TOPIC]: { value: [{ SubscriptionArn: `${OTHER_TOPIC}:1`, Protocol: 'sms' }, { SubscriptionArn: `${OTHER_TOPIC}:2`, Protocol: 'email' }] } } }));
    expect(facts.filters[0]?.alarms?.[0]?.confirmedSubscriptions).toBe(3);
  });
});

describe('where the chain is read', () => {
  it('without CloudWatch Logs delivery nothing is alarmed, and no region is needed', () => {
    const facts = trailChangeAlarms(record(undefined), null, ['StopLogging']);
    expect(facts.value).toEqual({ logGroup: null, filters: [], actions: { StopLogging: { action: 'StopLogging', alarmed: false, via: [], reason: 'the trail does not deliver to CloudWatch Logs' } } });
  });

  it('the log group\'s region without a detective block is unknown, saying why', () => {
    const facts = trailChangeAlarms(record(undefined), GROUP_ARN, ['StopLogging']);
    expect(facts.reason).toMatch(/^the snapshot holds no detective-control data for account 111111111111 in us-east-1/);
  });

  it('a log group ARN that is not one is unknown, naming it', () => {
    expect(trailChangeAlarms(record(chain()), 'arn:aws:s3:::not-a-group', ['StopLogging']).reason).toBe("the trail's log group ARN arn:aws:s3:::not-a-group is not a CloudWatch Logs log-group ARN");
  });

  it('missing filters, alarms or subscriptions in the block are read as not read, not as none', () => {
    const facts = trailChangeAlarms(record({}), GROUP_ARN, ['StopLogging']);
    expect(facts.reason).toBe(`logs:DescribeMetricFilters for ${GROUP} was not read`);
    const noAlarms = alarms({ metricFilters: { [GROUP]: { value: [filter('stops', STOP)] } } });
    expect(noAlarms.filters[0]?.unknown).toEqual({ alarms: 'cloudwatch:DescribeAlarms was not read' });
    expect(noAlarms.filters[0]).not.toHaveProperty('alarms');
    const noSubscriptions = alarms({ metricFilters: { [GROUP]: { value: [filter('stops', STOP)] } }, metricAlarms: { value: [alarm('stops')] } });
    expect(noSubscriptions.actions['StopLogging']?.unknown).toEqual({ alarmed: `sns:ListSubscriptionsByTopic for ${TOPIC} was not read` });
  });
});
