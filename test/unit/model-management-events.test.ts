import { describe, expect, it } from 'vitest';
import { managementCapture } from '../../src/model/management-events.ts';
import type { Fetched, TrailEventSelectors } from '../../src/snapshot/types.ts';

const capture = (selectors: TrailEventSelectors) => managementCapture({ value: selectors } as Fetched<TrailEventSelectors>).value?.capture;

describe('management events one trail records', () => {
  it.each([
    ['no custom selectors: all, read and write', {}, { read: true, write: true, excludedSources: [] }],
    ['classic All', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, { read: true, write: true, excludedSources: [] }],
    ['classic WriteOnly', { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }, { read: false, write: true, excludedSources: [] }],
    ['classic ReadOnly', { EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] }, { read: true, write: false, excludedSources: [] }],
    ['classic data events only', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] }, { read: false, write: false, excludedSources: [] }],
    ['classic excluding KMS', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }, { read: true, write: true, excludedSources: ['kms.amazonaws.com'] }],
    [
      'classic: a second selector that keeps KMS events cancels the exclusion',
      { EventSelectors: [
        { ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] },
        { ReadWriteType: 'All', IncludeManagementEvents: true },
      ] },
      { read: true, write: true, excludedSources: [] },
    ],
    ['advanced management, no readOnly filter', { AdvancedEventSelectors: [{ Name: 'x', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }, { read: true, write: true, excludedSources: [] }],
    [
      'advanced misleading Name: data only',
      { AdvancedEventSelectors: [{ Name: 'Log all management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }] },
      { read: false, write: false, excludedSources: [] },
    ],
    ['advanced write only', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }] }, { read: false, write: true, excludedSources: [] }],
    [
      'advanced excluding KMS and RDS Data',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] }] },
      { read: true, write: true, excludedSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
    ],
    [
      'advanced: only one source recorded is not all management events',
      { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', Equals: ['iam.amazonaws.com'] }] }] },
      { read: false, write: false, excludedSources: [] },
    ],
  ] as const)('%s', (_name, selectors, expected) => {
    expect(capture(selectors as TrailEventSelectors)).toEqual(expected);
  });

  it('is unknown when GetEventSelectors failed or was not read', () => {
    expect(managementCapture({ error: { operation: 'cloudtrail:GetEventSelectors', code: 'AccessDeniedException', message: 'no' } }).reason).toContain('AccessDeniedException');
    expect(managementCapture(undefined).reason).toContain('not read');
  });
});
