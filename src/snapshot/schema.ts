/**
 * Validation of snapshot lines against the published schema (schemas/snapshot-v2.schema.json),
 * with errors worded for a person: "JSON path: what was expected". `npm run build` compiles the
 * validators ahead of time (dist/validators/snapshot.cjs, as src/shared/bundled-schemas.ts does
 * for our other schemas): compiling them took a third of a second of every evaluation. Run from
 * sources, they are compiled once per process, with the same options.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { _, Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import addFormatsModule from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { canonicalDateTimeFirst } from './date-time-format.ts';
import { SNAPSHOT_SCHEMA_FILE, SNAPSHOT_SCHEMA_ID } from './schema-source.ts';
import type { LineProblem } from './line-problem.ts';
import { referenceOnPath, resolveSameAsReferences } from './same-as.ts';
import { SAME_AS } from './schema/same-as.ts';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SUPPORTED_SNAPSHOT_VERSIONS } from './format.ts';

export { SNAPSHOT_SCHEMA_FILE } from './schema-source.ts';

// ajv-formats is CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

interface Validators {
  header: ValidateFunction;
  /** An account line as readers give it (no reference): version 1's lines, and version 2's once resolved. */
  record: ValidateFunction;
  /** An account line of version 2 as written (references at their positions, schema/same-as.ts). */
  line: ValidateFunction;
  /**
   * Whether `header`, `record` and `line` accept a value, without the JSON paths their errors would
   * name: the build's copy of them rewritten by pathFreeValidatorCode (at run time, they
   * themselves). A line refused here goes to `header` or `record` for the error a user reads (a
   * version-2 line once its references are resolved).
   */
  accepts: { header: (value: unknown) => boolean; record: (value: unknown) => boolean; line: (value: unknown) => boolean };
}

let compiled: Validators | undefined;
const require = createRequire(import.meta.url);

function validators(): Validators {
  return (compiled ??= precompiled() ?? compileSnapshotSchema().validators);
}

/** Each validator's schema, as a reference into the snapshot schema. */
const REFS: Record<'header' | 'record' | 'line', string> = {
  header: `${SNAPSHOT_SCHEMA_ID}#/$defs/SnapshotHeader`,
  record: `${SNAPSHOT_SCHEMA_ID}#/$defs/AccountRecord`,
  line: `${SNAPSHOT_SCHEMA_ID}#/$defs/AccountLine`,
};

const fullDateTime = (fullFormats['date-time'] as { validate: (text: string) => boolean }).validate;

/**
 * The formats of the build's validators: ajv-formats' own, with date-time checked as at run time
 * (date-time-format.ts; its function's source is written into the module).
 */
const STANDALONE_FORMATS = _`Object.assign({}, require("ajv-formats/dist/formats").fullFormats, { "date-time": { type: "string", validate: (${new _Code(canonicalDateTimeFirst.toString())})(require("ajv-formats/dist/formats").fullFormats["date-time"].validate) } })`;

/** Compiles at run time; with `forStandalone`, keeps the generated code for snapshotValidatorCode. */
export function compileSnapshotSchema(forStandalone = false): { ajv: Ajv2020; validators: Validators } {
  const code = forStandalone ? { code: { source: true, formats: STANDALONE_FORMATS } } : {};
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: false, ...code });
  addFormats(ajv);
  ajv.addFormat('date-time', { type: 'string', validate: canonicalDateTimeFirst(fullDateTime) });
  ajv.addSchema(JSON.parse(readFileSync(SNAPSHOT_SCHEMA_FILE, 'utf8')) as object);
  const get = (ref: string): ValidateFunction => {
    const fn = ajv.getSchema(ref);
    if (!fn) throw new Error(`schema has no ${ref}`);
    return fn;
  };
  const header = get(REFS.header);
  const record = get(REFS.record);
  const line = get(REFS.line);
  return { ajv, validators: { header, record, line, accepts: { header, record, line } } };
}

/**
 * The CommonJS module `npm run build` writes to dist/validators/snapshot.cjs: exports `header`,
 * `record` and `line`, and `accepts`, a second copy of them rewritten by pathFreeValidatorCode (in its own
 * function scope, so the names ajv gives its functions do not clash).
 */
export function snapshotValidatorCode(): string {
  const { ajv } = compileSnapshotSchema(true);
  const standalone = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js');
  const code = standalone.default(ajv, REFS);
  return `${code}\nexports.accepts = (function () {\nconst exports = {};\n${pathFreeValidatorCode(code)}\nreturn exports;\n})();\n`;
}

