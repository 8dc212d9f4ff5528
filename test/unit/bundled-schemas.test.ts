/**
 * The schemas trailproof compiles at start-up without Ajv's meta-schema check (rule files and
 * config.yaml: src/rules/load/parse.ts, src/config/load.ts) are checked against it here instead.
 */
import { readFileSync } from 'node:fs';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';

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
