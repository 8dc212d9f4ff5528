/**
 * The snapshot validators the build compiles ahead of time (dist/validators/snapshot.cjs, written
 * from snapshotValidatorCode) judge every line exactly as the ones compiled at run time: the same
 * verdict and the same errors, so the messages a user reads do not depend on how trailproof runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { resolveSameAsReferences } from '../../src/snapshot/same-as.ts';
import { compileSnapshotSchema, pathFreeValidatorCode, snapshotValidatorCode } from '../../src/snapshot/schema.ts';
import { prng } from '../bench/generate-org.ts';

/** Loads the code as the build's CommonJS module is loaded, requiring ajv's runtime from the project. */
type Accepts = (value: unknown) => boolean;

type Kind = 'header' | 'record' | 'line';

function loadStandalone(): Record<Kind, ValidateFunction> & { accepts: Record<Kind, Accepts> } {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', snapshotValidatorCode())(createRequire(import.meta.url), module, module.exports);
  return module.exports as Record<Kind, ValidateFunction> & { accepts: Record<Kind, Accepts> };
}

const [headerLine, ...recordLines] = readFileSync(DEMO_SNAPSHOT_FILE, 'utf8').split('\n').filter((l) => l.trim() !== '');
const header = JSON.parse(headerLine!) as Record<string, unknown>;
// The demo's lines as written (version 2, with references) and as read (resolved).
const lines = recordLines.map((l) => JSON.parse(l) as Record<string, unknown>);
const records = recordLines.map((l) => {
  const value = JSON.parse(l) as Record<string, unknown>;
  resolveSameAsReferences(value, false);
  return value;
});
const record = records[0]!;
const region = (record.regions as Record<string, unknown>[])[0]!;

const HEADERS: unknown[] = [header, { ...header, collectedAt: 'yesterday' }, { ...header, scope: undefined }, { ...header, surprise: 1 }, { ...header, version: 'one' }, [], null];
const RECORDS: unknown[] = [
  ...records,
  { ...record, accountId: 12 },
  { ...record, regions: undefined },
  { ...record, surprise: true },
  { ...record, regions: [{ ...region, region: 7 }] },
  { ...record, regions: [{ ...region, trails: { value: null } }] },
  { ...record, regions: [{ ...region, trails: { error: { code: 'AccessDenied' } } }] },
  // minLength 1 on a name: empty, and one character outside the BMP (two UTF-16 units).
  { ...record, regions: [{ ...region, region: '' }] },
  'not an object',
];
const withReference = lines.find((l) => JSON.stringify(l).includes('"$sameAs"'))!;
const [firstRegion, secondRegion] = withReference.regions as Record<string, unknown>[];
const withSecond = (changed: Record<string, unknown>) => ({ ...withReference, regions: [firstRegion, { ...secondRegion, ...changed }] });
/** Version 2's lines as written: the demo's (with references), and references the schema refuses. */
const LINES: unknown[] = [
  ...lines,
  withSecond({ trails: { $sameAs: 5 } }),
  withSecond({ trails: { $sameAs: '' } }),
  withSecond({ trails: { $sameAs: firstRegion!.region, value: [] } }),
  withSecond({ region: { $sameAs: firstRegion!.region } }),
  withSecond({ detective: { tamperHistory: { $sameAs: 3 } } }),
  { ...withReference, buckets: { $sameAs: firstRegion!.region } },
];
/** Valid lines whose strings under `minLength: 1` are a single astral character, and map keys that JSON Pointers escape. */
const ODD_VALID: unknown[] = [
  { ...record, regions: [{ ...region, region: '\u{1F600}' }] },
  { ...record, regions: [{ ...region, detective: { metricFilters: { 'a/b~c': { value: [] } } } }] },
];

