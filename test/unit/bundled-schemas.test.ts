/**
 * The schemas trailproof compiles without Ajv's meta-schema check (rule files and config.yaml,
 * src/shared/bundled-schemas.ts) are checked against it here instead; and the validators the
 * build writes ahead of time judge exactly as the ones compiled at run time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BUNDLED_SCHEMAS, compileBundledSchema, standaloneValidatorCode, type BundledSchema } from '../../src/shared/bundled-schemas.ts';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schemaOf = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function metaSchemaErrors(schema: object): unknown[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.validateSchema(schema) ? [] : (ajv.errors ?? [{ message: 'invalid' }]);
}

describe('schemas compiled without the meta-schema check at start-up', () => {
  for (const name of ['rule.schema.json', 'config.schema.json']) {
    it(`${name} is a valid draft-07 JSON Schema`, () => {
      const schema = schemaOf(name);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(metaSchemaErrors(schema)).toEqual([]);
    });
  }

  it('the check itself catches a malformed schema (a type that is not a JSON type)', () => {
    const broken = { ...schemaOf('config.schema.json'), type: 'dictionary' };
    expect(metaSchemaErrors(broken)).not.toEqual([]);
  });
});

/** Loads standalone code as dist/validators/<name>.schema.cjs is loaded: a CommonJS module requiring ajv's runtime from the project. */
function loadStandalone(name: BundledSchema): ValidateFunction {
  const module = { exports: {} as unknown };
  new Function('require', 'module', 'exports', standaloneValidatorCode(name))(createRequire(import.meta.url), module, module.exports);
  return module.exports as ValidateFunction;
}

const ruleFiles = readdirSync(new URL('../../rules/', import.meta.url)).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
const rule = (f: string) => parseYaml(readFileSync(new URL(`../../rules/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const testFiles = readdirSync(new URL('../../rules/', import.meta.url)).filter((f) => f.endsWith('.test.yaml'));
const ruleTest = (f: string) => parseYaml(readFileSync(new URL(`../../rules/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const packFiles = readdirSync(new URL('../../frameworks/', import.meta.url)).filter((f) => f.endsWith('.yaml'));
const pack = (f: string) => parseYaml(readFileSync(new URL(`../../frameworks/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const shippedConfig = parseYaml(readFileSync(new URL('../../config.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
const SAMPLES: Record<BundledSchema, unknown[]> = {
  rule: [
    ...ruleFiles.map(rule),
    { ...rule(ruleFiles[0]!), severity: 'urgent' },
    { ...rule(ruleFiles[0]!), helpUri: 'not a uri' },
    { ...rule(ruleFiles[0]!), helpUri: 'https://example.com/rules/x' },
    { ...rule(ruleFiles[0]!), surprise: true, validations: [] },
    { ...rule(ruleFiles[1]!), id: 'Bad Id', title: undefined },
    { ...rule(ruleFiles[2]!), params: { x: { type: 'map', default: 1 } } },
  ],
  config: [
    shippedConfig,
    {},
    { ...shippedConfig, surprise: 1 },
    { rules: { disabled: 'all' } },
    { collection: { concurrency: -1 }, exceptions: [{ rule: 'x' }] },
  ],
  'rule-test': [
    ...testFiles.map(ruleTest),
    {},
    { ...ruleTest(testFiles[0]!), cases: 'none' },
    { ...ruleTest(testFiles[0]!), surprise: true },
  ],
  'framework-pack': [
    ...packFiles.map(pack),
    { ...pack(packFiles[0]!), controls: [] },
    { ...pack(packFiles[0]!), controls: [{ id: '1.1', title: 'both', rules: ['a'], manual: 'check' }] },
    { ...pack(packFiles[0]!), controls: [{ id: '1.1', title: 'neither' }] },
  ],
};

describe('validators written by the build (Ajv standalone code)', () => {
  for (const name of BUNDLED_SCHEMAS) {
    it(`${name}: the same verdicts and errors as compiling at run time, on valid and invalid documents`, () => {
      const atRunTime = compileBundledSchema(name).validate;
      const ahead = loadStandalone(name);
      const verdicts = SAMPLES[name].map((doc) => {
        const json = JSON.parse(JSON.stringify(doc)) as unknown;
        const expected = { valid: atRunTime(json), errors: atRunTime.errors ?? null };
        expect({ valid: ahead(json), errors: ahead.errors ?? null }).toEqual(expected);
        return expected.valid;
      });
      // The samples exercise both outcomes: the comparison is not between two validators that accept everything.
      expect(verdicts).toContain(true);
      expect(verdicts).toContain(false);
    });
  }
});
