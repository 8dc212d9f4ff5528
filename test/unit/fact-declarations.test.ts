/**
 * The fact declaration is the one description of the facts: the model's output fits it, the
 * generated docs/model.md is up to date, and hand-written test facts are checked against it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { factProblems } from '../../src/model/fact-check.ts';
import { FACT_OBJECTS, FACT_ROOTS, elementType, factObject } from '../../src/model/fact-declarations.ts';
import { renderModelDoc } from '../../src/model/fact-docs.ts';
import { renderFactTypes, typeScriptType } from '../../src/model/fact-typescript.ts';
import { FACT_TYPES_FILE } from '../../scripts/gen-facts.ts';
import { buildIndex, DEFAULT_MODEL_OPTIONS, organizationSubject, subjectsForAccount } from '../../src/model/index.ts';
import { DEMO_SNAPSHOT_FILE } from '../../src/snapshot/demo.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';

describe('fact declaration', () => {
  it('describes every fact the model computes for the demo organization, with its type', async () => {
    const snapshot = await readSnapshotFully(DEMO_SNAPSHOT_FILE);
    const index = buildIndex(snapshot.header, snapshot.accounts, DEFAULT_MODEL_OPTIONS);
    const subjects = [organizationSubject(index), ...snapshot.accounts.flatMap((r) => subjectsForAccount(index, r))];
    const problems = new Set<string>();
    const seen = new Set<string>();
    for (const subject of subjects) {
      for (const root of FACT_ROOTS) {
        const value = (subject.activation as Record<string, unknown>)[root.name];
        if (value === undefined) continue;
        seen.add(root.name);
        for (const p of factProblems(value, root.type, [root.name], true)) problems.add(`${p.path.map((s) => (typeof s === 'number' ? '*' : s)).join('.')}: ${p.message}`);
      }
    }
    expect([...problems].sort()).toEqual([]);
    expect([...seen].sort()).toEqual(['account', 'bucket', 'organization', 'trail']);
  });

  it('declares every type it refers to, each once', () => {
    const names = FACT_OBJECTS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    const scalar = new Set(['string', 'bool', 'int', 'double', 'dyn']);
    const undeclared: string[] = [];
    for (const object of FACT_OBJECTS) {
      for (const field of object.fields) {
        let type = field.type;
        for (let e = elementType(type); e !== undefined; e = elementType(type)) type = e;
        if (!scalar.has(type) && !factObject(type)) undeclared.push(`${object.name}.${field.name}: ${type}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('docs/model.md is generated from it and up to date', () => {
    const page = readFileSync(new URL('../../docs/model.md', import.meta.url), 'utf8');
    expect(page === renderModelDoc(), 'run `npm run docs:model` to regenerate docs/model.md').toBe(true);
    expect(page).toContain('| `logFileValidation` | bool | can be | log file integrity digests are written |');
  });

  it('the TypeScript interfaces the model computes into are generated from it and up to date', () => {
    const text = readFileSync(FACT_TYPES_FILE, 'utf8');
    expect(text === renderFactTypes(), 'run `npm run gen:facts` to regenerate src/model/fact-types.generated.ts').toBe(true);
    // Unknowable: optional; nullable: `| null`; an object with unknowns has the map; lists and maps are typed.
    expect(text).toContain('  kmsKeyId?: string | null;\n');
    expect(text).toContain('  arn: string;\n');
    expect(text).toContain('  firstProblem: IntegrityProblemFacts | null;\n');
    expect(text).toMatch(/export interface TrailFacts \{[^}]*\n  unknown\?: UnknownReasons;\n\}/);
    expect(text).not.toMatch(/export interface ObjectLockFacts \{[^}]*unknown\?/);
  });

  it('types lists, maps and nested collections as TypeScript does', () => {
    expect(typeScriptType('list<Trail>')).toBe('TrailFacts[]');
    expect(typeScriptType('map<string, ScpAction>')).toBe('Record<string, ScpActionFacts>');
    expect(typeScriptType('map<string, list<int>>')).toBe('Record<string, number[]>');
    expect(typeScriptType('list<map<string, bool>>')).toBe('Record<string, boolean>[]');
    expect(typeScriptType('double')).toBe('number');
    expect(typeScriptType('dyn')).toBe('unknown');
  });

  it('finds a misspelt fact, a wrong type and a misspelt unknown reason in hand-written facts', () => {
    const account = {
      id: '222222222222',
      trails: [{ arn: 'a', isLoging: true, logFileValidation: 'yes', kmsKeyId: null }],
      unknown: { trailz: 'denied' },
    };
    expect(factProblems(account, 'Account', ['account'])).toEqual([
      { path: ['account', 'trails', 0, 'isLoging'], message: 'no such fact "isLoging" in Trail; did you mean "isLogging"?' },
      { path: ['account', 'trails', 0, 'logFileValidation'], message: 'expected a bool, got string "yes"' },
      { path: ['account', 'unknown', 'trailz'], message: '"trailz" is not a fact of Account that can be unknown; did you mean "trails"?' },
    ]);
    // A known absence is null only where the declaration allows it.
    expect(factProblems({ arn: 'a', name: null }, 'Trail')).toEqual([{ path: ['name'], message: 'expected a string, got null' }]);
  });
});
