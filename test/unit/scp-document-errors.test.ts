/**
 * An SCP document is read completely or not at all: every spelling AWS accepts gives one shape,
 * and anything else makes the policy unreadable with the exact place named (a half-read policy
 * could hide a Deny).
 */
import { describe, expect, it } from 'vitest';
import { parseScpContent } from '../../src/model/scp-policy.ts';

const parse = (doc: unknown) => parseScpContent(JSON.stringify(doc));
const reasonOf = (doc: unknown) => parse(doc).reason;

describe('SCP documents that cannot be read', () => {
  it.each([
    ['a document that is not an object', ['Statement'], 'the document must be a JSON object'],
    ['a null document', null, 'the document must be a JSON object'],
    ['a statement that is not an object', { Statement: [{ Effect: 'Allow', Action: '*' }, 'Deny everything'] }, 'Statement[1] must be an object'],
    ['a statement that is a list', { Statement: [[{ Effect: 'Deny' }]] }, 'Statement[0] must be an object'],
    ['an Effect other than Allow or Deny', { Statement: [{ Effect: 'deny', Action: '*' }] }, 'Statement[0].Effect must be "Allow" or "Deny"'],
    ['neither Action nor NotAction', { Statement: [{ Effect: 'Deny', Resource: '*' }] }, 'Statement[0] has neither Action nor NotAction'],
    ['both Resource and NotResource', { Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', NotResource: 'arn:aws:s3:::b' }] }, 'Statement[0] has both Resource and NotResource'],
    ['a NotAction list with a number', { Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 7] }] }, 'Statement[0].NotAction must be a string or a list of strings'],
    ['a Resource of the wrong type', { Statement: [{ Effect: 'Deny', Action: '*', Resource: { arn: '*' } }] }, 'Statement[0].Resource must be a string or a list of strings'],
    ['a NotResource of the wrong type', { Statement: [{ Effect: 'Deny', Action: '*', NotResource: 3 }] }, 'Statement[0].NotResource must be a string or a list of strings'],
    ['a Condition that is a list', { Statement: [{ Effect: 'Deny', Action: '*', Condition: [] }] }, 'Statement[0].Condition must be an object'],
    ['a Condition that is null', { Statement: [{ Effect: 'Deny', Action: '*', Condition: null }] }, 'Statement[0].Condition must be an object'],
    ['an operator block that is a string', { Statement: [{ Effect: 'Deny', Action: '*', Condition: { StringEquals: 'x' } }] }, 'Statement[0].Condition.StringEquals must be an object'],
    ['an operator block that is a list', { Statement: [{ Effect: 'Deny', Action: '*', Condition: { StringEquals: ['x'] } }] }, 'Statement[0].Condition.StringEquals must be an object'],
    [
      'a condition value that is an object',
      { Statement: [{ Effect: 'Deny', Action: '*', Condition: { StringEquals: { 'aws:PrincipalTag/Team': [{ x: 1 }] } } }] },
      'Statement[0].Condition.StringEquals.aws:PrincipalTag/Team has a value that is not a string, number or boolean',
    ],
    ['a condition value that is null', { Statement: [{ Effect: 'Deny', Action: '*', Condition: { Null: { 'aws:x': null } } }] }, 'Statement[0].Condition.Null.aws:x has a value that is not a string, number or boolean'],
  ])('%s', (_name, doc, message) => {
    expect(parse(doc)).toEqual({ reason: `policy content cannot be read: ${message}` });
  });

  it('content that is not JSON names the parser error', () => {
    const r = parseScpContent('{"Statement": [');
    expect(r.value).toBeUndefined();
    expect(r.reason).toMatch(/^policy content is not valid JSON: \S/);
  });

  it('a document without Statement is unreadable', () => {
    expect(reasonOf({ Version: '2012-10-17' })).toBe('policy content cannot be read: the document has no Statement');
  });
});

describe('SCP documents in every accepted spelling', () => {
  it('a Sid names the statement; an empty or non-string Sid counts as none (1-based position)', () => {
    const statements = parse({
      Statement: [
        { Sid: 'NoStop', Effect: 'Deny', Action: 'cloudtrail:StopLogging' },
        { Sid: '', Effect: 'Deny', Action: 'cloudtrail:DeleteTrail' },
        { Sid: 7, Effect: 'Allow', Action: ['*'] },
      ],
    }).value!;
    expect(statements.map((s) => s.ref)).toEqual(['NoStop', '#2', '#3']);
  });

  it('NotAction and NotResource are negated; Action lists and Resource strings kept as written', () => {
    const [s] = parse({ Statement: [{ Effect: 'Deny', NotAction: ['iam:*', 's3:*'], NotResource: 'arn:aws:s3:::logs' }] }).value!;
    expect(s).toEqual({
      ref: '#1',
      effect: 'Deny',
      actions: { negated: true, patterns: ['iam:*', 's3:*'] },
      resources: { negated: true, patterns: ['arn:aws:s3:::logs'] },
      conditions: [],
    });
    const [r] = parse({ Statement: [{ Effect: 'Allow', Action: '*', Resource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] }] }).value!;
    expect(r!.resources).toEqual({ negated: false, patterns: ['arn:aws:s3:::a', 'arn:aws:s3:::b'] });
  });

  it('condition values: lists, numbers and booleans as strings; every operator and key kept', () => {
    const [s] = parse({
      Statement: [
        {
          Effect: 'Deny',
          Action: '*',
          Condition: { NumericLessThan: { 'aws:MultiFactorAuthAge': 3600, 'aws:other': [1, true, 'x'] }, ArnNotLike: { 'aws:PrincipalArn': ['arn:a', 'arn:b'] } },
        },
      ],
    }).value!;
    expect(s!.conditions).toEqual([
      { operator: 'NumericLessThan', key: 'aws:MultiFactorAuthAge', values: ['3600'] },
      { operator: 'NumericLessThan', key: 'aws:other', values: ['1', 'true', 'x'] },
      { operator: 'ArnNotLike', key: 'aws:PrincipalArn', values: ['arn:a', 'arn:b'] },
    ]);
  });
});
