/**
 * The CloudWatch Logs JSON filter-pattern evaluator, table-driven. Where the CloudWatch Logs user
 * guide ("Filter and pattern syntax", "Matching terms in JSON log events") shows an example and its
 * result, the row asserts that result; rows marked "ours" cover the rest of each operator.
 */
import { describe, expect, it } from 'vitest';
import { matchFilterPattern, parseFilterPattern } from '../../src/model/log-filter-pattern.ts';
import type { JsonValue } from '../../src/model/tamper-events.ts';

type Row = [pattern: string, expected: boolean];

function table(event: JsonValue, rows: Row[]) {
  it.each(rows)('%s → %s', (pattern, expected) => {
    expect(matchFilterPattern(pattern, event)).toEqual({ value: expected });
  });
}

describe('AWS docs: the JSON metric filter examples', () => {
  const event = {
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
  };
  describe('"The following filters would match"', () => {
    table(event, [
      ['{ $.eventType = "UpdateTrail" }', true],
      ['{ $.sourceIPAddress != 123.123.* }', true],
      ['{ $.arrayKey[0] = "value" }', true],
      ['{ $.objectList[1].id = 2 }', true],
      ['{ $.SomeObject IS NULL }', true],
      ['{ $.SomeOtherObject NOT EXISTS }', true],
      ['{ $.ThisFlag IS TRUE }', true],
    ]);
  });
  describe('ours: the same selectors made not to match', () => {
    table(event, [
      ['{ $.eventType = "DeleteTrail" }', false],
      ['{ $.eventType = updatetrail }', false],
      ['{ $.sourceIPAddress != 111.111.* }', false],
      ['{ $.sourceIPAddress = 111.111.* }', true],
      ['{ $.arrayKey[1] = "value" }', false],
      ['{ $.arrayKey[5] = "value" }', false],
      ['{ $.eventType[0] = "UpdateTrail" }', false],
      ['{ $.objectList[1].id = 1 }', false],
      ['{ $.objectList[0].name = "a" }', true],
      ['{ $.SomeObject NOT EXISTS }', false],
      ['{ $.ThisFlag IS FALSE }', false],
      ['{ $.ThisFlag IS NULL }', false],
      ['{ $.eventType IS NULL }', false],
      ['{ $.Missing IS NULL }', false],
      ['{ $.SomeObject = "null" }', false],
      ['{ $.SomeObject != "x" }', false],
    ]);
  });
});

describe('AWS docs: OR pattern matching in JSON filters', () => {
  const patterns = ['{$.foo = bar}', '{$.foo = baz }', '{$.foo = bar || $.foo = baz }'];
  it.each([
    [{ foo: 'bar' }, [true, false, true]],
    [{ foo: 'baz' }, [false, true, true]],
  ])('%j', (event, expected) => {
    expect(patterns.map((p) => matchFilterPattern(p, event).value)).toEqual(expected);
  });
});

describe('AWS docs: JSON compound conditions (() > && > ||)', () => {
  table(
    {
      user: { id: 1, email: 'John.Stiles@example.com' },
      users: [
        { id: 2, email: 'John.Doe@example.com' },
        { id: 3, email: 'Jane.Doe@example.com' },
      ],
      actions: ['GET', 'PUT', 'DELETE'],
      coordinates: [
        [0, 1, 2],
        [4, 5, 6],
        [7, 8, 9],
      ],
    },
    [
      ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
      ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
      ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
      ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
      // ours
      ['{ $.coordinates[2][0] = 7 && $.actions[1] = PUT }', true],
      ['{ (($.user.id = 1)) && ($.actions[0] = GET || $.actions[0] = POST) }', true],
    ],
  );
});

describe('AWS docs: a selector on an array or object matches neither = nor !=', () => {
  table({ users: [1, 2, 3], nested: { a: 1 } }, [
    ['{$.users = 1}', false],
    ['{$.users != 1}', false],
    ['{ $.nested != "x" }', false],
    ['{ $.absent != "x" }', false],
  ]);
});

describe('AWS docs: * wildcards at either end; an inner * is literal', () => {
  const names = ['PutEvent', 'GetEvent', 'EventId', 'EventName', 'Ev*ent', 'Event'];
  it.each([
    ['{ $.name = *Event }', ['PutEvent', 'GetEvent', 'Event']],
    ['{ $.name = Event* }', ['EventId', 'EventName', 'Event']],
    ['{ $.name = "Ev*ent" }', ['Ev*ent']],
    ['{ $.name = *vent* }', ['PutEvent', 'GetEvent', 'EventId', 'EventName', 'Event']],
    ['{ $.name = * }', names],
    ['{ $.name != *Event }', ['EventId', 'EventName', 'Ev*ent']],
  ])('%s matches %j', (pattern, expected) => {
    expect(names.filter((name) => matchFilterPattern(pattern, { name }).value)).toEqual(expected);
  });
});

