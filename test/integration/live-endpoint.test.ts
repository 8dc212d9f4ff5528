/**
 * Issue #6: `trailproof collect|scan --profile X` against a real endpoint works as documented.
 * The real CLI runs in a child process with the real SDK stack (credential chain from a profile,
 * AWS_ENDPOINT_URL, SigV4, the four wire protocols, retries) against a fake AWS endpoint on
 * 127.0.0.1 (test/fixtures/fake-aws-server). docs/operations/local-endpoint.md explains what this
 * proves and what it cannot.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isReadOnlyAction, listedAction, type ServiceName } from '../../src/collect/aws-actions.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { CLI_ARGS } from '../cli/run-cli.ts';
import type { Snapshot } from '../../src/snapshot/types.ts';
import { startFakeAwsServer, type FakeAwsServer, type FakeAwsServerOptions, type RecordedRequest } from '../fixtures/fake-aws-server/server.ts';
import { jsonReply } from '../fixtures/fake-aws-server/wire.ts';
import {
  LOG_ARCHIVE,
  MANAGEMENT,
  ORG_TRAIL_ARN,
  ORG_TRAIL_BUCKET,
  PROD,
  REGIONS,
  UNCONFIGURED_PII_BUCKET,
} from '../fixtures/fake-aws-server/small-org.ts';

const PROFILE = { accessKeyId: 'AKIAE2EPROFILE000001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYE2ETEST' };
const EXTERNAL_ID = 'trailproof-e2e-42';
const MEMBER_ROLE = 'TrailproofReadOnly';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;

/** Where the operator names the endpoint: AWS_ENDPOINT_URL, or endpoint_url in the profile. */
type EndpointSetting = { url: string; via: 'env' | 'profile' };

/**
 * The environment an operator's shell would have: a named profile in the shared files, the
 * endpoint, and no other AWS_* variable (not even the SDK's Node-version notice switch).
 */
function cliEnv(endpoint: EndpointSetting): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  // The profile's region differs from config.yaml's homeRegion: the collector must not depend on it.
  const config = join(dir, `aws-config-${endpoint.via}`);
  writeFileSync(config, `[profile org-test]\nregion = eu-west-1\n${endpoint.via === 'profile' ? `endpoint_url = ${endpoint.url}\n` : ''}`);
  return {
    ...env,
    HOME: dir,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    ...(endpoint.via === 'env' ? { AWS_ENDPOINT_URL: endpoint.url } : {}),
  };
}

