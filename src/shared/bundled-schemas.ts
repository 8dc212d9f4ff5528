/**
 * Validators of our own schemas that every run needs (rule files, config.yaml). `npm run build`
 * compiles them ahead of time into dist/validators/ (Ajv standalone code, written by
 * scripts/build-validators.mjs), so the CLI starts without loading Ajv's compiler for them; run
 * from sources (tsx), they are compiled here on first use, with the same options. Either way
 * Ajv's meta-schema check is left out: test/unit/bundled-schemas.test.ts does it once.
 */
import { createRequire } from 'node:module';
import type AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);

/** Each schema in schemas/<name>.schema.json, and whether it uses `format` (ajv-formats). */
const USES_FORMATS = { rule: true, config: false, 'rule-test': false, 'framework-pack': false } as const;
export type BundledSchema = keyof typeof USES_FORMATS;
export const BUNDLED_SCHEMAS = Object.keys(USES_FORMATS) as BundledSchema[];

const validators = new Map<BundledSchema, ValidateFunction>();

export function bundledSchemaValidator(name: BundledSchema): ValidateFunction {
  let validate = validators.get(name);
  if (!validate) validators.set(name, (validate = precompiled(name) ?? compileBundledSchema(name).validate));
  return validate;
}

/** The build's validator, or undefined when running from sources (there is no src/validators/). */
function precompiled(name: BundledSchema): ValidateFunction | undefined {
  const file = `../validators/${name}.schema.cjs`;
  try {
    return require(file) as ValidateFunction;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes(`${name}.schema.cjs`)) return undefined;
    throw err;
  }
}

/** Compiles at run time; with `forStandalone`, keeps the generated code for standaloneValidatorCode. */
export function compileBundledSchema(name: BundledSchema, forStandalone = false): { ajv: InstanceType<typeof AjvModule.default>; validate: ValidateFunction } {
  const ajvModule = require('ajv') as typeof AjvModule;
  const formats = USES_FORMATS[name];
  const code = forStandalone ? { code: { source: true, ...(formats ? { formats: ajvModule._`require("ajv-formats/dist/formats").fullFormats` } : {}) } } : {};
  const ajv = new ajvModule.default({ allErrors: true, strict: false, validateSchema: false, ...code });
  if (formats) (require('ajv-formats') as typeof import('ajv-formats')).default(ajv);
  return { ajv, validate: ajv.compile(require(`../../schemas/${name}.schema.json`) as object) };
}

/** The CommonJS module `npm run build` writes to dist/validators/<name>.schema.cjs. */
export function standaloneValidatorCode(name: BundledSchema): string {
  const { ajv, validate } = compileBundledSchema(name, true);
  const standalone = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js');
  return standalone.default(ajv, validate);
}