/**
 * Ajv's code with what only a failure's error needs taken off the path of a valid line: a quarter
 * of the instructions of validating org-1000's records (3.30 G → 2.39 G for 3 rounds; twelfth
 * round, docs/operations/scale-measurements.md):
 * - every call into another schema's function built the JSON path of the value it checks
 *   (`instancePath+"/events/"+key.replace(/~/g,"~0").replace(/\//g,"~1")`: two regular expressions
 *   and a concatenation per member of every map); the copy passes "" (paths never decide validity);
 * - `minLength: 1` counted a string's characters (ajv's ucs2length walks the whole string, for
 *   surrogate pairs); a string has at least one character exactly when its `length` is not 0.
 * - no list of errors: inside an `if`, a `not` or a branch of `anyOf`, ajv's code records each
 *   failure it will throw away in an error object pushed onto a fresh array (`vErrors`), and
 *   appends a failing callee's list with `concat`; a valid line of org-10000 allocated ~400 MB so
 *   (a fifth of the evaluation's allocation, twenty-second round). The copy keeps only the count
 *   (`errors`), which is all that decides validity: the code compares it with a count saved
 *   earlier (`_errsN === errors`, `errors === 0`) or resets it to one, and between a save and its
 *   comparison it only grows, so "it grew" is the same whether a failing callee adds its list's
 *   length or 1. The error objects, no longer stored, are dropped (the empty ones) or left to the
 *   optimizer (they no longer escape);
 * - one options object for every call into another schema's function: ajv's code passes a fresh
 *   `{instancePath, parentData, parentDataProperty, rootData, dynamicAnchors}` per call, a callee
 *   too large to inline reads nothing from it but the path (already "") and `dynamicAnchors`
 *   (never read: the schema has no `$dynamicRef`).
 * It accepts exactly what the code accepts; its errors name wrong paths or are missing, so none is
 * ever shown (callers read only its verdict).
 */
export function pathFreeValidatorCode(code: string): string {
  const ucs2length = /const (\w+) = require\("ajv\/dist\/runtime\/ucs2length"\)\.default;/.exec(code)?.[1];
  const withoutPaths = code.replace(/\{instancePath:[^{}]*?,parentData:/g, '{instancePath:"",parentData:');
  const counted = withSharedCallOptions(withoutErrorLists(withoutPaths));
  return ucs2length ? counted.replace(new RegExp(`\\b${ucs2length}\\((\\w+)\\) < 1\\)`, 'g'), '$1.length < 1)') : counted;
}

/** The calls' options shared (see pathFreeValidatorCode); fails the build should ajv's code read them in any other way. */
function withSharedCallOptions(code: string): string {
  const shared = 'noPathCallOptions';
  const declaration = `const ${shared} = Object.freeze({ instancePath: "", dynamicAnchors: Object.freeze({}) });\n`;
  const rewritten = code.replace(/\{instancePath:"",parentData:[^{}]*?,parentDataProperty:[^{}]*?,rootData,dynamicAnchors\}/g, shared);
  const signatures = rewritten.replaceAll(declaration, '').replace(/function validate\d+\(data, \{instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors=\{\}\}=\{\}\)/g, '');
  const leftOver = /\b(?:parentData|parentDataProperty|rootData|dynamicAnchors)\b/.exec(signatures);
  if (leftOver) throw new Error(`ajv's validator code reads a call's options in a way pathFreeValidatorCode does not rewrite: …${signatures.slice((leftOver?.index ?? 0) - 80, (leftOver?.index ?? 0) + 80)}…`);
  return `${declaration}${rewritten}`;
}

/**
 * Ajv's error lists taken out, leaving the count (see pathFreeValidatorCode). Fails the build when
 * ajv's code uses the list in any other way than the three forms rewritten here, rather than
 * writing a copy whose count could drift from the list's.
 */
function withoutErrorLists(code: string): string {
  const rewritten = code
    .replace(/const (err\d+) = \{\};if\(vErrors === null\)\{vErrors = \[\1\];\}else \{vErrors\.push\(\1\);\}/g, '')
    .replace(/if\(vErrors === null\)\{vErrors = \[(err\d+)\];\}else \{vErrors\.push\(\1\);\}/g, '')
    .replace(/vErrors = vErrors === null \? (validate\d+)\.errors : vErrors\.concat\(\1\.errors\);errors = vErrors\.length;/g, 'errors++;');
  const leftOver = /vErrors(?! = null;| !== null\)|\.length = _errs\d+;|;return (?:false|errors === 0);)/.exec(rewritten.replaceAll('let vErrors = null;', ''));
  if (leftOver) throw new Error(`ajv's validator code uses its error list in a way pathFreeValidatorCode does not rewrite: …${rewritten.slice(leftOver.index - 80, leftOver.index + 80)}…`);
  return rewritten;
}

/** The build's validators, or undefined when running from sources (there is no src/validators/). */
function precompiled(): Validators | undefined {
  const file = '../validators/snapshot.cjs';
  try {
    return require(file) as Validators;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes('snapshot.cjs')) return undefined;
    throw err;
  }
}

export type { LineProblem } from './line-problem.ts';

/**
 * Checks the format marker and version before the schema, so a file of another kind or of a
 * newer version gets that said plainly rather than a list of unknown fields.
 */
