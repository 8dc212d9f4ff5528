/**
 * Canonical CloudTrail records of the calls that stop or blind a trail, written once, so the model
 * can ask "would this metric filter / this EventBridge rule have caught StopLogging?" offline, with
 * the same evaluators for every snapshot.
 *
 * Each action comes as several calls: a detective control has to catch the action whoever makes
 * it, so a pattern that only matches an IAM user (or only the console, or only failed calls) must
 * not count as catching it. The shapes follow the CloudTrail record contents reference (event
 * version 1.09) and the "AWS API Call via CloudTrail" envelope EventBridge delivers on the default
 * bus of the region where the call was made.
 */

import { TAMPER_ACTION_NAMES } from '../snapshot/tamper-history-names.ts';

/** Declared in the snapshot stage, which the collector's LookupEvents queries also read. */
export const TAMPER_ACTIONS = TAMPER_ACTION_NAMES;

export type TamperAction = (typeof TAMPER_ACTIONS)[number];

/** Who makes the call, and how: the variations a detective control must not depend on. */
export type TamperCaller = 'assumed-role-cli' | 'iam-user-console' | 'root-console' | 'denied-attempt';

/**
 * A successful call must be caught by every caller; `denied-attempt` (AccessDenied, for example
 * under an SCP) is worth alerting on but is not required of a control.
 */
export const SUCCESSFUL_CALLERS: readonly TamperCaller[] = ['assumed-role-cli', 'iam-user-console', 'root-console'];
export const ALL_CALLERS: readonly TamperCaller[] = [...SUCCESSFUL_CALLERS, 'denied-attempt'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/organization-trail`;
const STORE_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE`;
const EVENT_TIME = '2026-03-02T14:05:11Z';

/** requestParameters and responseElements of each action, as CloudTrail records a successful call. */
const ACTION_PAYLOADS: Record<TamperAction, { requestParameters: JsonObject; responseElements: JsonValue }> = {
  StopLogging: { requestParameters: { name: TRAIL_ARN }, responseElements: null },
  DeleteTrail: { requestParameters: { name: TRAIL_ARN }, responseElements: null },
  UpdateTrail: {
    requestParameters: { name: TRAIL_ARN, s3BucketName: 'attacker-controlled-bucket', enableLogFileValidation: false },
    responseElements: {
      name: 'organization-trail',
      s3BucketName: 'attacker-controlled-bucket',
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: true,
      trailARN: TRAIL_ARN,
      logFileValidationEnabled: false,
      isOrganizationTrail: true,
    },
  },
  PutEventSelectors: {
    requestParameters: { trailName: TRAIL_ARN, eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [] }] },
    responseElements: {
      trailARN: TRAIL_ARN,
      eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: false, dataResources: [], excludeManagementEventSources: [] }],
    },
  },
  PutInsightSelectors: {
    requestParameters: { trailName: TRAIL_ARN, insightSelectors: [] },
    responseElements: { trailARN: TRAIL_ARN, insightSelectors: [] },
  },
  DeleteEventDataStore: { requestParameters: { eventDataStore: STORE_ARN }, responseElements: null },
  StopEventDataStoreIngestion: { requestParameters: { eventDataStore: STORE_ARN }, responseElements: null },
};

