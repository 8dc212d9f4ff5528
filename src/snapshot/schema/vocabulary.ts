/**
 * The words the snapshot's schema is written in (src/snapshot/schema-source.ts and the area
 * modules beside this one): JSON Schema building blocks, trailproof's strict objects versus AWS
 * answers, the Fetched envelope every AWS answer is wrapped in, and the `tsType` hints for the
 * TypeScript generator.
 */
export type Schema = Record<string, unknown>;

export const str: Schema = { type: 'string' };
export const nonEmpty: Schema = { type: 'string', minLength: 1 };
export const bool: Schema = { type: 'boolean' };
export const int: Schema = { type: 'integer', minimum: 0 };
export const isoTime: Schema = { type: 'string', format: 'date-time' };
export const strings: Schema = { type: 'array', items: str };
export const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
export const mapOf = (values: Schema): Schema => ({ type: 'object', additionalProperties: values });
/**
 * An AWS enumeration the model decides by: closed in the schema, so a value AWS adds later is
 * kept as it came (an UnexpectedAnswer error, see tolerate.ts) and the facts built from it are
 * unknown; a plain string in TypeScript, so the model's code keeps its own check of the value.
 */
export const awsEnum = (...values: string[]): Schema => ({ enum: values, tsType: [...values.map((v) => `'${v}'`), 'string'].join(' | ') });
/** The doc comment of a type or field (a JSON Schema `description`). */
export const doc = (description: string, schema: Schema): Schema => ({ ...schema, description });
/** An inline object that gets its own named TypeScript type. */
export const named = (title: string, schema: Schema): Schema => ({ title, ...schema });

/**
 * Definitions whose TypeScript type is written elsewhere (contracts every stage reads, the
 * log-integrity verifier's report): the schema validates them, the types name the existing type.
 */
export const TYPE_DEFINED_ELSEWHERE: Record<string, string> = { ApiError: 'ApiError' };

export function ref(name: string): Schema {
  const tsType = TYPE_DEFINED_ELSEWHERE[name];
  return tsType ? { $ref: `#/$defs/${name}`, tsType } : { $ref: `#/$defs/${name}` };
}

/** trailproof's own objects: every field known. */
export function strict(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required, additionalProperties: false };
}

/** An AWS answer: the fields trailproof reads are typed, others are kept as AWS sent them. */
export function aws(properties: Record<string, Schema>, required: string[] = []): Schema {
  return { type: 'object', properties, required };
}

/**
 * Fetched<T>: exactly one of `{value}`, `{value: null, absent}` or `{error}` (the envelope, in
 * $defs.Fetched), and when `value` is not null it must be a T.
 * Written with if/then rather than oneOf so that a wrong field deep inside `value` is reported at
 * its own path, not drowned by the failures of the two other branches.
 */
export function fetched(value: Schema): Schema {
  return {
    type: 'object',
    $ref: '#/$defs/Fetched',
    if: { required: ['value'], properties: { value: { not: { type: 'null' } } } },
    then: { properties: { value } },
  };
}

export const fetchedEnvelope: Schema = {
  type: 'object',
  // `answer`: with an error only; an answer kept as it came because its shape was not the expected one.
  properties: { value: true, absent: nonEmpty, error: ref('ApiError'), answer: true },
  additionalProperties: false,
  dependentRequired: { answer: ['error'] },
  if: { required: ['error'] },
  then: { not: { anyOf: [{ required: ['value'] }, { required: ['absent'] }] } },
  else: {
    required: ['value'],
    if: { required: ['value'], properties: { value: { type: 'null' } } },
    then: { required: ['absent'] },
    else: { not: { required: ['absent'] } },
  },
};

/** The TypeScript of the envelope above (json-schema-to-typescript has no generics); written into types.ts. */
export const FETCHED_TYPESCRIPT = `/**
 * The answer to one call (or one paginated series of calls).
 * \`value: null\` with \`absent\` records a documented "nothing configured" answer
 * (e.g. NoSuchLifecycleConfiguration): that is knowledge, not an error.
 * An error with \`answer\` (code UnexpectedAnswer) is an answer whose shape was not the expected
 * one: kept as it came, as evidence, while every fact built from it is unknown.
 */
export type Fetched<T> =
  | { value: T; absent?: undefined; error?: undefined }
  | { value: null; absent: string; error?: undefined }
  | { value?: undefined; absent?: undefined; error: ApiError; answer?: unknown };
`;

export const skippedAccount = strict({ accountId: nonEmpty, reason: nonEmpty }, ['accountId', 'reason']);
export const tag = aws({ Key: str, Value: str }, ['Key', 'Value']);
export const awsTimestamp = str;
