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
import type { PolicyTarget } from '../../src/snapshot/types.ts';
import type { WorldPolicy } from '../../test/fixtures/world/world.ts';
import { MANAGEMENT, ORG_ID, ROOT_ID } from './accounts.ts';
import type { DemoDraft } from './draft.ts';

type Statement = Record<string, unknown>;

const TRAIL_TAMPERING = ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'];

/** Policy content as DescribePolicy returns it: the JSON text the author submitted. */
function content(statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function targetsFor(draft: DemoDraft, ids: string[]): PolicyTarget[] {
  return ids.map((id) => {
    if (id === ROOT_ID) return { TargetId: id, Arn: `arn:aws:organizations::${MANAGEMENT}:root/${ORG_ID}/${id}`, Name: 'Root', Type: 'ROOT' };
    const ou = draft.ous.find((o) => o.Id === id);
    if (ou) return { TargetId: id, Arn: `arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/${id}`, Name: ou.Name, Type: 'ORGANIZATIONAL_UNIT' };
    const account = draft.accounts.find((a) => a.account.Id === id)?.account;
    if (!account) throw new Error(`demo SCP target ${id} is neither the root, an OU nor an account`);
    return { TargetId: id, Arn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG_ID}/${id}`, Name: account.Name, Type: 'ACCOUNT' };
  });
}

function customerPolicy(draft: DemoDraft, id: string, name: string, description: string, statements: Statement[], targets: string[]): WorldPolicy {
  return {
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT}:policy/${ORG_ID}/service_control_policy/${id}`,
    Name: name,
    Description: description,
    AwsManaged: false,
    Content: content(statements),
    Targets: targetsFor(draft, targets),
  };
}

const ouIdByName = (draft: DemoDraft, name: string): string => {
  const found = draft.ous.find((o) => o.Name === name);
  if (!found) throw new Error(`demo has no OU named "${name}"`);
  return found.Id;
};

export function addDemoScps(draft: DemoDraft): void {
  const everyNode = [ROOT_ID, ...draft.ous.map((o) => o.Id), ...draft.accounts.map((a) => a.account.Id)];
  draft.policies.push({
    Id: 'p-FullAWSAccess',
    Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess',
    Name: 'FullAWSAccess',
    Description: 'Allows access to every operation',
    AwsManaged: true,
    Content: content([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
    Targets: targetsFor(draft, everyNode),
  });

  // Irrelevant to CloudTrail: shows that a deny of other actions is not mistaken for protection.
  draft.policies.push(
    customerPolicy(draft, 'p-3n8w1kq5', 'DenyLeaveOrganization', 'Member accounts cannot leave the organization',
      [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
      [ROOT_ID]),
  );

  draft.policies.push(
    customerPolicy(draft, 'p-7c2v9d4e', 'ProtectCloudTrail', 'Nobody stops, deletes or reconfigures CloudTrail',
      [{ Sid: 'ProtectCloudTrail', Effect: 'Deny', Action: TRAIL_TAMPERING, Resource: '*' }],
      [ouIdByName(draft, 'Security')]),
  );

  draft.policies.push(
    customerPolicy(draft, 'p-5h1m6r2t', 'ProdCloudTrailGuardrail', 'Only the CloudTrail admin role may change CloudTrail in production',
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
      [ouIdByName(draft, 'Prod')]),
  );

  draft.policies.push(
    customerPolicy(draft, 'p-9b4x2f8y', 'ProtectTrailFromDeletion', 'Trails cannot be deleted',
      [{ Sid: 'DenyDeleteTrail', Effect: 'Deny', Action: 'cloudtrail:DeleteTrail', Resource: '*' }],
      [ouIdByName(draft, 'Dev')]),
  );

  draft.policies.push(
    customerPolicy(draft, 'p-2k6p7s3u', 'SandboxRegionGuardrail', 'Sandbox accounts may change CloudTrail only in us-east-1',
      [
        {
          Sid: 'DenyCloudTrailOutsideHomeRegion',
          Effect: 'Deny',
          Action: 'cloudtrail:*',
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1'] } },
        },
      ],
      [ouIdByName(draft, 'Sandbox')]),
  );
}
