import { UserError } from '../shared/errors.ts';
import { policyForRole as basePolicy, type CollectorRole, type OptInFeature } from './aws-actions.ts';

export type PolicyFormat = 'json' | 'cloudformation' | 'terraform';
export const POLICY_FORMATS: readonly PolicyFormat[] = ['json', 'cloudformation', 'terraform'];
const ROLES: readonly CollectorRole[] = ['management', 'member'];

/**
 * The least-privilege policies of `trailproof iam-policy`, generated from aws-actions.ts so the
 * published permissions can never drift from what the collector calls.
 */
export function renderIamPolicy(options: { role?: string; format?: string; memberRoleName: string; optIn?: readonly OptInFeature[] }): string {
  const policyForRole = (role: CollectorRole, memberRoleName: string, partition?: string) => basePolicy(role, memberRoleName, partition, options.optIn ?? []);
  const format = (options.format ?? 'json') as PolicyFormat;
  if (!POLICY_FORMATS.includes(format)) throw new UserError(`--format must be one of ${POLICY_FORMATS.join(', ')}, got "${options.format}"`);
  if (options.role !== undefined && !ROLES.includes(options.role as CollectorRole)) {
    throw new UserError(`--role must be management or member, got "${options.role}"`);
  }
  const roles = options.role ? [options.role as CollectorRole] : ROLES;
  switch (format) {
    case 'json': {
      if (roles.length === 1) return JSON.stringify(policyForRole(roles[0]!, options.memberRoleName), null, 2) + '\n';
      return JSON.stringify(Object.fromEntries(roles.map((r) => [r, policyForRole(r, options.memberRoleName)])), null, 2) + '\n';
    }
    case 'cloudformation':
      return cloudFormation(roles, options.memberRoleName, policyForRole);
    case 'terraform':
      return terraform(roles, options.memberRoleName, policyForRole);
  }
}

const logicalName = (role: CollectorRole) => (role === 'management' ? 'TrailproofManagementPolicy' : 'TrailproofMemberPolicy');

/** JSON is valid YAML, so the template stays a plain JSON document (no YAML emitter needed). */
type PolicyFor = (role: CollectorRole, memberRoleName: string, partition?: string) => ReturnType<typeof basePolicy>;

function cloudFormation(roles: readonly CollectorRole[], memberRoleName: string, policyForRole: PolicyFor): string {
  const resources = Object.fromEntries(
    roles.map((role) => [
      logicalName(role),
      {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          ManagedPolicyName: logicalName(role),
          Description: `trailproof ${role} role: read-only access for the audit-logging scanner`,
          PolicyDocument: policyForRole(role, memberRoleName, '${AWS::Partition}'),
        },
      },
    ]),
  );
  // The partition placeholder needs Fn::Sub to be resolved by CloudFormation.
  const text = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Description: 'trailproof least-privilege policies', Resources: resources }, null, 2);
  return text.replace(/"(arn:\$\{AWS::Partition\}[^"]*)"/g, '{ "Fn::Sub": "$1" }') + '\n';
}

function terraform(roles: readonly CollectorRole[], memberRoleName: string, policyForRole: PolicyFor): string {
  return roles
    .map((role) => {
      const doc = policyForRole(role, memberRoleName, '${data.aws_partition.current.partition}');
      const name = role === 'management' ? 'trailproof_management' : 'trailproof_member';
      return [
        `resource "aws_iam_policy" "${name}" {`,
        `  name        = "${logicalName(role)}"`,
        `  description = "trailproof ${role} role: read-only access for the audit-logging scanner"`,
        `  policy      = jsonencode(${JSON.stringify(doc, null, 2).replace(/\n/g, '\n  ')})`,
        `}`,
      ].join('\n');
    })
    .join('\n\n')
    .replace(/^/, 'data "aws_partition" "current" {}\n\n') + '\n';
}
