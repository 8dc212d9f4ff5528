import { readFileSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { AWS_ACTIONS, actionsForRole, isReadOnlyAction, listedAction, policyForRole, type ServiceName } from '../../src/collect/aws-actions.ts';
import { renderIamPolicy } from '../../src/collect/iam-policy.ts';
import { AccountSession } from '../../src/collect/session.ts';
import { defaultClientFactory } from '../../src/collect/clients.ts';
import { FakeAws, startingCredentials } from '../fixtures/aws/fake-aws.ts';
import { collect, testConfig } from '../fixtures/aws/collect-run.ts';
import { UserError } from '../../src/shared/errors.ts';

const PACKAGE_SERVICE: Record<string, ServiceName> = {
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-cloudtrail': 'cloudtrail',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-guardduty': 'guardduty',
  '@aws-sdk/client-s3': 's3',
  '@aws-sdk/client-s3-control': 's3control',
  '@aws-sdk/client-cloudwatch-logs': 'logs',
  '@aws-sdk/client-account': 'account',
  '@aws-sdk/client-ec2': 'ec2',
};

/** Every Command class imported by the collector's sources, as service:Operation. */
function importedCommands(): string[] {
  const dir = new URL('../../src/collect/', import.meta.url);
  const found = new Set<string>();
  // Sub-folders too (detective/, integrity/): a command imported anywhere in the collector counts.
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9-]+)'/g)) {
      const service = PACKAGE_SERVICE[m[2]!];
      expect(service, `${file} imports ${m[2]}, a client with no entry in PACKAGE_SERVICE`).toBeDefined();
      for (const name of m[1]!.split(',').map((s) => s.trim())) {
        const command = /^(\w+)Command(?:\s+as\s+\w+)?$/.exec(name);
        if (command) found.add(`${service}:${command[1]}`);
      }
    }
  }
  return [...found].sort();
}

let fake: FakeAws | undefined;
afterEach(() => fake?.restore());

describe('the one list of AWS actions', () => {
  it('holds only reads', () => {
    for (const a of AWS_ACTIONS) {
      if (a.iamAction) expect(isReadOnlyAction(a.iamAction), a.iamAction).toBe(true);
      expect(/^(Describe|Get|List)/.test(a.operation) || a.operation === 'AssumeRole' || a.operation === 'LookupEvents', a.operation).toBe(true);
    }
    for (const write of ['cloudtrail:StopLogging', 'cloudtrail:PutEventSelectors', 's3:PutBucketPolicy', 'sts:AssumeRoleWithSAML', 'iam:PassRole', 'cloudtrail:GetTrail*x']) {
      expect(isReadOnlyAction(write), write).toBe(false);
    }
  });

  it('covers every command the collector imports, and lists nothing it does not import', () => {
    const imported = importedCommands();
    expect(imported.filter((c) => !listedAction(c.split(':')[0] as ServiceName, c.split(':')[1]!))).toEqual([]);
    expect(AWS_ACTIONS.map((a) => `${a.service}:${a.operation}`).sort()).toEqual(imported);
  });

  it('every call a full collection makes is on the list', async () => {
    fake = new FakeAws({ pageSize: 2 });
    await collect(testConfig({ scope: { accountTags: ['env=prod', 'tier'] } }));
    const made = [...new Set(fake.calls.map((c) => c.operation))];
    expect(made.length).toBeGreaterThan(25);
    for (const op of made) expect(listedAction(op.split(':')[0] as ServiceName, op.split(':')[1]!), op).toBeDefined();
  });

  it('the call runner refuses a command that is not on the list, before sending it', async () => {
    fake = new FakeAws();
    const session = new AccountSession('111111111111', startingCredentials(), {
      factory: defaultClientFactory({ callTimeoutMs: 1000, credentials: startingCredentials() }),
      callConcurrency: 1,
      callTimeoutMs: 1000,
      maxAttempts: 1,
    });
    await expect(session.call('cloudtrail', 'us-east-1', new StopLoggingCommand({ Name: 'x' }))).rejects.toThrow(/cloudtrail:StopLogging is not in/);
    expect(fake.calls).toEqual([]);
  });
});

describe('iam-policy', () => {
  it('gives the member role the member reads only, and the management role Organizations and AssumeRole on the member role', () => {
    const member = actionsForRole('member');
    expect(member.some((a) => a.startsWith('organizations:'))).toBe(false);
    expect(member).not.toContain('sts:AssumeRole');
    expect(member).toContain('s3:GetBucketObjectLockConfiguration');
    const mgmt = policyForRole('management', 'AuditRead');
    expect(mgmt.Statement[0]?.Action).toEqual(expect.arrayContaining(['organizations:ListTargetsForPolicy', ...member]));
    expect(mgmt.Statement[1]).toEqual({ Sid: 'TrailproofEnterMemberAccounts', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: 'arn:aws:iam::*:role/AuditRead' });
  });

  it('renders JSON, CloudFormation and Terraform', () => {
    const both = JSON.parse(renderIamPolicy({ memberRoleName: 'R' })) as Record<string, unknown>;
    expect(Object.keys(both)).toEqual(['management', 'member']);
    const cfn = JSON.parse(renderIamPolicy({ role: 'management', format: 'cloudformation', memberRoleName: 'R' }));
    const doc = cfn.Resources.TrailproofManagementPolicy.Properties.PolicyDocument;
    expect(doc.Statement[1].Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/R' });
    const tf = renderIamPolicy({ role: 'member', format: 'terraform', memberRoleName: 'R' });
    expect(tf).toContain('resource "aws_iam_policy" "trailproof_member"');
    expect(tf).toContain('"cloudtrail:GetTrailStatus"');
    expect(tf).not.toContain('sts:AssumeRole');
    expect(() => renderIamPolicy({ format: 'yaml', memberRoleName: 'R' })).toThrow(UserError);
    expect(() => renderIamPolicy({ role: 'admin', memberRoleName: 'R' })).toThrow(UserError);
  });
});
