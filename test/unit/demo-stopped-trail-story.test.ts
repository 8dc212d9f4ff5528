import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_COLLECTED_AT, ORG_TRAIL_ARN } from '../../examples/demo/world.ts';
import { ORG_TRAIL_STOPPED_AT } from '../../examples/demo/stopped-organization-trail.ts';
import { trailArn } from '../../examples/demo/draft.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.ts';
import { readFileSync } from 'node:fs';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';

/** The committed demo snapshot (demo-snapshot.test.ts checks it is what the collector records from the demo World). */
const DEMO = await readSnapshotFully(DEMO_SNAPSHOT_FILE);

const [multiRegion] = await loadRules([`${BUILTIN_RULES_DIR}cloudtrail-multi-region.yaml`], structuredClone(DEFAULT_CONFIG));
const WEB_DEV_TRAIL = trailArn('us-east-1', DEMO_ACCOUNTS.webDev, 'web-dev-trail');

/** cloudtrail-multi-region's verdicts on the demo, by account id (built per test, for mutation testing). */
function verdictsByAccount() {
  const snapshot = structuredClone(DEMO);
  const index = buildIndex(snapshot.header, snapshot.accounts);
  const subjects = snapshot.accounts.flatMap((r) => subjectsForAccount(index, r)).filter((s) => s.resource.type === 'account');
  return new Map(subjects.map((s) => multiRegion!.evaluate(s)).map((v) => [v.resource.accountId, v]));
}

describe('the demo tells the stopped-trail story the README promises', () => {
  it('the organization trail stopped logging shortly before the collection', () => {
    const management = structuredClone(DEMO).accounts.find((r) => r.accountId === DEMO_ACCOUNTS.management)!;
    const status = management.trailDetails[ORG_TRAIL_ARN]!.status.value!;
    expect(status.IsLogging).toBe(false);
    expect(status.StopLoggingTime).toBe(ORG_TRAIL_STOPPED_AT);
    expect(Date.parse(ORG_TRAIL_STOPPED_AT)).toBeLessThan(Date.parse(DEMO_COLLECTED_AT));
    expect(Date.parse(status.LatestDeliveryTime!)).toBeLessThan(Date.parse(ORG_TRAIL_STOPPED_AT));
  });

  it('web-dev, whose own multi-region trail is stopped too, fails cloudtrail-multi-region naming both stopped trails', () => {
    const webDev = verdictsByAccount().get(DEMO_ACCOUNTS.webDev)!;
    expect(webDev.status).toBe('FAIL');
    expect(webDev.message).toContain('missing: read and write');
    expect(webDev.message).toContain(`stopped: ${ORG_TRAIL_ARN}, ${WEB_DEV_TRAIL}`);
  });

  it('an account that relied on the organization trail alone fails naming it; the one with its own logging trails passes', () => {
    const verdicts = verdictsByAccount();
    const network = verdicts.get(DEMO_ACCOUNTS.network)!;
    expect(network.status).toBe('FAIL');
    expect(network.message).toContain(`stopped: ${ORG_TRAIL_ARN}`);
    expect(network.message).not.toContain(WEB_DEV_TRAIL);
    expect(verdicts.get(DEMO_ACCOUNTS.analyticsDev)!.status).toBe('PASS');
    const statuses = [...verdicts.values()].map((v) => v.status);
    expect(statuses.filter((s) => s === 'FAIL')).toHaveLength(9);
    expect(statuses.filter((s) => s === 'ERROR')).toHaveLength(2);
  });
});

describe('the README sentence about the demo', () => {
  it('gives the figures the demo scan shows', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const totals = /\((\d+) verdicts: (\d+) PASS, (\d+) FAIL, (\d+) ERROR, (\d+) NOT_APPLICABLE\)/.exec(readme);
    const multiRegion = /`cloudtrail-multi-region` fails in (\d+) of the (\d+) accounts/.exec(readme);
    expect(totals, 'README: "(N verdicts: N PASS, N FAIL, N ERROR, N NOT_APPLICABLE)"').not.toBeNull();
    expect(multiRegion, 'README: "`cloudtrail-multi-region` fails in N of the N accounts"').not.toBeNull();

    const rules = await loadRules(DEFAULT_CONFIG.rules.paths, DEFAULT_CONFIG);
    const result = await evaluateSnapshot(await openSnapshot(DEMO_SNAPSHOT_FILE), { config: DEFAULT_CONFIG, rules, workers: 1 });
    const { PASS, FAIL, ERROR, NOT_APPLICABLE } = result.summary.counts;
    expect(totals!.slice(1).map(Number)).toEqual([result.verdicts.length, PASS, FAIL, ERROR, NOT_APPLICABLE]);
    const accountVerdicts = [...result.verdicts].filter((v) => v.ruleId === 'cloudtrail-multi-region');
    expect(multiRegion!.slice(1).map(Number)).toEqual([accountVerdicts.filter((v) => v.status === 'FAIL').length, accountVerdicts.length]);
  }, 60_000);
});