function runCli(args: string[], endpoint: EndpointSetting): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { cwd: dir, env: cliEnv(endpoint), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function startServer(extra: Partial<FakeAwsServerOptions> = {}): Promise<FakeAwsServer> {
  return startFakeAwsServer({
    ...extra,
    profile: PROFILE,
    memberRoleName: MEMBER_ROLE,
    externalId: EXTERNAL_ID,
    denyAssume: [PROD],
    throttle: { 'cloudtrail:GetTrailStatus': 1 },
    // Two items a page: every list the collector reads is followed through NextToken over the wire.
    pageSize: 2,
  });
}

function expectCleanStderr(stderr: string): void {
  expect(stderr).not.toMatch(/NodeVersionSupportWarning|node >=22/i);
  expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(stderr).not.toMatch(/Failed to construct URL/);
}

const byOperation = (requests: RecordedRequest[], service: string, operation: string) =>
  requests.filter((r) => r.service === service && r.operation === operation);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-live-'));
  writeFileSync(join(dir, 'aws-credentials'), `[org-test]\naws_access_key_id = ${PROFILE.accessKeyId}\naws_secret_access_key = ${PROFILE.secretAccessKey}\n`);
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'organization:',
      `  memberRoleName: ${MEMBER_ROLE}`,
      `  externalId: ${EXTERNAL_ID}`,
      '  homeRegion: us-east-1',
      'collection:',
      '  callTimeoutMs: 5000',
      // The fake endpoint has no LookupEvents quota: AWS's 2 per second would make each scan here ~10 s longer.
      '  lookupEventsPerSecond: 1000',
      'output:',
      `  dir: ${join(dir, 'reports')}`,
      '  formats: [json]',
      '',
    ].join('\n'),
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('collect --profile against a real HTTP endpoint, then evaluate', () => {
  let server: FakeAwsServer;
  let collected: CliRun;
  let evaluated: CliRun;
  let snapshot: Snapshot;
  let requests: RecordedRequest[];

  beforeAll(async () => {
    server = await startServer();
    try {
      const file = join(dir, 'snap.jsonl.gz');
      collected = await runCli(['collect', '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1', '--out', file], { url: server.url, via: 'env' });
      requests = [...server.requests];
      snapshot = await readSnapshotFully(file);
      evaluated = await runCli(['evaluate', file], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
  }, 60_000);

  it('exits 0, writes a snapshot that validates, with a clean stderr', () => {
    expect(collected.stderr).toContain('trailproof: wrote');
    expect(collected.code).toBe(0);
    expectCleanStderr(collected.stderr);
    expect(snapshot.header.source).toBe('aws');
    expect(snapshot.header.scope.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(snapshot.header.scope.accountIds).toEqual([MANAGEMENT, LOG_ARCHIVE, PROD]);
  });

  it('holds the organization read through Organizations, every page of it', () => {
    expect(snapshot.header.organization.value?.Id).toBe(server.org.organization.Id);
    expect(snapshot.header.accounts.value?.map((a) => a.Id)).toEqual([MANAGEMENT, LOG_ARCHIVE, PROD]);
    expect(snapshot.header.organizationalUnits.value?.map((o) => o.Id)).toEqual(server.org.ous.map((o) => o.Id).sort());
    expect(snapshot.header.policies.value?.map((p) => p.Id)).toEqual(server.org.policies.map((p) => p.Id).sort());
    // Three policies at two a page: the second page was asked for with the first answer's token.
    expect(byOperation(requests, 'organizations', 'ListPolicies')).toHaveLength(2);
    expect(snapshot.header.errors).toEqual([]);
  });

  it('reads both regions of every entered account and the organization trail once, with its status', () => {
    const [mgmt, archive] = [MANAGEMENT, LOG_ARCHIVE].map((id) => snapshot.accounts.find((a) => a.accountId === id)!);
    for (const record of [mgmt!, archive!]) {
      expect(record.regions.map((r) => r.region)).toEqual(['eu-west-1', 'us-east-1']);
      for (const r of record.regions) expect(r.trails.value?.map((t) => t.TrailARN)).toEqual([ORG_TRAIL_ARN]);
    }
    const detailed = snapshot.accounts.flatMap((a) => Object.keys(a.trailDetails));
    expect(detailed).toEqual([ORG_TRAIL_ARN]);
    const detail = mgmt!.trailDetails[ORG_TRAIL_ARN]!;
    expect(detail.status.value).toMatchObject({ IsLogging: true, LatestDeliveryTime: '2026-11-20T23:55:12.000Z' });
    expect(detail.eventSelectors.value?.AdvancedEventSelectors).toHaveLength(2);
    // The destination bucket lives in the log-archive account and was read there, in its region.
    const bucket = archive!.bucketDetails?.[ORG_TRAIL_BUCKET];
    expect(bucket?.region.value).toBe('eu-west-1');
    expect(bucket?.objectLock?.value).toMatchObject({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 1 } } });
    expect(bucket?.lifecycle?.value?.[0]).toMatchObject({ Filter: { Prefix: 'org/AWSLogs/' }, Expiration: { Days: 2557 } });
    expect(bucket?.versioning?.value).toEqual({ Status: 'Enabled', MFADelete: 'Disabled' });
    expect(archive!.accountPublicAccessBlock?.value).toMatchObject({ BlockPublicPolicy: true });
  });

  it('records S3 "not configured" answers as absent, not as errors', () => {
    const pii = snapshot.accounts.find((a) => a.accountId === MANAGEMENT)!.bucketDetails?.[UNCONFIGURED_PII_BUCKET];
    expect(pii?.lifecycle).toEqual({ value: null, absent: 'NoSuchLifecycleConfiguration' });
    expect(pii?.objectLock).toEqual({ value: null, absent: 'ObjectLockConfigurationNotFoundError' });
    expect(pii?.policy).toEqual({ value: null, absent: 'NoSuchBucketPolicy' });
    const lifecycle = byOperation(requests, 's3', 'GetBucketLifecycleConfiguration').find((r) => r.url.startsWith(`/${UNCONFIGURED_PII_BUCKET}`));
    expect(lifecycle).toMatchObject({ status: 404, errorCode: 'NoSuchLifecycleConfiguration' });
  });

  it('keeps the denied member with its AccessDenied and still reads the rest', () => {
    const prod = snapshot.accounts.find((a) => a.accountId === PROD)!;
    expect(prod.access?.error).toMatchObject({ operation: 'sts:AssumeRole', code: 'AccessDenied', accountId: PROD });
    expect(prod.access?.error.message).toContain(`arn:aws:iam::${PROD}:role/${MEMBER_ROLE}`);
    expect(requests.some((r) => r.accountId === PROD)).toBe(false);
  });

  it('assumes the member role with the configured name and external ID', () => {
    // The server refuses AssumeRole without the external ID, so the log-archive reads prove it was sent.
    expect(byOperation(requests, 'sts', 'AssumeRole').map((r) => r.status).sort()).toEqual([200, 403]);
    expect(server.issuedKeys.get(LOG_ARCHIVE)).toMatch(/^ASIA/);
  });

  it('signs management calls with the profile keys and member calls with the assumed-role keys', () => {
    expect(requests.length).toBeGreaterThan(40);
    for (const r of requests) {
      expect(r.errorCode ?? '', `${r.service}:${r.operation}`).not.toMatch(/SignatureDoesNotMatch|InvalidClientTokenId|MissingAuthenticationToken/);
      if (r.accountId === MANAGEMENT) {
        expect(r.accessKeyId).toBe(PROFILE.accessKeyId);
        expect(r.sessionToken).toBeUndefined();
      } else {
        expect(r.accountId).toBe(LOG_ARCHIVE);
        expect(r.accessKeyId).toBe(server.issuedKeys.get(LOG_ARCHIVE));
        expect(r.sessionToken).toBeDefined();
      }
    }
    expect(new Set(requests.filter((r) => r.accountId === LOG_ARCHIVE).map((r) => r.service))).toEqual(new Set(['cloudtrail', 's3', 's3control', 'events', 'guardduty']));
  });

  it('sends every call to AWS_ENDPOINT_URL, S3 path-style, signed for the right region', () => {
    const host = new URL(server.url).host;
    expect(new Set(requests.map((r) => r.service))).toEqual(new Set(['sts', 'organizations', 'cloudtrail', 'logs', 's3', 's3control', 'cloudwatch', 'sns', 'events', 'guardduty']));
    for (const r of requests) expect(r.host, `${r.service}:${r.operation}`).toBe(host);
    for (const r of requests.filter((x) => x.service === 's3' && x.operation !== 'ListBuckets')) {
      expect(r.url).toMatch(/^\/[a-z0-9.-]+\/?\?/);
    }
    // Global services at the configured home region, not the profile's.
    for (const r of requests.filter((x) => x.service === 'sts' || x.service === 'organizations')) expect(r.region).toBe('us-east-1');
    const bucketCalls = requests.filter((r) => r.service === 's3' && r.url.startsWith(`/${ORG_TRAIL_BUCKET}`) && r.operation !== 'GetBucketLocation');
    expect(bucketCalls.length).toBe(9);
    for (const r of bucketCalls) expect(r.region).toBe('eu-west-1');
    // S3 Control names the account in a header, not in the host.
    expect(byOperation(requests, 's3control', 'GetPublicAccessBlock').map((r) => r.status)).toEqual([200, 200]);
  });

  it('calls only listed read-only actions', () => {
    for (const r of requests) {
      const action = listedAction(r.service as ServiceName, r.operation);
      expect(action, `${r.service}:${r.operation} (${r.method} ${r.url})`).toBeDefined();
      if (action?.iamAction) expect(isReadOnlyAction(action.iamAction), action.iamAction).toBe(true);
      if (r.protocol === 'restXml') expect(r.method).toBe('GET');
    }
  });

  it('retries the throttled call and keeps its answer', () => {
    expect(byOperation(requests, 'cloudtrail', 'GetTrailStatus').map((r) => [r.status, r.errorCode])).toEqual([
      [400, 'ThrottlingException'],
      [200, undefined],
    ]);
  });

  it('evaluate on the snapshot exits 3: no gating failure, but the denied member leaves ERROR verdicts', () => {
    expectCleanStderr(evaluated.stderr);
    expect(evaluated.code).toBe(3);
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'trailproof.json'), 'utf8')) as {
      summary: { exitCode: number; partial: boolean; gatingFailures: number; counts: Record<string, number> };
      verdicts: { status: string; resource: { accountId?: string }; message: string }[];
    };
    expect(report.summary).toMatchObject({ exitCode: 3, partial: true, gatingFailures: 0 });
    const errors = report.verdicts.filter((v) => v.status === 'ERROR');
    expect(errors.length).toBeGreaterThan(0);
    for (const v of errors) {
      expect(v.resource.accountId).toBe(PROD);
      expect(v.message).toContain('sts:AssumeRole');
      expect(v.message).toContain('AccessDenied');
    }
    expect(report.summary.counts.PASS).toBeGreaterThan(0);
  });
});

