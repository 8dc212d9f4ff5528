/**
 * A small organization for SCP tests:
 *
 *   Root (r-root) ── FullAWSAccess on every node unless `fullAccess: false`
 *   ├── management 999999999999
 *   ├── other      222222222222
 *   ├── OU Workloads (ou-work)
 *   │   └── OU Prod (ou-prod)
 *   │       └── member 111111111111
 *   └── OU Sandbox (ou-sand)
 */
import type { Fetched, PolicyTarget, ServiceControlPolicy, SnapshotHeader } from '../../src/snapshot/types.ts';
import { buildIndex, DEFAULT_MODEL_OPTIONS, type ModelIndex } from '../../src/model/model-index.ts';

export const MEMBER = '111111111111';
export const OTHER = '222222222222';
export const MANAGEMENT = '999999999999';
export const NODES = ['r-root', 'ou-work', 'ou-prod', 'ou-sand', MEMBER, OTHER, MANAGEMENT];

export interface TestPolicy {
  id: string;
  name?: string;
  /** A document (serialised here) or raw content text. */
  document?: unknown;
  content?: Fetched<string>;
  targets: string[] | Fetched<PolicyTarget[]>;
}

export const FULL_ACCESS: TestPolicy = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  targets: NODES.filter((n) => n !== MANAGEMENT),
};

function targetType(id: string): string {
  return id.startsWith('r-') ? 'ROOT' : id.startsWith('ou-') ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT';
}

function toPolicy(p: TestPolicy): ServiceControlPolicy {
  return {
    Id: p.id,
    Name: p.name ?? p.id,
    Content: p.content ?? { value: JSON.stringify(p.document) },
    Targets: Array.isArray(p.targets) ? { value: p.targets.map((TargetId) => ({ TargetId, Type: targetType(TargetId) })) } : p.targets,
  };
}

export interface OrgOptions {
  policies?: TestPolicy[];
  fullAccess?: boolean;
  featureSet?: string;
  scpStatus?: string | null;
  policiesFetched?: Fetched<ServiceControlPolicy[]>;
  roots?: SnapshotHeader['roots'];
  scpActions?: string[];
}

export function testHeader(options: OrgOptions = {}): SnapshotHeader {
  const policies = [...(options.fullAccess === false ? [] : [FULL_ACCESS]), ...(options.policies ?? [])];
  const scpStatus = options.scpStatus === undefined ? 'ENABLED' : options.scpStatus;
  const account = (Id: string, Name: string, ParentId: string) => ({ Id, Name, Status: 'ACTIVE', ParentId });
  return {
    format: 'trailproof-snapshot',
    version: 1,
    tool: { name: 'trailproof', version: 'test' },
    collectedAt: '2025-01-01T00:00:00Z',
    source: 'synthetic',
    partition: 'aws',
    scope: { regions: ['us-east-1'], accountIds: [MEMBER, OTHER, MANAGEMENT], skipped: [] },
    organization: { value: { Id: 'o-test', MasterAccountId: MANAGEMENT, FeatureSet: options.featureSet ?? 'ALL' } },
    roots: options.roots ?? {
      value: [{ Id: 'r-root', Name: 'Root', PolicyTypes: scpStatus ? [{ Type: 'SERVICE_CONTROL_POLICY', Status: scpStatus }] : [] }],
    },
    organizationalUnits: {
      value: [
        { Id: 'ou-work', Name: 'Workloads', ParentId: 'r-root' },
        { Id: 'ou-prod', Name: 'Prod', ParentId: 'ou-work' },
        { Id: 'ou-sand', Name: 'Sandbox', ParentId: 'r-root' },
      ],
    },
    accounts: { value: [account(MEMBER, 'member', 'ou-prod'), account(OTHER, 'other', 'r-root'), account(MANAGEMENT, 'management', 'r-root')] },
    policies: options.policiesFetched ?? { value: policies.map(toPolicy) },
    errors: [],
  };
}

export function testIndex(options: OrgOptions = {}): ModelIndex {
  return buildIndex(testHeader(options), [], { ...DEFAULT_MODEL_OPTIONS, scpActions: options.scpActions ?? DEFAULT_MODEL_OPTIONS.scpActions });
}

/** A one-statement Deny policy attached to `targets`. */
export function denyPolicy(statement: Record<string, unknown>, targets: string[] = ['r-root'], id = 'p-deny'): TestPolicy {
  return { id, name: `Deny ${id}`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Resource: '*', ...statement }] }, targets };
}