describe('snapshot validators compiled by the build', () => {
  it('judge header and account lines as the run-time ones do, errors included', () => {
    const standalone = loadStandalone();
    const { validators } = compileSnapshotSchema();
    let failures = 0;
    for (const [kind, samples] of [['header', HEADERS], ['record', RECORDS], ['line', LINES]] as const) {
      for (const sample of samples) {
        const expected = validators[kind](sample);
        expect(standalone[kind](sample), `${kind} ${JSON.stringify(sample)?.slice(0, 80)}`).toBe(expected);
        expect(standalone[kind].errors ?? null).toEqual(validators[kind].errors ?? null);
        if (!expected) failures++;
      }
    }
    // The samples exercise both outcomes: valid demo lines and every broken variant.
    expect(failures).toBe(HEADERS.length - 1 + RECORDS.length - records.length + LINES.length - lines.length);
    expect(lines.some((l) => !validators.record(l))).toBe(true); // the demo's references are format 2's only
  });

  it('accept a line without paths (accepts) exactly when `header`, `record` or `line` does', () => {
    const standalone = loadStandalone();
    for (const sample of HEADERS) expect(standalone.accepts.header(sample), JSON.stringify(sample)?.slice(0, 80)).toBe(standalone.header(sample));
    for (const sample of [...RECORDS, ...ODD_VALID]) {
      expect(standalone.accepts.record(sample), JSON.stringify(sample)?.slice(0, 80)).toBe(standalone.record(sample));
    }
    for (const sample of LINES) expect(standalone.accepts.line(sample), JSON.stringify(sample)?.slice(0, 80)).toBe(standalone.line(sample));
    for (const sample of ODD_VALID) expect(standalone.record(sample), JSON.stringify(sample)?.slice(0, 120)).toBe(true);
  });

  it('accept exactly what the full validators accept, on lines broken anywhere (seeded mutations of the demo)', () => {
    const standalone = loadStandalone();
    const random = prng(16022);
    const REPLACEMENTS: unknown[] = [
      null, 0, -1, '', 'x', true, [], {}, [{}], { value: null }, { value: [] }, { value: null, absent: 'NoSuchThing' }, { absent: 'NoSuchThing' },
      { error: { operation: 'x:Y', code: 'AccessDenied' } }, { error: { code: 'AccessDenied' } }, { value: null, error: { operation: 'x:Y', code: 'E' } },
      { answer: 1 }, { $sameAs: 'us-east-1' }, { $sameAs: '' }, '2026-11-02T09:00:00.000Z', 'yesterday',
    ];
    let refused = 0;
    let accepted = 0;
    for (let round = 0; round < 1500; round++) {
      const kind = round % 2 === 0 ? 'line' : 'record';
      const samples = kind === 'line' ? lines : records;
      const sample = structuredClone(samples[Math.floor(random() * samples.length)]!);
      for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) mutate(sample, random, REPLACEMENTS);
      const expected = standalone[kind](sample);
      expect(standalone.accepts[kind](sample), `${kind} round ${round}`).toBe(expected);
      if (expected) accepted++;
      else refused++;
    }
    // Both outcomes are exercised, broken lines the more.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(500);
  });

  it('keep no list of errors and make no options object on the way to a valid record (pathFreeValidatorCode)', () => {
    const code = pathFreeValidatorCode(snapshotValidatorCode());
    expect(code).toMatch(/errors\+\+;/);
    expect(code).not.toMatch(/vErrors = \[|vErrors\.push\(|vErrors\.concat\(/);
    // Every call into another schema's function passes the one shared options object.
    expect(code).not.toMatch(/parentData:/);
  });

  it('build no JSON path and count no characters on the way to a valid record (pathFreeValidatorCode)', () => {
    const code = pathFreeValidatorCode(snapshotValidatorCode());
    // Calls into another schema's function pass "" instead of building the member's path...
    expect(code).toMatch(/validate\d+\([\w[\]]+, noPathCallOptions\)/);
    expect(code).not.toMatch(/\{instancePath:instancePath[^{}]*,parentData:/);
    // ...and minLength 1 is decided by `length`, not by ajv's ucs2length walk.
    expect(code).not.toMatch(/func\d+\(\w+\) < 1\)/);
    expect(code).toMatch(/\w+\.length < 1\)/);
  });
});


/** Replaces, deletes or adds one member somewhere in `value` (a parsed line), chosen by `random`. */
function mutate(value: unknown, random: () => number, replacements: readonly unknown[]): void {
  const places: [Record<string, unknown> | unknown[], string | number][] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach((child, i) => (places.push([node, i]), visit(child)));
    else if (node && typeof node === 'object') for (const [key, child] of Object.entries(node)) (places.push([node as Record<string, unknown>, key]), visit(child));
  };
  visit(value);
  const [parent, key] = places[Math.floor(random() * places.length)]!;
  const replacement = structuredClone(replacements[Math.floor(random() * replacements.length)]);
  const choice = random();
  if (choice < 0.15 && !Array.isArray(parent)) delete parent[key as string];
  else if (choice < 0.25 && !Array.isArray(parent)) parent[random() < 0.5 ? 'value' : 'error'] = replacement;
  else (parent as Record<string | number, unknown>)[key] = replacement;
}
