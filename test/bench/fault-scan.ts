/**
 * A whole scan of a synthetic organization under injected faults (fault-injection.ts): the real
 * collector through real SDK clients answered by the simulated AWS, the snapshot written to a file,
 * then the real evaluation of every built-in rule. Used by test/unit/fault-injection.test.ts and by
 * `npm run bench` (fault-child.ts).
 */
import { join } from 'node:path';
import { collectToFile } from '../../src/collect/index.ts';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import { evaluateSnapshot } from '../../src/evaluate/pipeline.ts';
import type { ScanResult } from '../../src/contracts/result.ts';
import { loadRules, type LoadedRule } from '../../src/rules/load.ts';
import { openSnapshot } from '../../src/snapshot/read.ts';
import { CallFaults, denyAssumeRole, ISSUE_11_RATES, type FaultRates, type InjectedCallFault, type MalformedShape } from './fault-injection.ts';
import { generateOrg, type SyntheticOrg } from './generate-org.ts';
import { DEFAULT_QUOTAS, SimulatedAws, type Family, type Quota } from './simulated-aws.ts';
import { UNPACED } from '../fixtures/world/unpaced.ts';

export interface FaultScanOptions {
  accounts: number;
  seed: number;
  latencyMs: number;
  /** Attempts per call (config collection.maxAttempts). */
  maxAttempts: number;
  /** Inject malformed answers too (a separate switch: see fault-injection.ts), of these shapes (default all). */
  malformed: boolean;
  shapes?: readonly MalformedShape[];
  /** The regions every account has enabled (a smaller world reads faster); default the generator's. */
  enabledRegions?: string[];
  rates?: FaultRates;
  /** Where the snapshot is written. */
  dir: string;
}

export interface FaultScan {
  org: SyntheticOrg;
  config: TrailproofConfig;
  rules: LoadedRule[];
  /** Member accounts whose AssumeRole was denied by injection. */
  denied: string[];
  injected: InjectedCallFault[];
  snapshotFile: string;
  /** Collection wall time, seconds. */
  collectSeconds: number;
  /** Absent when the collection or evaluation threw: then `aborted` says what it threw. */
  result?: ScanResult;
  aborted?: string;
  /** Evaluation wall time, seconds. */
  evaluateSeconds: number;
}

/** Quotas no collection of this size reaches: the only throttling is the injected one. */
const UNLIMITED: Partial<Record<Family, Partial<Quota>>> = Object.fromEntries(
  Object.keys(DEFAULT_QUOTAS).map((f) => [f, { rate: 1e9, burst: 1e9 }]),
);

/** The organization of a run before any fault is injected: what a fault-free scan would read. */
export function faultFreeOrg(options: Pick<FaultScanOptions, 'accounts' | 'seed' | 'enabledRegions'>): SyntheticOrg {
  const org = generateOrg({ accounts: options.accounts, seed: options.seed });
  if (options.enabledRegions) for (const sim of org.accounts) sim.enabledRegions = [...options.enabledRegions].sort();
  return org;
}

export async function runFaultScan(options: FaultScanOptions): Promise<FaultScan> {
  const rates = options.rates ?? ISSUE_11_RATES;
  const org = faultFreeOrg(options);
  const denied = denyAssumeRole(org, options.seed, rates.assumeRoleDenied);
  const faults = new CallFaults({ seed: options.seed, rates, malformed: options.malformed, ...(options.shapes ? { shapes: options.shapes } : {}) });
  const aws = new SimulatedAws(org, { latencyMs: options.latencyMs, quotas: UNLIMITED, faults });
  const config: TrailproofConfig = { ...DEFAULT_CONFIG, collection: { ...DEFAULT_CONFIG.collection, maxAttempts: options.maxAttempts, callTimeoutMs: 10_000 } };
  const snapshotFile = join(options.dir, `faults-${options.accounts}-${options.seed}.snapshot.jsonl.gz`);
  const rules = await loadRules(config.rules.paths, config);
  const scan: FaultScan = { org, config, rules, denied, injected: [], snapshotFile, collectSeconds: 0, evaluateSeconds: 0 };

  let started = performance.now();
  aws.install();
  try {
    await collectToFile(
      {
        config,
        clientFactory: aws.clientFactory(config.collection.callTimeoutMs),
        now: () => new Date(org.collectedAt),
        progress: () => undefined,
        ...UNPACED,
      },
      snapshotFile,
    );
  } catch (err) {
    scan.aborted = `collection: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    aws.restore();
    scan.injected = faults.list();
    scan.collectSeconds = (performance.now() - started) / 1000;
  }
  if (scan.aborted) return scan;

  started = performance.now();
  try {
    scan.result = await evaluateSnapshot(await openSnapshot(snapshotFile, { validate: 'first-pass' }), { config, rules, workers: 1 });
  } catch (err) {
    scan.aborted = `evaluation: ${err instanceof Error ? err.message : String(err)}`;
  }
  scan.evaluateSeconds = (performance.now() - started) / 1000;
  return scan;
}

/** The figures of a run, by kind and status, for the bench line and the test's failure messages. */
export function faultFigures(scan: FaultScan): Record<string, number | string> {
  const count = (kind: string) => scan.injected.filter((f) => f.kind === kind).length;
  const shapes: Record<string, number> = {};
  for (const f of scan.injected) if (f.shape) shapes[f.shape] = (shapes[f.shape] ?? 0) + 1;
  return {
    accounts: scan.org.accounts.length,
    in_scope: scan.result?.scope.accountIds.length ?? 0,
    assume_role_denied: scan.denied.length,
    throttled_out: count('throttled-out'),
    malformed: count('malformed'),
    ...Object.fromEntries(Object.entries(shapes).sort().map(([shape, n]) => [`malformed_${shape.replace(/-/g, '_')}`, n])),
    verdicts: scan.result?.verdicts.length ?? 0,
    pass: scan.result?.summary.counts.PASS ?? 0,
    fail: scan.result?.summary.counts.FAIL ?? 0,
    error: scan.result?.summary.counts.ERROR ?? 0,
    not_applicable: scan.result?.summary.counts.NOT_APPLICABLE ?? 0,
    collection_errors: scan.result?.errors.length ?? 0,
    exit_code: scan.result?.summary.exitCode ?? `aborted (${scan.aborted})`,
  };
}
