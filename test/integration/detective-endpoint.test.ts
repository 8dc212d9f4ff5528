/**
 * The detective-control calls through the real SDK stack (serialisation, SigV4, each service's
 * wire protocol, error parsing) against the fake HTTP endpoint (test/fixtures/fake-aws-server):
 * CloudWatch awsJson1_0, SNS awsQuery XML, EventBridge/CloudWatch Logs/CloudTrail awsJson1_1,
 * GuardDuty restJson1; every list one item a page, so each NextToken crosses the wire. Then the
 * answers real endpoints give instead: HTML and empty bodies, "not implemented", a region where
 * GuardDuty does not answer, missing and extra fields.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectOrganization } from '../../src/collect/index.ts';
import { defaultClientFactory } from '../../src/collect/clients.ts';
import type { AccountRecord, SnapshotHeader } from '../../src/snapshot/types.ts';
import { testConfig } from '../fixtures/aws/collect-run.ts';
import { AUDIT_TOPIC, SECURITY_TOPIC } from '../fixtures/aws/detective-world.ts';
import { startFakeAwsServer, type FakeAwsServer, type FakeAwsServerOptions } from '../fixtures/fake-aws-server/server.ts';
import { LOG_ARCHIVE, MANAGEMENT, PROD, smallOrgDetectiveWorld } from '../fixtures/fake-aws-server/small-org.ts';
import { jsonReply } from '../fixtures/fake-aws-server/wire.ts';
import { UNPACED } from '../fixtures/world/unpaced.ts';

const PROFILE = { accessKeyId: 'AKIADETECTIVE0000001', secretAccessKey: 'detective-secret' };
const COLLECTED_AT = new Date('2026-11-21T06:00:00.000Z');
let server: FakeAwsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function collectFrom(options: Partial<FakeAwsServerOptions> = {}): Promise<{ header: SnapshotHeader; records: AccountRecord[] }> {
  server = await startFakeAwsServer({ profile: PROFILE, memberRoleName: 'TrailproofReadOnly', externalId: 'trailproof-ext-42', pageSize: 1, detective: smallOrgDetectiveWorld(true), ...options });
  const config = testConfig({ scope: { regions: ['us-east-1', 'eu-west-1'] }, collection: { maxAttempts: 2 } });
  const { header, records } = await collectOrganization({
    config,
    clientFactory: defaultClientFactory({ callTimeoutMs: 5_000, credentials: async () => PROFILE, endpointUrl: server.url }),
    now: () => COLLECTED_AT,
    progress: () => undefined,
    ...UNPACED,
  });
  const list: AccountRecord[] = [];
  for await (const r of records) list.push(r);
  return { header, records: list };
}

const detective = (records: AccountRecord[], accountId: string, region: string) =>
  records.find((r) => r.accountId === accountId)!.regions.find((r) => r.region === region)!.detective!;
const HTML_404 = () => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>404 Not Found</h1></body></html>' });

describe('detective controls over the wire', () => {
  it('reads every block in its protocol, page by page, with AWS error codes parsed from each protocol', async () => {
    const { header, records } = await collectFrom();
    const d = detective(records, MANAGEMENT, 'us-east-1');
    expect(d.metricFilters!['aws-cloudtrail-logs-org']!.value!.map((f) => [f.filterName, f.metricTransformations[0]!.metricName])).toEqual([['CloudTrailChanges', 'CloudTrailEventCount'], ['RootUsage', 'RootUsage']]);
    expect(d.metricAlarms!.value!.map((a) => [a.AlarmName, a.ActionsEnabled, a.AlarmActions])).toEqual([['cloudtrail-changes', true, [SECURITY_TOPIC, AUDIT_TOPIC]], ['cpu-high', true, [`arn:aws:sns:us-east-1:${MANAGEMENT}:ops`]]]);
    // SNS's XML list, paged, and its XML error for another account's topic.
    expect(d.topicSubscriptions![SECURITY_TOPIC]!.value!.map((s) => [s.SubscriptionArn, s.Protocol])).toEqual([['PendingConfirmation', 'email'], [`${SECURITY_TOPIC}:5f0b9c52-3c11-4c43-9e3f-0e5b0f1c2a11`, 'email']]);
    expect(d.topicSubscriptions![AUDIT_TOPIC]!.error).toMatchObject({ code: 'AuthorizationErrorException', operation: 'sns:ListSubscriptionsByTopic' });
    expect(d.eventRules!.value!.map((r) => r.Name)).toEqual(['nightly', 'trail-tampering']);
    expect(d.ruleTargets).toEqual({ 'trail-tampering': { value: [{ Id: 'sns', Arn: SECURITY_TOPIC }] } });
    // GuardDuty's camelCase members come back as the SDK's names.
    expect(detective(records, PROD, 'eu-west-1').guardDutyDetectors).toEqual({ value: [{ DetectorId: `d${PROD}euw1`, Status: 'DISABLED' }] });
    expect(header.guardDutyOrganization).toEqual({
      'eu-west-1': { value: { AdminAccountId: LOG_ARCHIVE, AutoEnableOrganizationMembers: 'NEW', AutoEnable: true } },
      'us-east-1': { value: { AdminAccountId: LOG_ARCHIVE, AutoEnableOrganizationMembers: 'ALL', AutoEnable: true } },
    });
    const stop = d.tamperHistory!.events.StopLogging!.value!;
    expect(stop.map((e) => e.EventTime)).toEqual(['2026-11-01T10:00:00.000Z', '2026-11-10T08:00:00.000Z']);
    expect(JSON.parse(stop[0]!.CloudTrailEvent!).userIdentity.arn).toBe(`arn:aws:sts::${MANAGEMENT}:assumed-role/Admin/mallory`);
    // Everything the server answered it knew: no request fell outside its routes.
    expect(server!.requests.filter((r) => r.operation === '?')).toEqual([]);
    const lookups = server!.requests.filter((r) => r.operation === 'LookupEvents');
    expect(lookups).toHaveLength(3 * 2 * 9 + 1); // 3 accounts × 2 regions × 9 names, StopLogging's second page
    expect(new Set(server!.requests.filter((r) => r.service === 'guardduty').map((r) => r.signingService))).toEqual(new Set(['guardduty']));
  });

  it('real-endpoint answers: an HTML 404, an empty 200, a "not implemented" 500, a region GuardDuty does not serve — each an error in place, the rest read', async () => {
    const { header, records } = await collectFrom({
      answers: {
        'events:ListRules': HTML_404,
        'cloudwatch:DescribeAlarms': () => ({ status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '' }),
        'cloudtrail:LookupEvents': (call) => ({ ...jsonReply('awsJson1_1', { __type: 'InternalFailure', message: 'LookupEvents is not yet implemented' }, call.requestId), status: 500 }),
        'guardduty:ListDetectors': (call, original) =>
          call.region === 'eu-west-1'
            ? { ...jsonReply('restJson1', { message: 'The security token included in the request is invalid.' }, call.requestId), status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnrecognizedClientException:' } }
            : original(),
      },
    });
    const d = detective(records, MANAGEMENT, 'us-east-1');
    expect(d.eventRules!.error).toMatchObject({ code: 'NotImplemented', operation: 'events:ListRules' });
    expect(d.ruleTargets).toEqual({});
    expect(d.metricAlarms!.error).toMatchObject({ code: 'NotAnAwsAnswer', operation: 'cloudwatch:DescribeAlarms' });
    expect(d.metricFilters!['aws-cloudtrail-logs-org']!.value).toHaveLength(2);
    expect(Object.values(d.tamperHistory!.events).every((f) => f.error?.code === 'NotImplemented')).toBe(true);
    expect(detective(records, PROD, 'eu-west-1').guardDutyDetectors!.error).toMatchObject({ code: 'UnrecognizedClientException' });
    expect(detective(records, PROD, 'us-east-1').guardDutyDetectors!.value).toHaveLength(1);
    // The administrator's detectors in eu-west-1 were not readable: its configuration there is unknown, not "off".
    expect(header.guardDutyOrganization!['eu-west-1']!.error).toMatchObject({ code: 'UnrecognizedClientException' });
    expect(header.guardDutyOrganization!['us-east-1']!.value).toMatchObject({ AutoEnableOrganizationMembers: 'ALL' });
  });

  it('missing and extra fields, unknown values: kept as AWS gave them', async () => {
    const { records } = await collectFrom({
      answers: {
        'guardduty:GetDetector': (call) => jsonReply('restJson1', { createdAt: '2024-01-01T00:00:00.000Z', serviceRole: 'x', features: [{ name: 'CLOUD_TRAIL', status: 'ENABLED' }] }, call.requestId),
        'events:ListRules': (call) =>
          jsonReply('awsJson1_1', { Rules: [{ Name: 'r', EventPattern: '{"source":["aws.cloudtrail"]}', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', NewField: { nested: true } }] }, call.requestId),
        'events:ListTargetsByRule': (call) => jsonReply('awsJson1_1', { Targets: [{ Id: 't', Arn: SECURITY_TOPIC, Input: '{"token":"secret"}', RetryPolicy: { MaximumRetryAttempts: 3 } }] }, call.requestId),
      },
    });
    const d = detective(records, MANAGEMENT, 'us-east-1');
    expect(d.guardDutyDetectors).toEqual({ value: [{ DetectorId: `d${MANAGEMENT}use1` }] }); // no status: the model says unknown
    expect(d.eventRules).toEqual({ value: [{ Name: 'r', EventPattern: '{"source":["aws.cloudtrail"]}', State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' }] });
    expect(d.ruleTargets).toEqual({ r: { value: [{ Id: 't', Arn: SECURITY_TOPIC }] } });
  });
});
