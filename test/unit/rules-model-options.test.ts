/**
 * What the model is asked to compute (src/rules/model-options.ts): the defaults, plus the actions
 * listed in the parameter a rule names under `model`, never those of another parameter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.ts';
import type { TrailproofConfig } from '../../src/config/types.ts';
import { DEFAULT_MODEL_OPTIONS } from '../../src/model/index.ts';
import { loadRules } from '../../src/rules/load.ts';
import { modelOptions } from '../../src/rules/model-options.ts';

function ruleDir(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-model-options-'));
  writeFileSync(join(dir, 'r.yaml'), ['id: r', 'title: t', 'severity: low', 'resource: account', 'remediation: r', ...lines, 'validations:', '  - expression: "true"', ''].join('\n'));
  return dir;
}

describe('modelOptions', () => {
  it('is the defaults and the config PII settings for a rule without a model section, whatever its parameters are called', async () => {
    // A parameter may be called `undefined`: it is still not asked for unless the model section names it.
    const dir = ruleDir(['params:', '  undefined: { type: array, items: { type: string }, default: ["cloudtrail:DeleteEventDataStore"], description: d }']);
    const config: TrailproofConfig = { ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml' };
    const options = modelOptions(config, await loadRules([dir], config));
    expect(options.scpActions).toEqual([...DEFAULT_MODEL_OPTIONS.scpActions].sort());
    expect(options.tamperActions).toEqual([...DEFAULT_MODEL_OPTIONS.tamperActions].sort());
    expect(options.pii).toBe(config.pii);
  });

  it('adds the actions of the named parameter once each, sorted, with the value config.yaml gives', async () => {
    const dir = ruleDir(['params:', '  acts: { type: array, items: { type: string }, default: ["cloudtrail:StopLogging"], description: d }', 'model:', '  scpActionsParam: acts']);
    const config: TrailproofConfig = { ...structuredClone(DEFAULT_CONFIG), source: 'config.yaml' };
    config.rules.params = { r: { acts: ['s3:DeleteBucket', 'cloudtrail:StopLogging', 'a:B'] } };
    const options = modelOptions(config, await loadRules([dir], config));
    expect(options.scpActions).toEqual(['a:B', 'cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail', 's3:DeleteBucket']);
    expect(options.tamperActions).toEqual([...DEFAULT_MODEL_OPTIONS.tamperActions].sort());
  });
});