describe('AWS docs: numeric comparisons (the documented patterns, over an event of ours)', () => {
  table({ latency: 1500, numbers: [0.005], processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }], errorCode: 400 }, [
    ['{ $.latency >= 500 }', true],
    ['{ $.numbers[0] < 10e3 }', true],
    ['{ $.numbers[0] < 10e-3 }', true],
    ['{ $.processes[4].averageRuntime <= 55.5 }', true],
    ['{ $.errorCode = 400 }', true],
    ['{ $.errorCode != 500 }', true],
    ['{ $.latency > +1000 }', true],
    // ours: the boundaries and the other side
    ['{ $.latency >= 1500 }', true],
    ['{ $.latency > 1500 }', false],
    ['{ $.latency < 1500 }', false],
    ['{ $.latency <= 1.5e3 }', true],
    ['{ $.numbers[0] < 5e-3 }', false],
    ['{ $.errorCode = 4.0e2 }', true],
    ['{ $.errorCode != 400 }', false],
    ['{ $.errorCode = 4* }', true],
    ['{ $.missing > 0 }', false],
    ['{ $.latency = * }', true],
  ]);
});

describe('ours: a numeric literal against a JSON string compares the text', () => {
  table({ recipientAccountId: '123456789012', eventName: 'UpdateTrail' }, [
    ['{ $.eventName = "UpdateTrail" && $.recipientAccountId = 123456789012 }', true],
    ['{ $.recipientAccountId = 210987654321 }', false],
    ['{ $.recipientAccountId != 210987654321 }', true],
  ]);
});

describe('the empty pattern', () => {
  it('matches every event (AWS docs: "The filter pattern "" matches all log events")', () => {
    expect(matchFilterPattern('', { anything: 1 })).toEqual({ value: true });
    expect(matchFilterPattern('   ', {})).toEqual({ value: true });
  });
});

describe('what the evaluator does not understand is unknown, quoting the pattern', () => {
  it.each([
    ['StopLogging', 'not a JSON filter pattern'],
    ['?StopLogging ?DeleteTrail', 'not a JSON filter pattern'],
    ['[ip, user, username, timestamp, request, status_code = 4*, bytes]', 'not a JSON filter pattern'],
    ['{ $.eventName = %Stop.*% }', 'regular-expression values (%Stop.*%) are not evaluated'],
    ['{ $.eventName = StopLogging ', 'expected "}"'],
    ['{ $.eventName = }', 'expected a value'],
    ['{ $.eventName == StopLogging }', 'the unquoted value "=" has characters that need double quotes'],
    ['{ eventName = StopLogging }', 'expected a selector starting with $'],
    ['{ $ = StopLogging }', 'the selector $ names no property'],
    ['{ $.a.["b.c"] = 1 }', 'selector step'],
    ['{ $.userIdentity.arn = arn:aws:iam::1:user/a@b }', 'has characters that need double quotes'],
    ['{ $.eventName = "StopLogging }', 'the quoted value is not closed'],
    ['{ $.latency > fast }', '> needs a number'],
    ['{ $.flag IS MAYBE }', 'expected TRUE, FALSE or NULL after IS'],
    ['{ $.flag NOT THERE }', 'expected EXISTS after NOT'],
    ['{ ($.eventName = StopLogging }', 'expected ")"'],
    ['{ $.eventName = StopLogging } extra', 'after the closing brace'],
  ])('%s', (pattern, reason) => {
    const result = matchFilterPattern(pattern, { eventName: 'StopLogging' });
    expect(result.value).toBeUndefined();
    expect(result.reason).toContain(JSON.stringify(pattern));
    expect(result.reason).toContain(reason);
  });

  it('says where in the pattern it stopped', () => {
    expect(parseFilterPattern('{ $.a = 1 && }').reason).toBe('filter pattern "{ $.a = 1 && }" is not understood: expected a selector starting with $ at character 14');
  });

  it('keeps an undocumented comparison unknown, unless && or || decides without it', () => {
    const record = { eventName: 'StopLogging', readOnly: false, eventVersion: '1.09' };
    expect(matchFilterPattern('{ $.readOnly = false }', record).reason).toContain('$.readOnly is a JSON boolean');
    expect(matchFilterPattern('{ $.eventVersion > 1 }', record).reason).toContain('$.eventVersion is a JSON string');
    expect(matchFilterPattern('{ $.eventName = StopLogging || $.readOnly = false }', record)).toEqual({ value: true });
    expect(matchFilterPattern('{ $.eventName = DeleteTrail && $.readOnly = false }', record)).toEqual({ value: false });
    expect(matchFilterPattern('{ $.eventName = DeleteTrail || $.readOnly = false }', record).value).toBeUndefined();
    expect(matchFilterPattern('{ $.eventName = StopLogging && $.readOnly = false }', record).value).toBeUndefined();
    expect(matchFilterPattern('{ $.readOnly IS FALSE }', record)).toEqual({ value: true });
  });
});
