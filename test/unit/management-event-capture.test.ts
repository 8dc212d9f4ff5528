/**
 * Which management events a trail records (classic, advanced or default selectors), and what the
 * account's logging multi-region trails record together — unknown, never "not recorded", when a
 * trail that could settle it was not read.
 */
import { describe, expect, it } from 'vitest';
import { combinedManagementCoverage, managementCapture } from '../../src/model/management-events.ts';
import type { TrailFacts, TrailManagementEventsFacts } from '../../src/model/facts.ts';
import type { AdvancedEventSelector, TrailEventSelectors } from '../../src/snapshot/types.ts';
import { absent } from '../fixtures/snapshot-builder.ts';

const read = (selectors: TrailEventSelectors) => managementCapture({ value: selectors });
const management = (...more: AdvancedEventSelector['FieldSelectors']): AdvancedEventSelector => ({ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, ...more] });

describe('the kind of selectors a trail has', () => {
  it('advanced when it has advanced selectors, classic when it has classic ones, default otherwise (empty lists count as none)', () => {
    expect(read({ AdvancedEventSelectors: [management()], EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }).value?.kind).toBe('advanced');
    expect(read({ AdvancedEventSelectors: [], EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }).value).toEqual({ kind: 'classic', capture: { read: false, write: true, excludedSources: [] } });
    expect(read({ AdvancedEventSelectors: [], EventSelectors: [] }).value).toEqual({ kind: 'default', capture: { read: true, write: true, excludedSources: [] } });
    // An answer recorded as "nothing there" (value null) is no custom selector either.
    expect(managementCapture(absent('NoEventSelectors')).value).toEqual({ kind: 'default', capture: { read: true, write: true, excludedSources: [] } });
  });

  it('is unknown with the failed call, or when GetEventSelectors was not read', () => {
    expect(managementCapture({ error: { operation: 'cloudtrail:GetEventSelectors', code: 'TrailNotFoundException', message: 'gone', accountId: '222222222222' } })).toEqual({
      reason: 'cloudtrail:GetEventSelectors (222222222222) failed: TrailNotFoundException: gone',
    });
    expect(managementCapture(undefined)).toEqual({ reason: 'cloudtrail:GetEventSelectors was not read' });
  });
});

describe('classic selectors', () => {
  it('a selector without ReadWriteType or IncludeManagementEvents records all management events', () => {
    expect(read({ EventSelectors: [{}] }).value?.capture).toEqual({ read: true, write: true, excludedSources: [] });
  });

  it('a source is lost only when every capturing selector excludes it; the list is sorted and without repeats', () => {
    const capture = read({
      EventSelectors: [
        { ReadWriteType: 'All', ExcludeManagementEventSources: ['rdsdata.amazonaws.com', 'kms.amazonaws.com', 'kms.amazonaws.com'] },
        { ReadWriteType: 'ReadOnly', ExcludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com', 'iam.amazonaws.com'] },
        // Records no management event: its (absent) exclusions do not cancel the others'.
        { ReadWriteType: 'All', IncludeManagementEvents: false },
      ],
    }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] });
  });
});

