import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../examples/demo/world.ts';
import { PII_ORG_TRAIL_ARN } from '../../examples/demo/pii-buckets.ts';
import { buildIndex, subjectsForAccount } from '../../src/model/index.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.ts';
import { trailArn } from '../../examples/demo/draft.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';

/** The committed demo snapshot (demo-snapshot.test.ts checks it is what the collector records from the demo World). */
const DEMO = await readSnapshotFully(DEMO_SNAPSHOT_FILE);

const [rule] = await loadRules([`${BUILTIN_RULES_DIR}s3-pii-data-events.yaml`], structuredClone(DEFAULT_CONFIG));

/**
 * The rule's verdicts on the demo organization, by bucket name. Built inside each test, not at
 * load time, so mutation testing (`npm run mutate`) sees which test reaches which model code.
 */
function verdictsByBucket() {
  const snapshot = structuredClone(DEMO);
  const index = buildIndex(snapshot.header, snapshot.accounts);
  const subjects = snapshot.accounts.flatMap((r) => subjectsForAccount(index, r));
  const verdicts = subjects.filter((s) => s.resource.type === 'bucket').map((s) => rule!.evaluate(s));
  return new Map(verdicts.map((v) => [v.resource.name, v]));
}

describe('the demo PII buckets', () => {
  it('get one verdict each, and untagged buckets none', () => {
    expect([...verdictsByBucket().keys()].sort()).toEqual([
      `(buckets of ${DEMO_ACCOUNTS.sandboxBob})`,
      'acme-analytics-customer-events',
      'acme-data-customer',
      'acme-data-customer-profiles',
      'acme-data-lake-raw',
      'acme-hr-payroll',
      'acme-payments-settlement-files',
    ]);
  });

  it.each([
    ['acme-data-customer-profiles', trailArn('eu-west-1', DEMO_ACCOUNTS.dataProd, 'data-prod-trail'), 'classic'],
    ['acme-payments-settlement-files', trailArn('us-east-1', DEMO_ACCOUNTS.paymentsProd, 'payments-audit-trail'), 'advanced'],
    ['acme-hr-payroll', PII_ORG_TRAIL_ARN, 'advanced'],
  ])('%s passes, naming the trail and selector that record it', (bucket, trail, selectorType) => {
    const v = verdictsByBucket().get(bucket)!;
    expect(v.status).toBe('PASS');
    expect(v.evidence).toMatchObject({ read: { recordedBy: [{ source: trail, selector: 0, selectorType }] }, write: { recordedBy: [{ source: trail }] } });
  });

  it.each([
    ['acme-analytics-customer-events', 'object reads are not recorded'],
    ['acme-data-lake-raw', 'except arn:aws:s3:::acme-data-lake-raw/customers/*'],
    ['acme-data-customer', 'object reads are not recorded; object writes are not recorded'],
  ])('%s fails: %s', (bucket, message) => {
    const v = verdictsByBucket().get(bucket)!;
    expect(v.status).toBe('FAIL');
    expect(v.message).toContain(message);
  });

  it('is an ERROR for the account that could not be entered', () => {
    expect(verdictsByBucket().get(`(buckets of ${DEMO_ACCOUNTS.sandboxBob})`)?.status).toBe('ERROR');
  });
});
