/**
 * The package layout, and the one evaluation both `evidence pack` and `evidence verify` run over
 * it. Pack stages its inputs into this layout and evaluates the staged copies; verify extracts a
 * package into the same layout and runs the same function: the reports can only agree if the
 * packed files alone determine them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { TrailproofConfig } from '../config/types.ts';
import { loadConfig, mergeConfig } from '../config/load.ts';
import { evaluateSnapshot } from '../evaluate/pipeline.ts';
import { chunksToBuffer, formatterFiles, formatterFor } from '../report/registry.ts';
import { sortKeysDeep, stableJson } from '../report/canonical.ts';
import { loadRules, type LoadedRule } from '../rules/load.ts';
import type { ScanResult } from '../contracts/result.ts';
import { openSnapshot } from '../snapshot/read.ts';
import { UserError } from '../shared/errors.ts';
import type { ArchiveEntry } from './archive.ts';
import type { EvidenceInputs } from './manifest.ts';

export const RULES_DIR = 'rules';
export const REPORTS_DIR = 'reports';
export const SNAPSHOT_DIR = 'snapshot';
export const CONFIG_DIR = 'config';
export const EFFECTIVE_CONFIG_FILE = 'effective-config.json';
export const PUBLIC_KEY_FILE = 'signer.pub.pem';

export interface LayoutFiles {
  /** Package-relative paths. */
  snapshot: string;
  config?: string;
}

export interface LayoutEvaluation {
  result: ScanResult;
  rules: LoadedRule[];
  /** Package path → bytes: every report and the effective config. */
  outputs: Map<string, Buffer>;
}

/** Evaluates the files under `root` (a staged or extracted package) as `inputs` say. */
export async function evaluateLayout(root: string, files: LayoutFiles, inputs: EvidenceInputs): Promise<LayoutEvaluation> {
  const loaded = files.config ? loadConfig(join(root, files.config)) : mergeConfig({}, '(defaults)');
  const config = effectiveConfig(loaded, files, inputs);
  const rules = (await loadRules([join(root, RULES_DIR)], config)).map(packedRuleSource);
  const source = await openSnapshot(join(root, files.snapshot));
  const result = await evaluateSnapshot(source, { config, rules, ...(inputs.asOf ? { asOf: inputs.asOf } : {}) });
  const outputs = new Map<string, Buffer>();
  outputs.set(EFFECTIVE_CONFIG_FILE, Buffer.from(stableJson(sortKeysDeep(config)), 'utf8'));
  // Each report as `trailproof evaluate` writes it (a large organization's HTML is its summary and
  // pages), built from chunks: no report is ever one string, however large.
  for (const name of inputs.formats) {
    for (const file of formatterFiles(formatterFor(name), result, { sarifIncludeSuppressed: config.output.sarifIncludeSuppressed })) {
      outputs.set(`${REPORTS_DIR}/${file.path}`, chunksToBuffer(file.chunks));
    }
  }
  return { result, rules, outputs };
}

/**
 * The config the packed evaluation used, with every path a package path: where it came from, the
 * packed rules, the packed reports. Flags recorded in the manifest override the file, as on `scan`.
 */
function effectiveConfig(loaded: TrailproofConfig, files: LayoutFiles, inputs: EvidenceInputs): TrailproofConfig {
  return {
    ...loaded,
    source: files.config ?? '(defaults)',
    rules: { ...loaded.rules, paths: [RULES_DIR] },
    output: {
      ...loaded.output,
      dir: REPORTS_DIR,
      formats: [...inputs.formats],
      failOn: inputs.failOn,
      sarifIncludeSuppressed: inputs.sarifIncludeSuppressed,
    },
  };
}

/**
 * Reports name a rule by its file; inside a package that is rules/<id>.yaml wherever it was
 * extracted, so a package verifies the same on any machine and from any working directory.
 */
function packedRuleSource(rule: LoadedRule): LoadedRule {
  return { ...rule, meta: { ...rule.meta, source: `${RULES_DIR}/${basename(rule.file)}` } };
}

/** Writes the entries under a fresh temporary folder, runs `use` on it, and removes it. */
export async function withStagedLayout<T>(entries: ArchiveEntry[], use: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(join(tmpdir(), 'trailproof-evidence-'));
  try {
    for (const e of entries) {
      const target = join(root, e.path);
      try {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, e.data);
      } catch (err) {
        // A package holding both "rules" and "rules/x.yaml" cannot be laid out on disk.
        throw new UserError(`${e.path}: cannot be extracted: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    }
    return await use(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