const CALLERS: Record<TamperCaller, { userIdentity: JsonObject; sourceIPAddress: string; userAgent: string; error?: { errorCode: string; errorMessage: string } }> = {
  'assumed-role-cli': {
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEROLEID:mallory',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AdministratorAccess/mallory`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEKEYID',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEROLEID',
          arn: `arn:aws:iam::${ACCOUNT}:role/AdministratorAccess`,
          accountId: ACCOUNT,
          userName: 'AdministratorAccess',
        },
        attributes: { creationDate: '2026-03-02T13:58:40Z', mfaAuthenticated: 'false' },
      },
    },
    sourceIPAddress: '203.0.113.75',
    userAgent: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8 exec-env/CloudShell command/cloudtrail.stop-logging',
  },
  'iam-user-console': {
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEUSERID',
      arn: `arn:aws:iam::${ACCOUNT}:user/mallory`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLECONSOLE',
      userName: 'mallory',
      sessionContext: { attributes: { creationDate: '2026-03-02T13:50:02Z', mfaAuthenticated: 'true' } },
    },
    sourceIPAddress: '198.51.100.20',
    userAgent: 'AWS Internal',
  },
  'root-console': {
    userIdentity: {
      type: 'Root',
      principalId: ACCOUNT,
      arn: `arn:aws:iam::${ACCOUNT}:root`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEROOT',
      sessionContext: { attributes: { creationDate: '2026-03-02T13:40:12Z', mfaAuthenticated: 'true' } },
    },
    sourceIPAddress: '192.0.2.44',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0',
  },
  'denied-attempt': {
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEDEVID:mallory',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Developer/mallory`,
      accountId: ACCOUNT,
      accessKeyId: 'ASIAEXAMPLEDEV',
    },
    sourceIPAddress: '203.0.113.75',
    userAgent: 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8',
    error: {
      errorCode: 'AccessDenied',
      errorMessage: 'User: arn:aws:sts::111122223333:assumed-role/Developer/mallory is not authorized to perform this operation with an explicit deny in a service control policy',
    },
  },
};

/** The record CloudTrail writes (and delivers to the trail's CloudWatch Logs group, one record per log event). */
export function cloudTrailRecord(action: TamperAction, caller: TamperCaller = 'assumed-role-cli'): JsonObject {
  const who = CALLERS[caller];
  const payload = ACTION_PAYLOADS[action];
  const index = TAMPER_ACTIONS.indexOf(action) * ALL_CALLERS.length + ALL_CALLERS.indexOf(caller);
  const serial = String(index).padStart(4, '0');
  const record: JsonObject = {
    eventVersion: '1.09',
    userIdentity: who.userIdentity,
    eventTime: EVENT_TIME,
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: action,
    awsRegion: REGION,
    sourceIPAddress: who.sourceIPAddress,
    userAgent: who.userAgent,
  };
  if (who.error) Object.assign(record, who.error);
  Object.assign(record, {
    requestParameters: payload.requestParameters,
    responseElements: who.error ? null : payload.responseElements,
    requestID: `8c2f4a1e-5b6d-4c3e-9f7a-1d2e3f4a${serial}`,
    eventID: `f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f${serial}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `cloudtrail.${REGION}.amazonaws.com` },
  });
  // A fresh copy each time: callers may hold samples for long, and the tables above are shared.
  return structuredClone(record);
}

/**
 * The event EventBridge puts on the default bus for a CloudTrail-recorded call: the record becomes
 * `detail`; the envelope names the source service (`aws.cloudtrail` for CloudTrail's own API).
 */
export function eventBridgeEvent(record: JsonObject): JsonObject {
  const eventID = String(record['eventID']);
  return {
    version: '0',
    id: `${eventID.slice(0, 8)}-0000-4000-8000-${eventID.slice(-12)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.cloudtrail',
    account: String(record['recipientAccountId']),
    time: String(record['eventTime']),
    region: String(record['awsRegion']),
    resources: [],
    detail: record,
  };
}

/** One call of one tampering action, in both the shapes detective controls see. */
export interface TamperSample {
  action: TamperAction;
  caller: TamperCaller;
  /** What a metric filter on the trail's log group reads (the log event message is this JSON). */
  record: JsonObject;
  /** What an EventBridge rule on the default bus of the call's region reads. */
  event: JsonObject;
}

export function tamperSamples(actions: readonly TamperAction[] = TAMPER_ACTIONS, callers: readonly TamperCaller[] = ALL_CALLERS): TamperSample[] {
  return actions.flatMap((action) =>
    callers.map((caller) => {
      const record = cloudTrailRecord(action, caller);
      return { action, caller, record, event: eventBridgeEvent(record) };
    }),
  );
}

export const isTamperAction = (name: string): name is TamperAction => (TAMPER_ACTIONS as readonly string[]).includes(name);
