import { describe, expect, it } from 'vitest';
import { buildIndex, DEFAULT_MODEL_OPTIONS, type ModelIndex } from '../../src/model/model-index.ts';
import { scpFacts } from '../../src/model/scp.ts';
import { denyPolicy, FULL_ACCESS, MEMBER, NODES, testHeader, type TestPolicy } from './scp-fixture.ts';

// A second member in OU Prod, beside MEMBER: same OUs on the path, its own account level.
const TWIN = '333333333333';
const STOP = { Action: 'cloudtrail:StopLogging' };

function index(policies: TestPolicy[]): ModelIndex {
  const header = testHeader({ fullAccess: false, policies });
  header.accounts.value!.push({ Id: TWIN, Name: 'twin', Status: 'ACTIVE', ParentId: 'ou-prod' } as never);
  header.scope.accountIds.push(TWIN);
  return buildIndex(header, [], DEFAULT_MODEL_OPTIONS);
}

const fullAccessTo = (targets: string[]): TestPolicy => ({ ...FULL_ACCESS, targets });

describe('scpFacts shared between accounts with the same SCPs on their path', () => {
  it('gives accounts of one OU with the same attachments one frozen facts object, equal to their own evaluation', () => {
    const policies = [fullAccessTo([...NODES, TWIN]), denyPolicy(STOP, ['ou-work'])];
    const shared = index(policies);
    const member = scpFacts(shared, MEMBER);
    const twin = scpFacts(shared, TWIN);
    expect(twin).toBe(member);
    expect(Object.isFrozen(member.value!.actions['cloudtrail:StopLogging']!.denials[0]!.level)).toBe(true);
    // Evaluated alone, first, in an index of its own, the twin's facts are the same.
    expect(scpFacts(index(policies), TWIN)).toEqual(twin);
    expect(member.value!.actions['cloudtrail:StopLogging']!.outcome).toBe('denied');
  });

  it('keeps facts that name the account (a denial at its own level) to that account', () => {
    const policies = [fullAccessTo([...NODES, TWIN]), denyPolicy(STOP, [MEMBER])];
    const shared = index(policies);
    const member = scpFacts(shared, MEMBER);
    expect(member.value!.actions['cloudtrail:StopLogging']!.outcome).toBe('denied');
    expect(Object.isFrozen(member.value)).toBe(false);
    const twin = scpFacts(shared, TWIN);
    expect(twin.value!.actions['cloudtrail:StopLogging']!.outcome).toBe('not-denied');
    expect(twin).toEqual(scpFacts(index(policies), TWIN));
  });

  it('does not share between accounts whose own attachments differ', () => {
    // The twin has no SCP of its own: the data is incomplete at its level, and its facts say so.
    const shared = index([fullAccessTo(NODES)]);
    const member = scpFacts(shared, MEMBER);
    const twin = scpFacts(shared, TWIN);
    expect(twin).not.toBe(member);
    expect(JSON.stringify(twin)).toContain(TWIN);
    expect(twin).toEqual(scpFacts(index([fullAccessTo(NODES)]), TWIN));
  });
});

describe('scpFacts of OUs that share a name', () => {
  it('keeps two OUs named Prod apart even when their whole name path is equal (AWS refuses it under one parent; a snapshot may not)', () => {
    const header = testHeader({ fullAccess: false, policies: [fullAccessTo([...NODES, 'ou-prod-2', TWIN]), denyPolicy(STOP, ['ou-prod'])] });
    header.organizationalUnits.value!.push({ Id: 'ou-prod-2', Name: 'Prod', ParentId: 'ou-work' } as never);
    header.accounts.value!.push({ Id: TWIN, Name: 'member', Status: 'ACTIVE', ParentId: 'ou-prod-2' } as never);
    header.scope.accountIds.push(TWIN);
    const shared = buildIndex(header, [], DEFAULT_MODEL_OPTIONS);
    expect(scpFacts(shared, MEMBER).value!.actions['cloudtrail:StopLogging']!.outcome).toBe('denied');
    expect(scpFacts(shared, TWIN).value!.actions['cloudtrail:StopLogging']!.outcome).toBe('not-denied');
  });
});