describe('advanced selectors', () => {
  it('a source named by StartsWith, NotStartsWith or Equals that is not recorded is excluded; one that is recorded is not', () => {
    const capture = read({
      AdvancedEventSelectors: [management({ Field: 'eventSource', NotStartsWith: ['kms.'], NotEquals: ['sts.amazonaws.com'] }), management({ Field: 'eventSource', Equals: ['sts.amazonaws.com'] })],
    }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: ['kms.'] });
  });

  it('a source recorded for reads only is excluded from a trail that records writes', () => {
    const capture = read({
      AdvancedEventSelectors: [
        management({ Field: 'eventSource', NotEquals: ['s3.amazonaws.com'] }),
        management({ Field: 'eventSource', StartsWith: ['s3.'] }, { Field: 'readOnly', Equals: ['true'] }),
      ],
    }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: ['s3.amazonaws.com'] });
  });

  it('a read-only trail does not list a source whose writes it would not record anyway', () => {
    const capture = read({
      AdvancedEventSelectors: [management({ Field: 'readOnly', Equals: ['true'] }), management({ Field: 'eventSource', Equals: ['iam.amazonaws.com'] }, { Field: 'readOnly', Equals: ['false'] })],
    }).value?.capture;
    expect(capture).toEqual({ read: true, write: false, excludedSources: [] });
  });

  it('a write-only trail lists a source whose writes it drops', () => {
    const capture = read({
      AdvancedEventSelectors: [management({ Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] })],
    }).value?.capture;
    expect(capture).toEqual({ read: false, write: true, excludedSources: ['kms.amazonaws.com'] });
  });

  it('a source whose reads no selector records is excluded, even when its writes are recorded', () => {
    const capture = read({
      AdvancedEventSelectors: [management({ Field: 'eventSource', NotEquals: ['s3.amazonaws.com'] }), management({ Field: 'eventSource', Equals: ['s3.amazonaws.com'] }, { Field: 'readOnly', Equals: ['false'] })],
    }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: ['s3.amazonaws.com'] });
  });

  it('a write-only trail does not list a source whose writes a second selector records', () => {
    const capture = read({
      AdvancedEventSelectors: [
        management({ Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }),
        management({ Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }),
      ],
    }).value?.capture;
    expect(capture).toEqual({ read: false, write: true, excludedSources: [] });
  });

  it('excluded sources are sorted', () => {
    const capture = read({ AdvancedEventSelectors: [management({ Field: 'eventSource', NotEquals: ['rdsdata.amazonaws.com', 'kms.amazonaws.com'] })] }).value?.capture;
    expect(capture?.excludedSources).toEqual(['kms.amazonaws.com', 'rdsdata.amazonaws.com']);
  });

  it('values of other fields are not sources', () => {
    // 'Management' (an eventCategory value) starts with M: as a source it would not be recorded.
    const capture = read({ AdvancedEventSelectors: [management({ Field: 'eventSource', NotStartsWith: ['M'] })] }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: ['M'] });
  });

  it('fields other than eventSource name no source', () => {
    const capture = read({ AdvancedEventSelectors: [management({ Field: 'eventName', NotEquals: ['ConsoleLogin'] })] }).value?.capture;
    expect(capture).toEqual({ read: true, write: true, excludedSources: [] });
  });
});

describe('what the multi-region trails of an account record together', () => {
  const ALL: TrailManagementEventsFacts = { read: true, write: true, excludedSources: [] };
  const mr = (name: string, over: Partial<TrailFacts> = {}): TrailFacts =>
    ({ arn: `arn:aws:cloudtrail:us-east-1:111111111111:trail/${name}`, isMultiRegion: true, isLogging: true, managementEvents: ALL, ...over }) as TrailFacts;

  it('sources excluded by every contributing trail stay excluded; a trail recording nothing does not contribute', () => {
    const coverage = combinedManagementCoverage([
      mr('a', { managementEvents: { read: true, write: false, excludedSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] } }),
      mr('b', { managementEvents: { read: false, write: true, excludedSources: ['kms.amazonaws.com'] } }),
      mr('c', { managementEvents: { read: false, write: false, excludedSources: [] } }),
    ]);
    expect(coverage).toEqual({
      value: { read: true, write: true, readTrails: [mr('a').arn], writeTrails: [mr('b').arn], excludedSources: ['kms.amazonaws.com'] },
    });
  });

  it('a trail that is not logging, or single-region, does not count', () => {
    const coverage = combinedManagementCoverage([mr('stopped', { isLogging: false }), mr('single', { isMultiRegion: false })]);
    expect(coverage).toEqual({ value: { read: false, write: false, readTrails: [], writeTrails: [], excludedSources: [] } });
  });

  it('unknown when a multi-region trail whose status or selectors are unknown could complete it, with each reason', () => {
    const coverage = combinedManagementCoverage([
      mr('writes', { managementEvents: { read: false, write: true, excludedSources: [] } }),
      mr('status', { isLogging: undefined, unknown: { isLogging: 'cloudtrail:GetTrailStatus failed: AccessDenied' } }),
      mr('selectors', { managementEvents: undefined, unknown: { managementEvents: 'cloudtrail:GetEventSelectors was not read' } }),
      mr('bare', { isLogging: undefined }),
      mr('stopped-unknown-selectors', { isLogging: false, managementEvents: undefined }),
    ]);
    expect(coverage).toEqual({
      reason:
        'management event coverage depends on trails that could not be read: ' +
        `${mr('status').arn}: cloudtrail:GetTrailStatus failed: AccessDenied; ${mr('selectors').arn}: cloudtrail:GetEventSelectors was not read; ${mr('bare').arn}: status unknown`,
    });
  });

  it('an undecided trail does not matter once read, write and every source are recorded', () => {
    expect(combinedManagementCoverage([mr('all'), mr('unknown', { isLogging: undefined })]).value?.readTrails).toEqual([mr('all').arn]);
  });

  it('an excluded source keeps the question open for an undecided trail', () => {
    const coverage = combinedManagementCoverage([mr('all', { managementEvents: { ...ALL, excludedSources: ['kms.amazonaws.com'] } }), mr('unknown', { isLogging: undefined })]);
    expect(coverage.reason).toMatch(/^management event coverage depends on trails that could not be read: /);
  });
});
