import { describe, expect, it } from 'vitest';
import { ALL_CALLERS, cloudTrailRecord, eventBridgeEvent, isTamperAction, SUCCESSFUL_CALLERS, TAMPER_ACTIONS, tamperSamples } from '../../src/model/tamper-events.ts';

/**
 * The canonical tampering records field by field (CloudTrail record contents, event version 1.09)
 * and the "AWS API Call via CloudTrail" envelope: a metric filter or an EventBridge rule may test
 * any of these fields, so each one is pinned.
 */
const TRAIL = 'arn:aws:cloudtrail:us-east-1:111122223333:trail/organization-trail';

describe('a CloudTrail record of a tampering call', () => {
  it('has every field CloudTrail writes for a successful PutEventSelectors by an IAM user in the console', () => {
    expect(cloudTrailRecord('PutEventSelectors', 'iam-user-console')).toEqual({
      eventVersion: '1.09',
      userIdentity: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEUSERID',
        arn: 'arn:aws:iam::111122223333:user/mallory',
        accountId: '111122223333',
        accessKeyId: 'ASIAEXAMPLECONSOLE',
        userName: 'mallory',
        sessionContext: { attributes: { creationDate: '2026-03-02T13:50:02Z', mfaAuthenticated: 'true' } },
      },
      eventTime: '2026-03-02T14:05:11Z',
      eventSource: 'cloudtrail.amazonaws.com',
      eventName: 'PutEventSelectors',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.20',
      userAgent: 'AWS Internal',
      requestParameters: { trailName: TRAIL, eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [] }] },
      responseElements: { trailARN: TRAIL, eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [], excludeManagementEventSources: [] }] },
      requestID: '8c2f4a1e-5b6d-4c3e-9f7a-1d2e3f4a0013',
      eventID: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f0013',
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'cloudtrail.us-east-1.amazonaws.com' },
    });
  });

  it('numbers the samples by action, then caller, in four digits', () => {
    const samples = tamperSamples();
    expect(samples.map((s) => [s.action, s.caller])).toEqual(TAMPER_ACTIONS.flatMap((a) => ALL_CALLERS.map((c) => [a, c])));
    expect(samples.map((s) => String(s.record['requestID']).slice(-4))).toEqual(samples.map((_, i) => String(i).padStart(4, '0')));
    expect(cloudTrailRecord('StopLogging')['eventID']).toBe('f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f0000');
  });

  it('a denied attempt carries the error and no response; the caller is an assumed Developer role', () => {
    const denied = cloudTrailRecord('DeleteTrail', 'denied-attempt');
    expect(denied).toMatchObject({
      errorCode: 'AccessDenied',
      errorMessage: expect.stringContaining('explicit deny in a service control policy'),
      responseElements: null,
      requestParameters: { name: TRAIL },
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Developer/mallory' },
    });
    expect(cloudTrailRecord('UpdateTrail', 'root-console')).toMatchObject({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' }, responseElements: { s3BucketName: 'attacker-controlled-bucket' } });
    expect(cloudTrailRecord('UpdateTrail', 'root-console')).not.toHaveProperty('errorMessage');
  });

  it('comes by default from an assumed role on the CLI', () => {
    expect(cloudTrailRecord('StopEventDataStoreIngestion')).toEqual(cloudTrailRecord('StopEventDataStoreIngestion', 'assumed-role-cli'));
    expect(cloudTrailRecord('StopEventDataStoreIngestion')['userIdentity']).toMatchObject({ type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', userName: 'AdministratorAccess' } } });
  });
});

describe('the EventBridge event of a call', () => {
  it('wraps the record with the envelope of the default bus', () => {
    const record = cloudTrailRecord('PutEventSelectors', 'iam-user-console');
    expect(eventBridgeEvent(record)).toEqual({
      version: '0',
      id: 'f1e2d3c4-0000-4000-8000-0c1d2e3f0013',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.cloudtrail',
      account: '111122223333',
      time: '2026-03-02T14:05:11Z',
      region: 'us-east-1',
      resources: [],
      detail: record,
    });
  });
});

describe('the callers and actions', () => {
  it('a successful call is required of every caller but the denied attempt', () => {
    expect(SUCCESSFUL_CALLERS).toEqual(['assumed-role-cli', 'iam-user-console', 'root-console']);
    expect(ALL_CALLERS).toEqual(['assumed-role-cli', 'iam-user-console', 'root-console', 'denied-attempt']);
  });

  it('tells the tampering actions from other names', () => {
    expect(TAMPER_ACTIONS.every(isTamperAction)).toBe(true);
    expect(isTamperAction('StartLogging')).toBe(false);
    expect(isTamperAction('stoplogging')).toBe(false);
  });

  it('samples only the actions and callers asked for', () => {
    expect(tamperSamples(['DeleteTrail'], ['root-console']).map((s) => [s.action, s.caller, s.event['source']])).toEqual([['DeleteTrail', 'root-console', 'aws.cloudtrail']]);
  });
});