export function checkHeaderIdentity(value: unknown): LineProblem | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { pointer: '', message: `expected the snapshot header (a JSON object with "format": "${SNAPSHOT_FORMAT}")` };
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== SNAPSHOT_FORMAT) {
    return {
      pointer: '/format',
      message: `not a trailproof snapshot: expected "${SNAPSHOT_FORMAT}", found ${format === undefined ? 'no format field' : JSON.stringify(format)}`,
    };
  }
  if (typeof version !== 'number' || !SUPPORTED_SNAPSHOT_VERSIONS.includes(version)) {
    return {
      pointer: '/version',
      message: `snapshot version ${JSON.stringify(version)} is not supported; supported versions: ${SUPPORTED_SNAPSHOT_VERSIONS.join(', ')}`,
    };
  }
  return undefined;
}

export function validateHeader(value: unknown): LineProblem | undefined {
  const { accepts, header } = validators();
  const identity = checkHeaderIdentity(value);
  if (identity) return identity;
  // Version 1's header is version 2's with another number: the schema (version 2's) checks the rest.
  const asWritten = (value as { version: number }).version === SNAPSHOT_VERSION ? value : { ...(value as object), version: SNAPSHOT_VERSION };
  return accepts.header(asWritten) ? undefined : firstProblem(header, asWritten);
}

/** Validates an account record as readers give it (no reference): a version-1 line, a record in memory, a record before it is written. */
export function validateRecord(value: unknown): LineProblem | undefined {
  const { accepts, record } = validators();
  return accepts.record(value) ? undefined : firstProblem(record, value);
}

/**
 * Validates a parsed account line of a file of `version` and, for version 2, resolves its
 * references in place (same-as.ts): the line then reads as a version-1 line.
 */
export function validateAccountLine(value: unknown, version: number): LineProblem | undefined {
  const { accepts, record } = validators();
  if (version === 1) return accepts.record(value) ? undefined : explained(firstProblem(record, value), value, version);
  if (accepts.line(value)) return resolveSameAsReferences(value, true);
  // Refused: the problem is said on the line resolved, where each answer is checked as it reads.
  return resolveSameAsReferences(value, true) ?? explained(firstProblem(record, value), value, version);
}

/** A problem caused by a reference where none may be: said as such, rather than as the answer's schema sees it. */
function explained(problem: LineProblem | undefined, value: unknown, version: number): LineProblem | undefined {
  const at = problem && referenceOnPath(value, problem.pointer);
  if (at === undefined) return problem;
  const reference = `a reference {"${SAME_AS}": ...}`;
  if (version === 1) {
    return { pointer: at, message: `${reference} needs snapshot format version 2 (the header says version 1); expected the answer itself` };
  }
  return {
    pointer: at,
    message: `${reference} is not allowed here; expected the answer itself (references stand only for a region's trails, eventDataStores, logGroups or detective, or a member of its detective)`,
  };
}

function firstProblem(validate: ValidateFunction, value: unknown): LineProblem | undefined {
  if (validate(value)) return undefined;
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  // The deepest error is the one nearest the actual mistake.
  const best = errors.sort((a, b) => depth(b) - depth(a))[0] ?? validate.errors?.[0];
  return best ? describe(best) : { pointer: '', message: 'invalid' };
}

function depth(e: ErrorObject): number {
  return e.instancePath === '' ? 0 : e.instancePath.split('/').length;
}

function describe(e: ErrorObject): LineProblem {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath;
  switch (e.keyword) {
    case 'type':
      return { pointer: at, message: `expected ${String(p.type)}` };
    case 'required':
      return { pointer: `${at}/${String(p.missingProperty)}`, message: 'missing required field' };
    case 'additionalProperties':
      return { pointer: `${at}/${String(p.additionalProperty)}`, message: 'unknown field (not part of the snapshot format)' };
    case 'const':
      return { pointer: at, message: `expected ${JSON.stringify(p.allowedValue)}` };
    case 'enum':
      return { pointer: at, message: `expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'format':
      return { pointer: at, message: `expected a ${String(p.format)} string (ISO-8601, e.g. 2026-11-02T09:00:00.000Z)` };
    case 'pattern':
      return { pointer: at, message: `expected a string matching ${String(p.pattern)}` };
    case 'dependentRequired':
      return { pointer: `${at}/${String(p.missingProperty)}`, message: `missing required field (${String(p.property)} goes with it)` };
    case 'minLength':
      return { pointer: at, message: 'expected a non-empty string' };
    case 'minimum':
      return { pointer: at, message: `expected a number >= ${String(p.limit)}` };
    case 'not':
      if (e.schemaPath.includes('dependentSchemas/AdvancedEventSelectors')) {
        return { pointer: at, message: 'EventSelectors and AdvancedEventSelectors cannot both be non-empty' };
      }
      return {
        pointer: at,
        message: 'expected exactly one of {"value": ...}, {"value": null, "absent": "<code>"} or {"error": {...}}',
      };
    default:
      return { pointer: at, message: e.message ?? e.keyword };
  }
}