describe('scan --profile --save-snapshot, the endpoint named in the profile', () => {
  it('reads the enabled regions through account:ListRegions, saves the snapshot and gates with exit 3', async () => {
    const server = await startServer();
    let run: CliRun;
    try {
      run = await runCli(['scan', '--profile', 'org-test', '--save-snapshot', join(dir, 'scan.jsonl.gz')], { url: server.url, via: 'profile' });
    } finally {
      await server.close();
    }
    expectCleanStderr(run.stderr);
    expect(run.code).toBe(3);
    const listRegions = byOperation(server.requests, 'account', 'ListRegions');
    expect(listRegions.map((r) => [r.accountId, r.status])).toEqual(
      expect.arrayContaining([
        [MANAGEMENT, 200],
        [LOG_ARCHIVE, 200],
      ]),
    );
    const saved = await readSnapshotFully(join(dir, 'scan.jsonl.gz'));
    expect(saved.header.scope.regions).toEqual(REGIONS);
    expect(saved.accounts.find((a) => a.accountId === LOG_ARCHIVE)?.enabledRegions).toEqual({ value: REGIONS });
    expect(saved.accounts.find((a) => a.accountId === PROD)?.access?.error.code).toBe('AccessDenied');
  }, 40_000);
});

describe('the fake endpoint checks signatures as AWS does', () => {
  it('refuses a wrong secret and an unsigned request, so the signing assertions above can fail', async () => {
    const server = await startServer();
    try {
      const forged = new STSClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: PROFILE.accessKeyId, secretAccessKey: 'not-the-secret' }, maxAttempts: 1 });
      await expect(forged.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
      forged.destroy();
      const unsigned = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      expect(unsigned.status).toBe(403);
      expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
      const genuine = new STSClient({ region: 'us-east-1', endpoint: server.url, credentials: PROFILE, maxAttempts: 1 });
      await expect(genuine.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: MANAGEMENT });
      genuine.destroy();
    } finally {
      await server.close();
    }
  });
});

