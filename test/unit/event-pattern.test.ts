/**
 * The EventBridge event-pattern matcher, table-driven. Where the EventBridge user guide ("Event
 * patterns", "Content filtering", "Matching null values and empty strings", the comparison
 * operators table) shows a pattern with an event it matches or does not, the row asserts that;
 * rows marked "ours" cover the rest of each operator.
 */
import { describe, expect, it } from 'vitest';
import { matchEventPattern } from '../../src/model/event-pattern.ts';
import type { JsonObject, JsonValue } from '../../src/model/tamper-events.ts';

type Row = [pattern: JsonObject, expected: boolean];

function table(event: JsonValue, rows: Row[]) {
  it.each(rows)('%j → %s', (pattern, expected) => {
    expect(matchEventPattern(pattern, event)).toEqual({ value: expected });
    // The same result from the pattern as ListRules returns it (a JSON string).
    expect(matchEventPattern(JSON.stringify(pattern), event)).toEqual({ value: expected });
  });
}

describe('AWS docs: the EC2 state-change example (exact values, nested objects)', () => {
  const event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };
  table(event, [
    [{ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, true],
    // ours
    [{ source: ['aws.ec2'], detail: { state: ['running'] } }, false],
    [{ source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } }, true],
    [{ source: ['AWS.EC2'] }, false],
    [{ detail: { 'instance-id': ['i-1234567890abcdef0'], missing: ['x'] } }, false],
    [{ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'] }, true],
    [{ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-other'] }, false],
    [{ detail: { state: { deeper: ['terminated'] } } }, false],
  ]);
});

describe('AWS docs: matching null values and empty strings', () => {
  const event = {
    version: '0',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };
  table(event, [
    [{ detail: { eventVersion: [''] } }, true],
    [{ detail: { responseElements: [null] } }, true],
    // "null values and empty strings are not interchangeable"
    [{ detail: { responseElements: [''] } }, false],
    [{ detail: { eventVersion: [null] } }, false],
    // ours: null is a value; an absent field is not null
    [{ detail: { responseElements: [{ exists: true }] } }, true],
    [{ detail: { absent: [null] } }, false],
  ]);
});

describe('AWS docs: prefix and suffix, also ignoring case', () => {
  table({ time: '2017-10-02T18:43:48Z', FileName: 'image.PNG', detail: { service: 'EventBridge', FileName: 'photo.png' } }, [
    [{ time: [{ prefix: '2017-10-02' }] }, true],
    [{ time: [{ prefix: '2017-10-03' }] }, false],
    [{ detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, true],
    [{ detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } }, true],
    [{ detail: { service: [{ prefix: 'eventb' }] } }, false],
    [{ detail: { FileName: [{ suffix: '.png' }] } }, true],
    [{ FileName: [{ suffix: '.png' }] }, false],
    [{ FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] }, true],
    // ours: a prefix on an absent field or a number does not match
    [{ detail: { absent: [{ prefix: '' }] } }, false],
  ]);
  table({ count: 20171002 }, [[{ count: [{ prefix: '2017' }] }, false]]);
});

describe('AWS docs: anything-but (value, list, prefix, suffix, ignore case, wildcard)', () => {
  const rows = (state: JsonValue, xLimit: JsonValue): JsonObject => ({ detail: { state, 'x-limit': xLimit, FileName: 'lib/a.png', FilePath: '/usr/lib/x.so' } });
  table(rows('initializing', 123), [
    [{ detail: { state: [{ 'anything-but': 'initializing' }] } }, false],
    [{ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, false],
    [{ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, false],
    [{ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'INITIALIZING' } }] } }, false],
  ]);
  table(rows('running', 300), [
    [{ detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
    [{ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, true],
    [{ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, false],
    [{ detail: { 'x-limit': [{ 'anything-but': [100, 200] }] } }, true],
    [{ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
    [{ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, false],
    [{ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, true],
    [{ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['STOPPED', 'RUNNING'] } }] } }, false],
    [{ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, false],
    [{ detail: { FilePath: [{ 'anything-but': { wildcard: ['*/bin/*', '*.exe'] } }] } }, true],
    // ours: anything-but needs the field to be there
    [{ detail: { absent: [{ 'anything-but': 'initializing' }] } }, false],
  ]);
  table(rows('stopped', 200), [[{ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, false]]);
});

describe('AWS docs: numeric matching', () => {
  const pattern = { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } };
  table({ detail: { 'c-count': 3, 'd-count': 5, 'x-limit': 301.8 } }, [[pattern, true]]);
  // ours: each bound on its own
  table({ detail: { 'c-count': 0, 'd-count': 5, 'x-limit': 301.8 } }, [[pattern, false]]);
  table({ detail: { 'c-count': 5, 'd-count': 10, 'x-limit': 301.8 } }, [[pattern, false]]);
  table({ detail: { 'c-count': 5, 'd-count': 9, 'x-limit': 301.9 } }, [[pattern, false]]);
  table({ detail: { 'c-count': '3', 'd-count': 5, 'x-limit': 301.8 } }, [[pattern, false]]);
  table({ detail: { n: 5 } }, [
    [{ detail: { n: [{ numeric: ['>=', 5] }] } }, true],
    [{ detail: { n: [{ numeric: ['>=', 5.000001] }] } }, false],
    [{ detail: { n: [5.0] } }, true],
    [{ detail: { n: ['5'] } }, false],
  ]);
});

describe('AWS docs: IP address matching (cidr)', () => {
  table({ detail: { sourceIPAddress: '10.0.0.123' } }, [
    [{ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, true],
    [{ detail: { sourceIPAddress: [{ cidr: '10.0.1.0/24' }] } }, false],
    [{ detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } }, false],
  ]);
  table({ detail: { sourceIPAddress: '2001:db8:1234::7' } }, [
    [{ detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } }, true],
    [{ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] } }, false],
  ]);
  table({ detail: { sourceIPAddress: 'cloudtrail.amazonaws.com' } }, [[{ detail: { sourceIPAddress: [{ cidr: '0.0.0.0/0' }] } }, false]]);
});

describe('AWS docs: exists matching works on leaves only', () => {
  const pattern = { detail: { 'c-count': [{ exists: false }] } };
  table({ 'detail-type': 'EC2 Instance State-change Notification', detail: { state: ['initializing', 'running'] } }, [
    [pattern, true],
    [{ detail: { state: [{ exists: true }] } }, true],
  ]);
  table({ detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } }, [
    [pattern, true],
    // ours
    [{ detail: { 'c-count': [{ exists: true }] } }, false],
  ]);
  table({ detail: { 'c-count': 4 } }, [
    [pattern, false],
    [{ detail: { 'c-count': [{ exists: true }] } }, true],
    [{ nothing: { here: [{ exists: false }] } }, true],
  ]);
});

describe('AWS docs: equals-ignore-case and wildcard', () => {
  table({ 'detail-type': 'EC2 Instance State-change Notification', EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus', detail: { file: 'dir/*star' } }, [
    [{ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, true],
    [{ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state change notification' }] }, false],
    [{ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, true],
    [{ EventBusArn: [{ wildcard: 'arn:aws:events:us-west-2:*:event-bus/*' }] }, false],
    [{ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*' }] }, true],
    [{ EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:123456789012' }] }, false],
    // ours: escapes; `?` and `.` are literal
    [{ detail: { file: [{ wildcard: 'dir/\\*star' }] } }, true],
    [{ detail: { file: [{ wildcard: 'dir/\\*s*' }] } }, true],
    [{ detail: { file: [{ wildcard: 'dir/?star' }] } }, false],
    [{ detail: { file: [{ wildcard: 'dir.*' }] } }, false],
  ]);
});

describe('AWS docs: $or', () => {
  const pattern: JsonObject = {
    detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] },
  };
  table({ detail: { 'c-count': 99, 'd-count': 99, 'x-limit': 301.8 } }, [[pattern, true]]);
  table({ detail: { 'c-count': 99, 'd-count': 99, 'x-limit': 1 } }, [[pattern, false]]);
  const top: JsonObject = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] };
  table({ source: 'aws.cloudwatch', metricName: 'DiskReadOps', namespace: 'AWS/ES' }, [[top, true]]);
  table({ source: 'aws.cloudwatch', metricName: 'DiskReadOps', namespace: 'AWS/RDS' }, [[top, false]]);
  table({ source: 'aws.ec2', metricName: 'CPUUtilization' }, [[top, false]]);
});

describe('arrays in the event: a leaf matches when any element matches', () => {
  table({ detail: { tags: ['a', 'b'], items: [{ name: 'x', size: 1 }, { name: 'y', size: 2 }], empty: [] } }, [
    [{ detail: { tags: ['b'] } }, true],
    [{ detail: { tags: ['c'] } }, false],
    [{ detail: { tags: [{ 'anything-but': 'a' }] } }, true],
    [{ detail: { tags: [{ 'anything-but': ['a', 'b'] }] } }, false],
    [{ detail: { items: { name: ['y'] } } }, true],
    [{ detail: { items: { name: ['z'] } } }, false],
    [{ detail: { empty: [{ exists: false }] } }, true],
    [{ detail: { empty: { name: [{ exists: false }] } } }, true],
    [{ detail: { empty: { name: ['x'] } } }, false],
  ]);
});

describe('what the matcher does not know is unknown, quoting the pattern', () => {
  const event = { source: 'aws.cloudtrail', detail: { eventName: 'StopLogging' } };
  it.each([
    ['{"detail":{"eventName":[{"contains":"Logging"}]}}', 'uses the operator "contains", which this matcher does not know'],
    ['{"source":"aws.cloudtrail"}', '$.source is "aws.cloudtrail"; a leaf must be an array'],
    ['{"source":[]}', '$.source is an empty array'],
    ['{"source": ["aws.cloudtrail"]', 'is not JSON'],
    ['["aws.cloudtrail"]', 'is not a JSON object'],
    ['{"detail":{"eventName":[{"prefix":"Stop","suffix":"ing"}]}}', 'an operator object has exactly one key'],
    ['{"detail":{"eventName":[{"anything-but":{"numeric":[">",1]}}]}}', 'uses "numeric", which this matcher does not know inside anything-but'],
    ['{"detail":{"eventName":[{"anything-but":[]}]}}', 'needs a non-empty list'],
    ['{"detail":{"eventName":[{"wildcard":"Stop**"}]}}', 'consecutive wildcards'],
    ['{"detail":{"eventName":[{"wildcard":"Stop\\\\x"}]}}', 'only \\* and \\\\ are escapes'],
    ['{"detail":{"eventName":[{"numeric":["~",1]}]}}', 'expected =, <, <=, > or >='],
    ['{"detail":{"eventName":[{"cidr":"10.0.0.0/33"}]}}', 'is not an IPv4 or IPv6 CIDR block'],
    ['{"detail":{"eventName":[{"exists":"yes"}]}}', 'needs true or false'],
    ['{"$or":[]}', '$.$or must be a non-empty array of objects'],
    // A malformed operator is reported even where the event lacks the field, and even when another field already failed.
    ['{"source":["aws.s3"],"detail":{"absent":[{"prefix":5}]}}', '$.detail.absent prefix needs a string'],
  ])('%s', (pattern, reason) => {
    const result = matchEventPattern(pattern, event);
    expect(result.value).toBeUndefined();
    expect(result.reason).toContain(reason);
    expect(result.reason).toMatch(/^event pattern /);
  });
});
