/**
 * Reads a CloudFormation template written in YAML, with the short-form intrinsic functions
 * (`!Ref`, `!Sub`, `!GetAtt`, ...) turned into their JSON form (`{Ref: x}`, `{"Fn::Sub": ...}`), as
 * CloudFormation itself does before it looks at the template.
 */
import { parseDocument, type ScalarTag, type CollectionTag, type YAMLMap, type YAMLSeq } from 'yaml';

/** Short tag → JSON key. `!GetAtt a.b` is also split into `[a, b]`. */
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  GetAtt: 'Fn::GetAtt',
  Sub: 'Fn::Sub',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
};

/** The JSON keys of every intrinsic function, for checks that walk the parsed template. */
export const INTRINSIC_KEYS: ReadonlySet<string> = new Set(Object.values(INTRINSICS));

function scalarTag(short: string, key: string): ScalarTag {
  return {
    tag: `!${short}`,
    identify: () => false,
    resolve: (text: string) => ({ [key]: short === 'GetAtt' ? splitGetAtt(text) : text }),
  };
}

function collectionTag(short: string, key: string, collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${short}`,
    identify: () => false,
    collection,
    // A plain object is what toJS() hands on for a custom collection; the children are already resolved.
    resolve: (node: YAMLSeq | YAMLMap) => ({ [key]: node.toJSON() }) as unknown as YAMLSeq,
  };
}

function splitGetAtt(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? [text, ''] : [text.slice(0, dot), text.slice(dot + 1)];
}

const CUSTOM_TAGS = Object.entries(INTRINSICS).flatMap(([short, key]) => [
  scalarTag(short, key),
  collectionTag(short, key, 'seq'),
  collectionTag(short, key, 'map'),
]);

export type Template = Record<string, unknown>;

/** Parses the template; a YAML error is thrown naming the file, line and column. */
export function parseCloudFormationYaml(text: string, file: string): Template {
  const doc = parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const at = first.linePos?.[0];
    throw new Error(`${file}${at ? `:${at.line}:${at.col}` : ''}: ${first.message}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file}: a template is a mapping`);
  return value as Template;
}
