/**
 * SCP documents → normalised statements. AWS accepts several spellings for the same thing
 * (`Statement` as one object or a list, `Action` as a string or a list, condition values as a
 * string or a list); the evaluator sees one shape. A document we cannot read with certainty is
 * reported as unreadable rather than half-read: missing a Deny would be a false PASS.
 */
import { known, unknownBecause, type Known } from './known.ts';
import { jsonErrorText } from '../shared/json-syntax.ts';

export interface ScpCondition {
  /** As written, e.g. "ArnNotLike", "StringNotEqualsIfExists", "ForAnyValue:StringEquals". */
  operator: string;
  /** As written, e.g. "aws:PrincipalArn". */
  key: string;
  values: string[];
}

export interface ScpStatement {
  /** The Sid, or "#N" (1-based position in the policy) when the statement has none. */
  ref: string;
  effect: 'Allow' | 'Deny';
  /** `Action` (negated false) or `NotAction` (negated true). */
  actions: { negated: boolean; patterns: string[] };
  /** `Resource` / `NotResource`; absent in the document means every resource. */
  resources: { negated: boolean; patterns: string[] };
  conditions: ScpCondition[];
}

type Json = unknown;

function stringList(value: Json, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new Error(`${where} must be a string or a list of strings`);
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Condition values may be strings, booleans or numbers; IAM compares them as strings. */
function conditionValues(value: Json, where: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => {
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return String(v);
    throw new Error(`${where} has a value that is not a string, number or boolean`);
  });
}

function parseConditions(value: Json, where: string): ScpCondition[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw new Error(`${where}.Condition must be an object`);
  const conditions: ScpCondition[] = [];
  for (const [operator, block] of Object.entries(value)) {
    if (!isObject(block)) throw new Error(`${where}.Condition.${operator} must be an object`);
    for (const [key, values] of Object.entries(block)) {
      conditions.push({ operator, key, values: conditionValues(values, `${where}.Condition.${operator}.${key}`) });
    }
  }
  return conditions;
}

function pickPair(statement: Record<string, Json>, plain: string, negated: string, where: string, required: boolean) {
  const hasPlain = statement[plain] !== undefined;
  const hasNegated = statement[negated] !== undefined;
  if (hasPlain && hasNegated) throw new Error(`${where} has both ${plain} and ${negated}`);
  if (hasPlain) return { negated: false, patterns: stringList(statement[plain], `${where}.${plain}`) };
  if (hasNegated) return { negated: true, patterns: stringList(statement[negated], `${where}.${negated}`) };
  if (required) throw new Error(`${where} has neither ${plain} nor ${negated}`);
  return { negated: false, patterns: ['*'] };
}

function parseStatement(raw: Json, position: number): ScpStatement {
  const where = `Statement[${position - 1}]`;
  if (!isObject(raw)) throw new Error(`${where} must be an object`);
  const effect = raw.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') throw new Error(`${where}.Effect must be "Allow" or "Deny"`);
  const sid = typeof raw.Sid === 'string' && raw.Sid !== '' ? raw.Sid : undefined;
  return {
    ref: sid ?? `#${position}`,
    effect,
    actions: pickPair(raw, 'Action', 'NotAction', where, true),
    resources: pickPair(raw, 'Resource', 'NotResource', where, false),
    conditions: parseConditions(raw.Condition, where),
  };
}

/** Parses an SCP's Content (the JSON string DescribePolicy returned). */
export function parseScpContent(content: string): Known<ScpStatement[]> {
  let doc: Json;
  try {
    doc = JSON.parse(content);
  } catch (e) {
    return unknownBecause(`policy content is not valid JSON: ${jsonErrorText(content, e as Error)}`);
  }
  try {
    if (!isObject(doc)) throw new Error('the document must be a JSON object');
    const raw = doc.Statement;
    if (raw === undefined) throw new Error('the document has no Statement');
    const list = Array.isArray(raw) ? raw : [raw];
    return known(list.map((s, i) => parseStatement(s, i + 1)));
  } catch (e) {
    return unknownBecause(`policy content cannot be read: ${(e as Error).message}`);
  }
}
