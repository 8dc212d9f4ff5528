import { describe, expect, it } from 'vitest';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import type { AccountFacts } from '../../src/model/facts.ts';
import { readRegionNames, regionNamesWith, sharedFacts, sharedNames } from '../../src/model/shared-facts.ts';
import { HISTORY_EVENT_NAMES } from '../../src/model/tamper-history.ts';
import { absent, apiError, failed, ok } from '../fixtures/snapshot-builder.ts';
import { detail, MANAGEMENT, miniOrg, ORG_ID, trail } from '../fixtures/mini-org.ts';
import type { DemoOrg } from '../fixtures/snapshot-builder.ts';
import type { AccountRecord, DetectiveRegionRecord, LifecycleRule } from '../../src/snapshot/types.ts';

/**
 * Facts that repeat between accounts are one frozen object per distinct content (shared-facts.ts):
 * every member's view of the organization trail holds the same regions, management events and
 * "judged in its owner" reasons; accounts without any event rule share their event rules' facts,
 * quiet event histories their history. What is an account's own (its errors) is never shared.
 */
const MEMBERS = ['222222222222', '333333333333', '444444444444'];
const WINDOW = { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' };

function quietDetective(): DetectiveRegionRecord {
  return {
    eventRules: ok([]),
    tamperHistory: { window: WINDOW, events: Object.fromEntries(HISTORY_EVENT_NAMES.map((name) => [name, ok([])])) },
  };
}

function orgWithTrail(): DemoOrg {
  const org = miniOrg(MEMBERS);
  const t = trail(MANAGEMENT, 'org-trail', { IsOrganizationTrail: true });
  org.addTrailInRegions(t, { accountIds: [MANAGEMENT] });
  org.addTrailDetail(MANAGEMENT, detail(t, true));
  for (const id of [MANAGEMENT, ...MEMBERS]) {
    for (const region of org.regions) Object.assign(org.region(id, region), { detective: quietDetective(), eventDataStores: ok([]) });
  }
  return org;
}

function accounts(org: DemoOrg): Map<string, AccountFacts> {
  const snap = org.snapshot();
  const index = buildIndex(snap.header, snap.accounts);
  return new Map(snap.accounts.map((record) => [record.accountId, subjectsForAccount(index, record)[0]!.activation.account!]));
}

describe('facts shared between accounts', () => {
  it("two members' views of the organization trail hold the same frozen regions, management events and reasons", () => {
    const facts = accounts(orgWithTrail());
    const [a, b] = [facts.get(MEMBERS[0]!)!, facts.get(MEMBERS[1]!)!];
    const [ta, tb] = [a.trails![0]!, b.trails![0]!];
    expect(ta.arn).toBe(tb.arn);
    expect(tb.regions).toBe(ta.regions);
    expect(tb.managementEvents).toBe(ta.managementEvents);
    expect(tb.unknown).toBe(ta.unknown);
    expect(ta.unknown).toEqual({ changeAlarms: `judged on the trail in its owner account ${MANAGEMENT}, where its log group is` });
    // The account's own regions are the same list as its view of the multi-region trail's.
    expect(a.regions).toBe(ta.regions);
    expect(b.regions).toBe(a.regions);
    for (const shared of [ta.regions, ta.managementEvents, ta.managementEvents!.excludedSources, ta.unknown]) expect(Object.isFrozen(shared)).toBe(true);
    // What names the account stays its own: its log prefix, so the trail object and its retention.
    expect(tb).not.toBe(ta);
    expect(ta.retention?.logObjectPrefix).toContain(MEMBERS[0]);
    expect(tb.retention?.logObjectPrefix).toContain(MEMBERS[1]);
  });

  it('a shared fact cannot be changed through one account', () => {
    const facts = accounts(orgWithTrail());
    const [a, b] = [facts.get(MEMBERS[0]!)!, facts.get(MEMBERS[1]!)!];
    expect(() => (a.trails![0]!.regions as string[]).push('ap-south-1')).toThrow(TypeError);
    expect(() => {
      a.trails![0]!.unknown!.changeAlarms = 'changed';
    }).toThrow(TypeError);
    expect(b.trails![0]!.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(b.trails![0]!.unknown?.changeAlarms).toContain('judged on the trail in its owner account');
  });

  it('accounts without any event rule share their event rules and quiet histories; one not read keeps its own reasons', () => {
    const org = orgWithTrail();
    const unread = MEMBERS[2]!;
    delete org.region(unread, 'eu-west-1').detective;
    const facts = accounts(org);
    const [a, b, c] = MEMBERS.map((id) => facts.get(id)!);
    expect(b!.tamperEventRules).toBe(a!.tamperEventRules);
    expect(Object.isFrozen(a!.tamperEventRules)).toBe(true);
    expect(a!.tamperEventRules).toMatchObject({ regions: [] });
    expect(b!.tamperHistory).toBe(a!.tamperHistory);
    expect(a!.tamperHistory).toEqual({ window: { from: WINDOW.start, to: WINDOW.end }, regionsRead: ['eu-west-1', 'us-east-1'], calls: [], complete: true, gaps: [] });
    expect(Object.isFrozen(a!.tamperHistory)).toBe(true);
    // Fail closed: the account whose region was not read has its own facts, with its own reasons.
    expect(c!.tamperEventRules).not.toBe(a!.tamperEventRules);
    expect(c!.tamperEventRules.byRegion['eu-west-1']?.unknown?.actions).toContain(unread);
    expect(c!.tamperHistory).not.toBe(a!.tamperHistory);
    expect(c!.tamperHistory.unknown?.complete).toContain(unread);
    expect(a!.tamperEventRules.byRegion['eu-west-1']?.unknown).toBeUndefined();
    expect(a!.tamperHistory.unknown).toBeUndefined();
  });

  it("the owner's own view of its organization trail is not given the members' reason", () => {
    const owner = accounts(orgWithTrail()).get(MANAGEMENT)!;
    expect(owner.trails![0]!.unknown?.changeAlarms ?? '').not.toContain('judged on the trail in its owner account');
  });

  it("a trail with other unknown facts gives each member its own reasons, in the same order as before", () => {
    const org = orgWithTrail();
    const t = org.account(MANAGEMENT).trailDetails[Object.keys(org.account(MANAGEMENT).trailDetails)[0]!]!;
    t.status = failed(apiError('cloudtrail:GetTrailStatus', 'AccessDenied', 'denied', MANAGEMENT, 'us-east-1'));
    const facts = accounts(org);
    const [a, b] = [facts.get(MEMBERS[0]!)!.trails![0]!, facts.get(MEMBERS[1]!)!.trails![0]!];
    expect(Object.keys(a.unknown!)).toEqual(['latestDeliveryTime', 'latestDeliveryError', 'isLogging', 'changeAlarms']);
    expect(a.unknown!.isLogging).toContain('AccessDenied');
    expect(b.unknown).not.toBe(a.unknown);
    expect(b.unknown).toEqual(a.unknown);
    expect(Object.isFrozen(a.unknown)).toBe(false);
  });

  it("accounts whose data-event coverage names none of their buckets share it; one whose buckets are unknown keeps its reason", () => {
    const notRecorded = accounts(orgWithTrail());
    const [a, b] = [notRecorded.get(MEMBERS[0]!)!, notRecorded.get(MEMBERS[1]!)!];
    expect(a.dataEvents?.unknown).toBeUndefined();
    expect(a.dataEvents?.read).toMatchObject({ status: 'not-covered', allBuckets: false, uncoveredBuckets: [] });
    expect(b.dataEvents?.read).toBe(a.dataEvents?.read);
    expect(b.dataEvents?.write).toBe(a.dataEvents?.write);
    expect(Object.isFrozen(a.dataEvents?.read?.missing)).toBe(true);

    const org = orgWithTrail();
    const details = org.account(MANAGEMENT).trailDetails;
    const arn = Object.keys(details)[0]!;
    details[arn]!.eventSelectors = ok({ EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] });
    org.addBucket(MEMBERS[1]!, { Name: 'customers', region: ok('us-east-1'), tags: ok([]) });
    org.account(MEMBERS[2]!).buckets = failed(apiError('s3:ListBuckets', 'AccessDenied', 'denied', MEMBERS[2]!));
    const recorded = accounts(org);
    const [c, d, e] = MEMBERS.map((id) => recorded.get(id)!);
    expect(c!.dataEvents?.read).toMatchObject({ status: 'covered', allBuckets: true, uncoveredBuckets: [] });
    expect(d!.dataEvents?.read).toBe(c!.dataEvents?.read);
    expect(e!.dataEvents?.read).toBeUndefined();
    expect(e!.dataEvents?.unknown?.read).toContain('AccessDenied');
  });

  it("members' organization-trail retention shares all but the log prefix; a lifecycle rule naming one account's folder keeps the others' their own", () => {
    const withLifecycle = (rules: LifecycleRule[]) => {
      const org = orgWithTrail();
      org.addBucket(MANAGEMENT, { Name: 'central-logs', region: ok('us-east-1'), tags: ok([]), lifecycle: ok(rules), versioning: ok({}), objectLock: absent('ObjectLockConfigurationNotFoundError') });
      return accounts(org);
    };
    const everyone = withLifecycle([{ ID: 'seven-years', Status: 'Enabled', Filter: { Prefix: 'AWSLogs/' }, Expiration: { Days: 2555 } }]);
    const [a, b] = [everyone.get(MEMBERS[0]!)!.trails![0]!.retention!, everyone.get(MEMBERS[1]!)!.trails![0]!.retention!];
    expect(a.logObjectPrefix).toBe(`AWSLogs/${ORG_ID}/${MEMBERS[0]}/CloudTrail/`);
    expect(b.logObjectPrefix).toBe(`AWSLogs/${ORG_ID}/${MEMBERS[1]}/CloudTrail/`);
    expect(b.lifecycleRules).toBe(a.lifecycleRules);
    expect(Object.isFrozen(a.lifecycleRules)).toBe(true);
    expect(Object.isFrozen(a)).toBe(false);
    expect({ ...b, logObjectPrefix: '' }).toEqual({ ...a, logObjectPrefix: '' });
    expect(a.lifecycleRules?.[0]).toMatchObject({ applies: true, coverage: 'all' });

    const one = withLifecycle([{ ID: 'member-30', Status: 'Enabled', Filter: { Prefix: `AWSLogs/${ORG_ID}/${MEMBERS[0]}/` }, Expiration: { Days: 30 } }]);
    const [named, other, third] = MEMBERS.map((id) => one.get(id)!.trails![0]!.retention!);
    expect(named).toMatchObject({ availableDays: 30 });
    expect(other).toMatchObject({ availableDays: null, keptIndefinitely: true });
    expect(other!.lifecycleRules?.[0]?.reason).toContain(other!.logObjectPrefix);
    expect(third!.lifecycleRules?.[0]?.reason).toContain(third!.logObjectPrefix);
    expect(third!.lifecycleRules).not.toBe(other!.lifecycleRules);
  });

  it('sharedFacts and sharedNames: one frozen object per key, built once', () => {
    const org = orgWithTrail().snapshot();
    const index = buildIndex(org.header, org.accounts);
    let builds = 0;
    const first = sharedFacts(index, 'test', 'k', () => ({ n: ++builds, list: [1] }));
    expect(sharedFacts(index, 'test', 'k', () => ({ n: ++builds, list: [2] }))).toBe(first);
    expect(sharedFacts(index, 'other', 'k', () => ({ n: ++builds, list: [3] }))).not.toBe(first);
    expect(builds).toBe(2);
    expect(Object.isFrozen(first.list)).toBe(true);
    const names = ['a', 'b'];
    const shared = sharedNames(index, names);
    expect(shared).toEqual(names);
    expect(shared).not.toBe(names);
    expect(sharedNames(index, ['a', 'b'])).toBe(shared);
    expect(sharedNames(index, ['a b'])).not.toBe(shared);
    expect(Object.isFrozen(shared)).toBe(true);
  });
});

describe('an account\'s region names with the regions it needs', () => {
  it('read from its record are sorted as sort() sorts them, listed in order or not', () => {
    const names = ['us-east-1', 'us-east-2', 'eu-west-1', 'ap-south-1', 'US-east-1', '', 'us-east-1'];
    let seed = 11;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 2000; i++) {
      const regions = Array.from({ length: Math.floor(next() * 6) }, () => names[Math.floor(next() * names.length)]!);
      const listed = next() < 0.5 ? regions.slice().sort() : regions;
      const record = { regions: listed.map((region) => ({ region })) } as unknown as AccountRecord;
      expect(readRegionNames(record)).toEqual(listed.slice().sort());
    }
  });

  it('are the distinct names of both, sorted, for generated lists (duplicates, extras read or not)', () => {
    const names = ['us-east-1', 'us-east-2', 'eu-west-1', 'ap-south-1', 'sa-east-1', 'US-east-1', ''];
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const some = () => Array.from({ length: Math.floor(next() * 5) }, () => names[Math.floor(next() * names.length)]!);
    for (let i = 0; i < 2000; i++) {
      const read = some().sort();
      const extra = some();
      const expected = [...new Set([...read, ...extra])].sort();
      const made = regionNamesWith(read, extra);
      expect(made).toEqual(expected);
      // A list of its own: the caller's sorted names (often shared and frozen) are never handed out.
      expect(made).not.toBe(read);
    }
  });

  it('are the same from a frozen list of names, asked again and again (its set is kept)', () => {
    const lists = [[], ['us-east-1'], ['eu-west-1', 'us-east-1', 'us-east-2'], ['us-east-1', 'us-east-1'], ['', 'a', 'a', 'b']].map((l) => Object.freeze(l));
    const extras = [[], ['us-east-1'], ['us-east-2', 'us-east-1'], ['ap-south-1'], ['a', ''], ['b', 'b', 'c']];
    for (let round = 0; round < 3; round++) {
      for (const read of lists) {
        for (const extra of extras) {
          const made = regionNamesWith(read, extra);
          expect(made).toEqual([...new Set([...read, ...extra])].sort());
          expect(made).not.toBe(read);
        }
      }
    }
  });
});
