import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCollectFlags } from '../../src/collect/flags.ts';
import { pacingOf } from '../../src/collect/pace.ts';
import { snapshotScope } from '../../src/cli/snapshot-scope.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { SnapshotHeader } from '../../src/snapshot/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'trailproof-detective-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('switching the detective controls off, and the history window', () => {
  it('is on with 90 days by default; --no-detective and --history-days override config.yaml', () => {
    expect(DEFAULT_CONFIG.collection).toMatchObject({ detective: true, historyDays: 90 });
    expect(applyCollectFlags(DEFAULT_CONFIG, { detective: false }).collection.detective).toBe(false);
    expect(applyCollectFlags({ ...DEFAULT_CONFIG, collection: { ...DEFAULT_CONFIG.collection, detective: false } }, { detective: true }).collection.detective).toBe(true);
    // Neither flag given: config.yaml decides.
    expect(applyCollectFlags({ ...DEFAULT_CONFIG, collection: { ...DEFAULT_CONFIG.collection, detective: false } }, {}).collection.detective).toBe(false);
    expect(applyCollectFlags(DEFAULT_CONFIG, { historyDays: '7' }).collection.historyDays).toBe(7);
  });

  it.each(['0', '91', '1.5', 'all'])('--history-days %s is refused with the range', (value) => {
    expect(() => applyCollectFlags(DEFAULT_CONFIG, { historyDays: value })).toThrow(`--history-days must be a whole number from 1 to 90, got "${value}"`);
  });

  it('config.yaml: collection.detective and collection.historyDays are read and checked', () => {
    const ok = join(dir, 'ok.yaml');
    writeFileSync(ok, 'collection:\n  detective: false\n  historyDays: 30\n');
    expect(loadConfig(ok).collection).toMatchObject({ detective: false, historyDays: 30 });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'collection:\n  historyDays: 120\n');
    expect(() => loadConfig(bad)).toThrow(/bad\.yaml.*historyDays/s);
  });

  it('config.yaml: collection.lookupEventsPerSecond paces LookupEvents (default AWS\'s 2 per second), and must be positive', () => {
    expect(DEFAULT_CONFIG.collection.lookupEventsPerSecond).toBe(2);
    expect(loadConfig(join(ROOT, 'config.yaml')).collection.lookupEventsPerSecond).toBe(2);
    const fast = join(dir, 'fast.yaml');
    writeFileSync(fast, 'collection:\n  lookupEventsPerSecond: 50\n');
    expect(pacingOf(loadConfig(fast).collection)).toEqual({ 'cloudtrail:LookupEvents': { ratePerSecond: 50, burst: 1 } });
    const zero = join(dir, 'zero.yaml');
    writeFileSync(zero, 'collection:\n  lookupEventsPerSecond: 0\n');
    expect(() => loadConfig(zero)).toThrow(/zero\.yaml.*lookupEventsPerSecond/s);
  });

  it('with a saved snapshot, both flags are refused: what was read is fixed', () => {
    const header = { accounts: { value: [] }, roots: { value: [] }, organizationalUnits: { value: [] }, scope: { accountIds: [], regions: [], skipped: [] } } as unknown as SnapshotHeader;
    expect(() => snapshotScope(header, { detective: false }, '--snapshot x')).toThrow(/--detective\/--no-detective applies only when collecting/);
    expect(() => snapshotScope(header, { historyDays: 30 }, '--snapshot x')).toThrow(/--history-days applies only when collecting/);
  });
});
