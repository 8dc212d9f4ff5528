/**
 * The demo organization's service control policies, one situation per OU (what
 * `scp-protects-cloudtrail` should say about its accounts):
 *
 * - Security: ProtectCloudTrail denies the four actions by exact name → PASS.
 * - Workloads/Prod: wildcards — `cloudtrail:Stop*` for everyone, `cloudtrail:*` for everyone but
 *   the CloudTrail admin role → PASS (exemption of a named principal).
 * - Workloads/Dev: a decoy that denies only `DeleteTrail` → FAIL (StopLogging is open).
 * - Sandbox: a region guardrail that denies CloudTrail changes only outside us-east-1 → FAIL
 *   (conditional on aws:RequestedRegion).
 * - Infrastructure: nothing but FullAWSAccess → FAIL.
 * - The management account: NOT_APPLICABLE (SCPs do not apply to it).
 *
 * As in a real organization with SCPs enabled, the AWS-managed FullAWSAccess policy is attached
 * to the root, every OU and every account.
 */
import type { PolicyTarget, ServiceControlPolicy } from '../../src/snapshot/types.ts';
import { ok, type DemoOrg } from './builder.ts';

type Statement = Record<string, unknown>;

const TRAIL_TAMPERING = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'];

/** Policy content as DescribePolicy returns it: the JSON text the author submitted. */
function content(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function targetsFor(demo: DemoOrg, ids: string[]): PolicyTarget[] {
  const management = demo.managementAccountId;
  return ids.map((id) => {
    if (id === demo.rootId) {
      return { TargetId: id, Arn: `arn:aws:organizations::${management}:root/${demo.organizationId}/${id}`, Name: 'Root', Type: 'ROOT' };
    }
    const ou = demo.organizationalUnits.find((o) => o.Id === id);
    if (ou) {
      return { TargetId: id, Arn: `arn:aws:organizations::${management}:ou/${demo.organizationId}/${id}`, Name: ou.Name, Type: 'ORGANIZATIONAL_UNIT' };
    }
    const account = demo.orgAccounts.find((a) => a.Id === id);
    if (!account) throw new Error(`demo SCP target ${id} is neither the root, an OU nor an account`);
    return { TargetId: id, Arn: `arn:aws:organizations::${management}:account/${demo.organizationId}/${id}`, Name: account.Name, Type: 'ACCOUNT' };
  });
}

function customerPolicy(demo: DemoOrg, id: string, name: string, description: string, statements: Statement[], targets: string[]): ServiceControlPolicy {
  return {
    Id: id,
    Arn: `arn:aws:organizations::${demo.managementAccountId}:policy/${demo.organizationId}/service_control_policy/${id}`,
    Name: name,
    Description: description,
    AwsManaged: false,
    Content: ok(content(statements)),
    Targets: ok(targetsFor(demo, targets)),
  };
}

export function addDemoScps(demo: DemoOrg): void {
  const everyNode = [demo.rootId, ...demo.organizationalUnits.map((o) => o.Id), ...demo.orgAccounts.map((a) => a.Id)];
  demo.addPolicy({
    Id: 'p-FullAWSAccess',
    Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    Name: 'FullAWSAccess',
    Description: 'Allows access to every operation',
    AwsManaged: true,
    Content: ok(content([{ Effect: 'Allow', Action: '*', Resource: '*' }])),
    Targets: ok(targetsFor(demo, everyNode)),
  });

  // Irrelevant to CloudTrail: shows that a deny of other actions is not mistaken for protection.
  demo.addPolicy(
    customerPolicy(demo, 'p-3n8w1kq5', 'DenyLeaveOrganization', 'Member accounts cannot leave the organization',
      [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
      [demo.rootId]),
  );

  demo.addPolicy(
    customerPolicy(demo, 'p-7c2v9d4e', 'ProtectCloudTrail', 'Nobody stops, deletes or reconfigures CloudTrail',
      [{ Sid: 'ProtectCloudTrail', Effect: 'Deny', Action: TRAIL_TAMPERING, Resource: '*' }],
      [demo.ouIdByName('Security')]),
  );

  demo.addPolicy(
    customerPolicy(demo, 'p-5h1m6r2t', 'ProdCloudTrailGuardrail', 'Only the CloudTrail admin role may change CloudTrail in production',
      [
        { Sid: 'DenyStop', Effect: 'Deny', Action: 'cloudtrail:Stop*', Resource: '*' },
        // `cloudtrail:*` also denies reads (Describe*, Get*) to everyone else; kept to exercise the wildcard.
        {
          Sid: 'DenyCloudTrailExceptAdmin',
          Effect: 'Deny',
          Action: 'cloudtrail:*',
          Resource: '*',
          Condition: { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/OrgCloudTrailAdmin' } },
        },
      ],
      [demo.ouIdByName('Prod')]),
  );

  demo.addPolicy(
    customerPolicy(demo, 'p-9b4x2f8y', 'ProtectTrailFromDeletion', 'Trails cannot be deleted',
      [{ Sid: 'DenyDeleteTrail', Effect: 'Deny', Action: 'cloudtrail:DeleteTrail', Resource: '*' }],
      [demo.ouIdByName('Dev')]),
  );

  demo.addPolicy(
    customerPolicy(demo, 'p-2k6p7s3u', 'SandboxRegionGuardrail', 'Sandbox accounts may change CloudTrail only in us-east-1',
      [
        {
          Sid: 'DenyCloudTrailOutsideHomeRegion',
          Effect: 'Deny',
          Action: 'cloudtrail:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } },
        },
      ],
      [demo.ouIdByName('Sandbox')]),
  );
}