/** Issue #11: the answers real endpoints give never lose a scan, and the first call says what is wrong. */
describe('field-hardened collection (issue #11)', () => {
  const ALL_FORMATS = ['json', 'sarif', 'html', 'junit', 'md', 'oscal', 'ocsf', 'asff'];
  const REPORT_FILES = ['trailproof.json', 'trailproof.sarif', 'trailproof.html', 'trailproof.junit.xml', 'trailproof.md', 'trailproof.oscal.json', 'trailproof.ocsf.jsonl', 'trailproof.asff.json'];

  it('GetEventSelectors with both lists (advanced empty): every report is written and the classic data-event selectors count', async () => {
    const classic = [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: [], DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
    const server = await startServer({
      answers: {
        'cloudtrail:GetEventSelectors': (call) => jsonReply('awsJson1_1', { TrailARN: call.input.TrailName, EventSelectors: classic, AdvancedEventSelectors: [] }, call.requestId),
      },
    });
    const out = join(dir, 'both-lists');
    let run: CliRun;
    try {
      run = await runCli(['scan', '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1', '--out', out, '--format', ALL_FORMATS.join(',')], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expectCleanStderr(run.stderr);
    expect(run.stderr).not.toMatch(/internal error|refusing/);
    // 3: the denied member's verdicts are ERROR; nothing else keeps the gate from passing.
    expect(run.code).toBe(3);
    for (const f of REPORT_FILES) expect(existsSync(join(out, f)), f).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'trailproof.json'), 'utf8')) as {
      verdicts: { ruleId: string; status: string; resource: { accountId?: string; id: string }; message: string }[];
      errors: { accountId?: string }[];
    };
    for (const ruleId of ['s3-data-events-read', 's3-data-events-write']) {
      for (const accountId of [MANAGEMENT, LOG_ARCHIVE]) {
        const v = report.verdicts.find((x) => x.ruleId === ruleId && x.resource.accountId === accountId)!;
        expect(v.status, `${ruleId} ${accountId}: ${v.message}`).toBe('PASS');
        expect(v.message).toContain(ORG_TRAIL_ARN);
      }
    }
    expect(report.errors.every((e) => e.accountId === PROD)).toBe(true);
  }, 40_000);

  it('GetEventSelectors with both lists non-empty: kept as answered, ERROR only where selectors matter, reports written', async () => {
    const server = await startServer({
      answers: {
        'cloudtrail:GetEventSelectors': (call, original) => {
          const usual = JSON.parse(String(original().body)) as Record<string, unknown>;
          return jsonReply('awsJson1_1', { ...usual, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }, call.requestId);
        },
      },
    });
    const out = join(dir, 'both-non-empty');
    const saved = join(dir, 'both-non-empty.jsonl');
    let run: CliRun;
    try {
      run = await runCli(['scan', '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1', '--out', out, '--save-snapshot', saved], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expectCleanStderr(run.stderr);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('1 answer not in the expected shape, kept as received');
    expect(run.stderr).toContain('cloudtrail:GetEventSelectors (111111111111/us-east-1)');
    const report = JSON.parse(readFileSync(join(out, 'trailproof.json'), 'utf8')) as { verdicts: { ruleId: string; status: string; resource: { accountId?: string } }[] };
    const entered = report.verdicts.filter((v) => v.resource.accountId !== PROD);
    const errored = new Set(entered.filter((v) => v.status === 'ERROR').map((v) => v.ruleId));
    expect([...errored].sort()).toEqual(['cloudtrail-changes-alarmed', 'cloudtrail-multi-region', 'cloudtrail-tamper-history', 's3-data-events-read', 's3-data-events-write', 's3-pii-data-events'].filter((r) => errored.has(r)).sort());
    expect(errored.has('s3-data-events-read')).toBe(true);
    expect(entered.filter((v) => v.ruleId === 'cloudtrail-log-file-validation').every((v) => v.status === 'PASS')).toBe(true);
    // The snapshot we wrote reads back and evaluates again (strict reading, kept answer included).
    const again = await runCli(['evaluate', saved, '--out', join(dir, 'both-non-empty-again')], { url: server.url, via: 'env' });
    expect(again.code).toBe(3);
    const kept = (await readSnapshotFully(saved)).accounts.find((a) => a.accountId === MANAGEMENT)!.trailDetails[ORG_TRAIL_ARN]!.eventSelectors;
    expect(kept.error?.code).toBe('UnexpectedAnswer');
    expect((kept as { answer?: unknown }).answer).toMatchObject({ EventSelectors: [{ ReadWriteType: 'All' }], AdvancedEventSelectors: [{ Name: 'Management events' }, { Name: 'S3 data events' }] });
  }, 40_000);

  it('account:ListRegions not implemented (HTML 404): regions come from ec2:DescribeRegions, recorded as the source', async () => {
    const server = await startServer({
      answers: { 'account:ListRegions': () => ({ status: 404, headers: { 'content-type': 'text/html' }, body: '<html><body>Not Found</body></html>' }) },
    });
    const saved = join(dir, 'ec2-regions.jsonl');
    let run: CliRun;
    try {
      run = await runCli(['collect', '--profile', 'org-test', '--out', saved], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expect(run.code).toBe(0);
    expect(byOperation(server.requests, 'account', 'ListRegions').length).toBe(2);
    expect(byOperation(server.requests, 'ec2', 'DescribeRegions').map((r) => r.status)).toEqual([200, 200]);
    const snap = await readSnapshotFully(saved);
    expect(snap.header.scope.regions).toEqual(REGIONS);
    const archive = snap.accounts.find((a) => a.accountId === LOG_ARCHIVE)!;
    expect(archive.enabledRegions).toEqual({ value: REGIONS });
    expect(archive.enabledRegionsSource).toBe('ec2:DescribeRegions');
  }, 40_000);

  it('a "not implemented" 500 is asked once per call site and reported in plain words', async () => {
    const server = await startServer({
      answers: {
        'cloudtrail:ListEventDataStores': () => ({
          status: 500,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: JSON.stringify({ __type: 'InternalFailure', message: "API action 'ListEventDataStores' for service 'cloudtrail' not yet implemented" }),
        }),
      },
    });
    const out = join(dir, 'not-implemented');
    let run: CliRun;
    try {
      run = await runCli(['scan', '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1', '--out', out], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expectCleanStderr(run.stderr);
    expect(run.code).toBe(3);
    // Two entered accounts × two regions, each asked once.
    expect(byOperation(server.requests, 'cloudtrail', 'ListEventDataStores')).toHaveLength(4);
    const report = JSON.parse(readFileSync(join(out, 'trailproof.json'), 'utf8')) as { errors: { operation: string; code: string; message: string }[] };
    const lake = report.errors.filter((e) => e.operation === 'cloudtrail:ListEventDataStores');
    expect(lake).toHaveLength(4);
    for (const e of lake) {
      expect(e.code).toBe('NotImplemented');
      expect(e.message).toContain('the endpoint does not implement cloudtrail:ListEventDataStores (HTTP 500');
      expect(e.message).not.toMatch(/Deserialization|\$response/);
    }
  }, 40_000);

  it('an endpoint that accepts connections and never answers: said within the per-call timeout, not blamed on credentials', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    const config = join(dir, 'config-fast-timeout.yaml');
    writeFileSync(config, 'organization:\n  homeRegion: us-east-1\ncollection:\n  callTimeoutMs: 1000\n');
    let run: CliRun;
    try {
      run = await runCli(['scan', '-c', config, '--profile', 'org-test', '--regions', 'us-east-1'], { url, via: 'env' });
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`the endpoint ${url} accepts connections but is not answering (no answer within 1000 ms, 2 attempts)`);
    expect(run.stderr).not.toMatch(/check --profile/);
    expectCleanStderr(run.stderr);
    // Two attempts, not eight: each timed-out attempt drops its connection, the next one opens another.
    // (Counted, not timed: the wall time of a run is mostly the CLI's start-up, seconds on a loaded machine.
    // A 15-second default timeout would also outlast the 25 s this file gives the CLI, failing the exit code.)
    expect(sockets).toHaveLength(2);
  }, 40_000);

  it('--profile nosuch names the profile', async () => {
    const run = await runCli(['scan', '--profile', 'nosuch', '--regions', 'us-east-1'], { url: 'http://127.0.0.1:9', via: 'env' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the AWS profile "nosuch" gives no credentials');
    expectCleanStderr(run.stderr);
  }, 40_000);

  it('a failure after collection (an invalid rule file) keeps the collected snapshot and says where', async () => {
    const server = await startServer();
    const rulesDir = join(dir, 'broken-rules');
    mkdirSync(rulesDir, { recursive: true });
    writeFileSync(join(rulesDir, 'broken.yaml'), 'id: broken\ntitle: [unclosed\n');
    const config = join(dir, 'config-broken-rules.yaml');
    const out = join(dir, 'kept-out');
    writeFileSync(config, readFileSync(join(dir, 'config.yaml'), 'utf8').replace(`  dir: ${join(dir, 'reports')}`, `  dir: ${out}`) + `rules:\n  paths: [${rulesDir}]\n`);
    let run: CliRun;
    try {
      run = await runCli(['scan', '-c', config, '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1'], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expect(run.code).toBe(2);
    const kept = join(out, 'trailproof-collected.snapshot.jsonl.gz');
    expect(run.stderr).toContain(`the collected snapshot is kept at ${kept}`);
    expectCleanStderr(run.stderr);
    expect((await readSnapshotFully(kept)).header.scope.accountIds).toEqual([MANAGEMENT, LOG_ARCHIVE, PROD]);
  }, 40_000);

  it('one report format failing to be written keeps the collected snapshot and every other format, and says what was written', async () => {
    const server = await startServer();
    const out = join(dir, 'one-format-fails');
    // A non-empty folder where the SARIF goes: that format cannot be put in place, whatever the user's privileges.
    mkdirSync(join(out, 'trailproof.sarif', 'inside'), { recursive: true });
    let run: CliRun;
    try {
      run = await runCli(['scan', '-c', join(dir, 'config.yaml'), '--profile', 'org-test', '--regions', 'us-east-1,eu-west-1', '--format', 'json,sarif,md', '--out', out], { url: server.url, via: 'env' });
    } finally {
      await server.close();
    }
    expect(run.code).toBe(2); // the user's file system, not a bug: the user-error code
    expect(run.stderr).toContain(`format sarif failed: ${join(out, 'trailproof.sarif')}: cannot write report`);
    expect(run.stderr).toContain(`the other reports were written: ${join(out, 'trailproof.json')} (`);
    const kept = join(out, 'trailproof-collected.snapshot.jsonl.gz');
    expect(run.stderr).toContain(`the collected snapshot is kept at ${kept}`);
    expectCleanStderr(run.stderr);
    expect((await readSnapshotFully(kept)).header.scope.accountIds).toEqual([MANAGEMENT, LOG_ARCHIVE, PROD]);
    expect(JSON.parse(readFileSync(join(out, 'trailproof.json'), 'utf8')).scope.accountIds).toEqual([LOG_ARCHIVE, MANAGEMENT, PROD].sort());
    expect(readFileSync(join(out, 'trailproof.md'), 'utf8')).toContain('trailproof');
  }, 40_000);
});
