import { describe, expect, it } from 'vitest';
import { fieldSelectorAccepts, FRESH, selectorAccepts, witnessValues } from '../../src/model/advanced-selectors.ts';
import type { AdvancedFieldSelector } from '../../src/snapshot/types.ts';

/**
 * CloudTrail advanced event selectors (AdvancedFieldSelector in the CloudTrail API reference): the
 * values of one operator are OR-ed, the operators of one field selector AND-ed, and a field the
 * event lacks fails every positive operator but no negative one.
 */
const field = (over: Omit<AdvancedFieldSelector, 'Field'>): AdvancedFieldSelector => ({ Field: 'eventName', ...over });

describe('fieldSelectorAccepts', () => {
  it.each<[string, Omit<AdvancedFieldSelector, 'Field'>, string | undefined, boolean]>([
    ['Equals one of its values', { Equals: ['GetObject', 'PutObject'] }, 'PutObject', true],
    ['Equals none of its values', { Equals: ['GetObject'] }, 'GetObjectAcl', false],
    ['Equals with the field absent', { Equals: ['GetObject'] }, undefined, false],
    ['StartsWith one of its values', { StartsWith: ['Put', 'Get'] }, 'GetObject', true],
    ['StartsWith none', { StartsWith: ['Put'] }, 'GetObject', false],
    ['StartsWith with the field absent', { StartsWith: [''] }, undefined, false],
    ['EndsWith one of its values', { EndsWith: ['Acl', 'Object'] }, 'GetObject', true],
    ['EndsWith none', { EndsWith: ['Acl'] }, 'GetObject', false],
    ['EndsWith with the field absent', { EndsWith: [''] }, undefined, false],
    ['NotEquals another value', { NotEquals: ['GetObject'] }, 'PutObject', true],
    ['NotEquals one of its values', { NotEquals: ['PutObject', 'GetObject'] }, 'GetObject', false],
    ['NotEquals with the field absent', { NotEquals: ['GetObject'] }, undefined, true],
    ['NotStartsWith another prefix', { NotStartsWith: ['Put'] }, 'GetObject', true],
    ['NotStartsWith one of its prefixes', { NotStartsWith: ['Put', 'Get'] }, 'GetObject', false],
    ['NotStartsWith with the field absent', { NotStartsWith: ['Get'] }, undefined, true],
    ['NotEndsWith another suffix', { NotEndsWith: ['Acl'] }, 'GetObject', true],
    ['NotEndsWith one of its suffixes', { NotEndsWith: ['Acl', 'Object'] }, 'GetObject', false],
    ['NotEndsWith with the field absent', { NotEndsWith: ['Object'] }, undefined, true],
    ['no operator at all', {}, 'GetObject', true],
    ['two operators, both hold', { StartsWith: ['Get'], NotEndsWith: ['Acl'] }, 'GetObject', true],
    ['two operators, the second fails', { StartsWith: ['Get'], NotEndsWith: ['Acl'] }, 'GetObjectAcl', false],
    ['two operators, the first fails', { StartsWith: ['Put'], EndsWith: ['Object'] }, 'GetObject', false],
  ])('%s', (_name, operators, value, expected) => {
    expect(fieldSelectorAccepts(field(operators), value)).toBe(expected);
  });
});

describe('selectorAccepts', () => {
  const selector = { Name: 'named for people, never consulted', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'eventName', StartsWith: ['Get'] }] };
  it('needs every field selector to accept the event', () => {
    expect(selectorAccepts(selector, { eventCategory: 'Data', eventName: 'GetObject' })).toBe(true);
    expect(selectorAccepts(selector, { eventCategory: 'Management', eventName: 'GetObject' })).toBe(false);
    expect(selectorAccepts(selector, { eventCategory: 'Data', eventName: 'PutObject' })).toBe(false);
    expect(selectorAccepts(selector, { eventCategory: 'Data' })).toBe(false);
  });
});

describe('witnessValues: one value per case the selectors can tell apart', () => {
  const BASE = 'arn:aws:s3:::b/';

  it('with nothing said about the field, one value stands for all, plus absence when asked', () => {
    expect(witnessValues([], 'resources.ARN', BASE)).toEqual([`${BASE}${FRESH}`]);
    expect(witnessValues([{ FieldSelectors: [{ Field: 'eventName', Equals: ['x'] }] }], 'errorCode', '', true)).toEqual([FRESH, undefined]);
  });

  it('prefixes come from StartsWith and NotStartsWith values under the base, suffixes from EndsWith and NotEndsWith, each pair once, sorted', () => {
    const values = witnessValues(
      [
        { FieldSelectors: [{ Field: 'resources.ARN', StartsWith: [`${BASE}z/`, 'arn:aws:s3:::other/'], EndsWith: ['.csv'] }] },
        { FieldSelectors: [{ Field: 'resources.ARN', NotStartsWith: [`${BASE}a/`, `${BASE}z/`], NotEndsWith: ['.tmp'] }] },
      ],
      'resources.ARN',
      BASE,
    );
    expect(values).toEqual([
      `${BASE}${FRESH}`,
      `${BASE}${FRESH}.csv`,
      `${BASE}${FRESH}.tmp`,
      `${BASE}a/${FRESH}`,
      `${BASE}a/${FRESH}.csv`,
      `${BASE}a/${FRESH}.tmp`,
      `${BASE}z/${FRESH}`,
      `${BASE}z/${FRESH}.csv`,
      `${BASE}z/${FRESH}.tmp`,
    ]);
  });

  it('exact values come from Equals and NotEquals under the base (not the base itself), after the ranges, sorted', () => {
    const values = witnessValues(
      [{ FieldSelectors: [{ Field: 'resources.ARN', Equals: [`${BASE}y.csv`, BASE, 'arn:aws:s3:::other/x'] }, { Field: 'resources.ARN', NotEquals: [`${BASE}x.csv`, `${BASE}y.csv`] }] }],
      'resources.ARN',
      BASE,
    );
    expect(values).toEqual([`${BASE}${FRESH}`, `${BASE}x.csv`, `${BASE}y.csv`]);
  });

  it('reads only the field asked about', () => {
    const selectors = [{ FieldSelectors: [{ Field: 'eventName', StartsWith: ['Get'], EndsWith: ['Acl'], Equals: ['PutObject'] }] }];
    expect(witnessValues(selectors, 'errorCode', '')).toEqual([FRESH]);
    expect(witnessValues(selectors, 'eventName', '')).toEqual([FRESH, `${FRESH}Acl`, `Get${FRESH}`, `Get${FRESH}Acl`, 'PutObject']);
  });
});
