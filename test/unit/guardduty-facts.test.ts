/**
 * Facts behind `guardduty-enabled`: an ENABLED detector in every region in scope, and auto-enable
 * for new members where the administrator's configuration is readable. Traps: a suspended
 * detector; one region missing; "a detector exists".
 */
import { describe, expect, it } from 'vitest';
import { accountGuardDuty, organizationAutoEnable, regionGuardDuty, regionGuardDutyFacts, type GuardDutyDetector, type GuardDutyOrganizationConfiguration } from '../../src/model/guardduty.ts';
import type { Known } from '../../src/model/known.ts';
import type { Fetched } from '../../src/snapshot/types.ts';

const denied = (operation: string) => ({ error: { operation, code: 'AccessDeniedException', message: 'not authorized', region: 'eu-west-1' } });

describe('regionGuardDuty', () => {
  it.each<[string, Fetched<GuardDutyDetector[]>, Known<boolean>, string | undefined]>([
    ['an ENABLED detector', { value: [{ DetectorId: 'd1', Status: 'ENABLED' }] }, { value: true }, 'detector d1 ENABLED'],
    ['a suspended detector', { value: [{ DetectorId: 'd1', Status: 'DISABLED' }] }, { value: false }, 'detector d1 DISABLED (suspended)'],
    ['no detector', { value: [] }, { value: false }, 'no detector'],
    ['ListDetectors denied', denied('guardduty:ListDetectors'), { reason: 'guardduty:ListDetectors (eu-west-1) failed: AccessDeniedException: not authorized' }, undefined],
    ['GetDetector denied', { value: [{ DetectorId: 'd1', error: denied('guardduty:GetDetector').error }] }, { reason: 'guardduty:GetDetector (eu-west-1) failed: AccessDeniedException: not authorized' }, undefined],
    ['a status this scanner does not know', { value: [{ DetectorId: 'd1', Status: 'PAUSED' }] }, { reason: 'detector d1 has the status "PAUSED", which this scanner does not know' }, undefined],
  ])('%s', (_name, detectors, enabled, detail) => {
    const facts = regionGuardDuty('eu-west-1', detectors);
    expect(facts.enabled).toEqual(enabled);
    if (detail) expect(facts.detail).toBe(detail);
  });
});

describe('regionGuardDutyFacts', () => {
  it.each<[string, Fetched<GuardDutyDetector[]> | undefined, Record<string, unknown>]>([
    ['an ENABLED detector', { value: [{ DetectorId: 'd0', Status: 'DISABLED' }, { DetectorId: 'd1', Status: 'ENABLED' }] }, { region: 'eu-west-1', detail: 'detector d1 ENABLED', enabled: true }],
    ['suspended detectors', { value: [{ DetectorId: 'd1', Status: 'DISABLED' }, { DetectorId: 'd2', Status: 'DISABLED' }] }, { region: 'eu-west-1', detail: 'detector d1, d2 DISABLED (suspended)', enabled: false }],
    ['no detector', { value: null, absent: 'none' }, { region: 'eu-west-1', detail: 'no detector', enabled: false }],
    ['not read', undefined, { region: 'eu-west-1', detail: 'guardduty:ListDetectors in eu-west-1 was not read', unknown: { enabled: 'guardduty:ListDetectors in eu-west-1 was not read' } }],
    ['GetDetector not read', { value: [{ DetectorId: 'd9' }] }, { region: 'eu-west-1', detail: 'guardduty:GetDetector d9 was not read', unknown: { enabled: 'guardduty:GetDetector d9 was not read' } }],
    ['a status this scanner does not know', { value: [{ DetectorId: 'd1', Status: 'PAUSED' }] }, { region: 'eu-west-1', detail: 'detector d1 has the status "PAUSED", which this scanner does not know', unknown: { enabled: 'detector d1 has the status "PAUSED", which this scanner does not know' } }],
  ])('%s: the region\'s facts, as the rule reads them, in this order', (_name, detectors, expected) => {
    const facts = regionGuardDutyFacts('eu-west-1', detectors);
    expect(JSON.stringify(facts)).toBe(JSON.stringify(expected));
    const judged = regionGuardDuty('eu-west-1', detectors);
    expect(judged.detail).toBe(facts.detail);
    expect(judged.enabled).toEqual(facts.unknown ? { reason: facts.detail } : { value: facts.enabled });
  });
});

describe('accountGuardDuty', () => {
  it('judges every region in scope, so one region without a detector shows', () => {
    const facts = accountGuardDuty(['us-east-1', 'eu-west-1', 'ap-south-1'], {
      'us-east-1': { value: [{ DetectorId: 'a', Status: 'ENABLED' }] },
      'eu-west-1': { value: [{ DetectorId: 'b', Status: 'ENABLED' }] },
    });
    expect(facts.map((f) => [f.region, f.enabled.value ?? f.enabled.reason])).toEqual([
      ['us-east-1', true],
      ['eu-west-1', true],
      ['ap-south-1', 'guardduty:ListDetectors in ap-south-1 was not read'],
    ]);
  });
});

describe('organizationAutoEnable', () => {
  it.each<[Fetched<GuardDutyOrganizationConfiguration> | undefined, Known<boolean>]>([
    [{ value: { AdminAccountId: '1', AutoEnableOrganizationMembers: 'NEW' } }, { value: true }],
    [{ value: { AdminAccountId: '1', AutoEnableOrganizationMembers: 'ALL' } }, { value: true }],
    [{ value: { AdminAccountId: '1', AutoEnableOrganizationMembers: 'NONE', AutoEnable: true } }, { value: false }],
    [{ value: { AdminAccountId: '1', AutoEnable: true } }, { value: true }],
    [{ value: null, absent: 'no delegated administrator' }, { value: false }],
    [{ value: { AdminAccountId: '1', AutoEnableOrganizationMembers: 'SOME' } }, { reason: 'AutoEnableOrganizationMembers "SOME" is not a value this scanner knows' }],
    [denied('guardduty:DescribeOrganizationConfiguration'), { reason: 'guardduty:DescribeOrganizationConfiguration (eu-west-1) failed: AccessDeniedException: not authorized' }],
    [undefined, { reason: 'guardduty:DescribeOrganizationConfiguration was not read' }],
  ])('%j', (configuration, expected) => {
    expect(organizationAutoEnable(configuration)).toEqual(expected);
  });
});
