/**
 * The one description of the snapshot format (version 2). Two files are generated from it by `npm run gen:snapshot`
 * (scripts/gen-snapshot.ts), and a test fails when either is stale:
 * - schemas/snapshot-v2.schema.json, the published JSON Schema that validates every line read
 *   (schemas/snapshot-v1.schema.json, version 1's, is kept as published: version 1 lines read as
 *   version 2 lines without references);
 * - src/snapshot/types.ts, the TypeScript types every stage uses (each `description` here becomes
 *   the doc comment of its type or field there).
 * The definitions live by area in src/snapshot/schema/ (organizations, cloudtrail, detective, s3,
 * lines, log-integrity; vocabulary.ts holds the building blocks); this file assembles and emits them.
 * To add a field: add it to its area's module, with its description, then run `npm run gen:snapshot`.
 *
 * Written as code because every answer of an AWS call is wrapped in the same Fetched envelope:
 * one `fetched(...)` here instead of twenty hand-copied blocks in JSON.
 *
 * Policy: trailproof's own envelope (header, scope, account line, ApiError, ...) is
 * strict (`additionalProperties: false`), so a typo or a field from a newer format is caught.
 * Objects that are AWS answers allow additional properties, because AWS adds fields over time,
 * but the fields trailproof reads are typed.
 *
 * `tsType` (a json-schema-to-typescript keyword) names the TypeScript type of a node whose type
 * the generator cannot spell itself (the generic Fetched<T>, contracts defined elsewhere); it is
 * removed from the published schema.
 */
import { fileURLToPath } from 'node:url';
import { CLOUDTRAIL } from './schema/cloudtrail.ts';
import { DETECTIVE } from './schema/detective.ts';
import { LINES } from './schema/lines.ts';
import { LOG_INTEGRITY } from './schema/log-integrity.ts';
import { ORGANIZATIONS } from './schema/organizations.ts';
import { S3 } from './schema/s3.ts';
import { sameAsDefinitions } from './schema/same-as.ts';
import { arrayOf, fetchedEnvelope, nonEmpty, ref, type Schema, skippedAccount, str, strict, tag, TYPE_DEFINED_ELSEWHERE } from './schema/vocabulary.ts';

export { FETCHED_TYPESCRIPT } from './schema/vocabulary.ts';

export const SNAPSHOT_SCHEMA_ID = 'https://trailproof.dev/schemas/snapshot-v2.schema.json';

/** Every definition, in the order the generated types list them (one module per area, in schema/). */
const recordDefs: Record<string, Schema> = {
  Fetched: fetchedEnvelope,
  ApiError: strict(
    { operation: nonEmpty, code: nonEmpty, message: str, accountId: str, region: str },
    ['operation', 'code', 'message'],
  ),
  Tag: tag,
  ...ORGANIZATIONS,
  ...CLOUDTRAIL,
  ...DETECTIVE,
  ...S3,
  ...LINES,
  ...LOG_INTEGRITY,
};
/** The definitions of format 2's lines as written (references in place of repeated region answers): the published schema's, not the TypeScript types'. */
const lineDefs = sameAsDefinitions(recordDefs);
const defs: Record<string, Schema> = { ...recordDefs, ...lineDefs };

/** A deep copy without the `tsType` hints (a JSON Schema validator in strict mode rejects unknown keywords). */
function withoutTypeHints(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutTypeHints);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'tsType')
      .map(([key, value]) => [key, withoutTypeHints(value)]),
  );
}

/** The whole published schema: one line of a snapshot is either a header or an account record. */
export function snapshotSchema(): Schema {
  return withoutTypeHints({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: SNAPSHOT_SCHEMA_ID,
    title: 'trailproof snapshot v2 (one JSON line)',
    description:
      'A trailproof snapshot is JSON Lines: line 1 is a SnapshotHeader, every further line one AccountLine ' +
      '(an AccountRecord where a region\'s answer may refer to an earlier region\'s equal answer: SameAsReference). ' +
      'Generated from src/snapshot/schema-source.ts; see docs/snapshot-format.md.',
    anyOf: [ref('SnapshotHeader'), ref('AccountLine')],
    $defs: defs,
  }) as Schema;
}

/** The published file's exact text. */
export function snapshotSchemaText(): string {
  return JSON.stringify(snapshotSchema(), null, 2) + '\n';
}

/** The TypeScript spelling of a Fetched value: a named definition, a list of one, or a string. */
function typeName(schema: Schema): string {
  if (typeof schema.tsType === 'string') return schema.tsType;
  if (typeof schema.title === 'string') return schema.title;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return (defs[name]?.title as string | undefined) ?? name;
  }
  if (schema.type === 'array') return `${typeName(schema.items as Schema)}[]`;
  if (schema.type === 'string') return 'string';
  throw new Error(`fetched(): give this value a $defs entry so its TypeScript type has a name: ${JSON.stringify(schema)}`);
}

/**
 * A deep copy where a node with a `tsType` or a `$ref` keeps only its type name and description:
 * the generator then names every definition itself, in this file's order, and a field's
 * description stays on the field instead of making a copy of the type it refers to.
 */
function typeHintsOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(typeHintsOnly);
  if (node === null || typeof node !== 'object') return node;
  const { tsType, $ref, title, description } = node as Schema;
  const name =
    typeof tsType === 'string' ? tsType
    : $ref === '#/$defs/Fetched' ? `Fetched<${typeName(((node as { then: { properties: { value: Schema } } }).then.properties.value))}>`
    : typeof $ref === 'string' ? typeName(node as Schema)
    : undefined;
  if (name !== undefined) return { tsType: name, ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) };
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, typeHintsOnly(value)]));
}

/**
 * The input of the TypeScript generator: a whole snapshot (header + account lines) over the same
 * definitions, with the `tsType` hints, and without the definitions whose type is written elsewhere.
 */
export function snapshotTypeSource(): Schema {
  const own = Object.fromEntries(Object.entries(recordDefs).filter(([name]) => name !== 'Fetched' && !(name in TYPE_DEFINED_ELSEWHERE)));
  return {
    title: 'Snapshot',
    description: 'A whole snapshot in memory: the header line and every account line.',
    ...(typeHintsOnly(strict({ header: ref('SnapshotHeader'), accounts: arrayOf(ref('AccountRecord')) }, ['header', 'accounts'])) as Schema),
    $defs: typeHintsOnly(own),
  };
}

/**
 * The definitions whose TypeScript type is written elsewhere, as the generator would write them,
 * keyed by the name of that type, so types.ts can have the compiler compare the two.
 */
export function typesDefinedElsewhere(): Record<string, Schema> {
  return {
    ...Object.fromEntries(Object.entries(TYPE_DEFINED_ELSEWHERE).map(([def, tsName]) => [tsName, typeHintsOnly(defs[def]) as Schema])),
    SkippedAccount: skippedAccount,
  };
}

export const SNAPSHOT_SCHEMA_FILE = fileURLToPath(new URL('../../schemas/snapshot-v2.schema.json', import.meta.url));
