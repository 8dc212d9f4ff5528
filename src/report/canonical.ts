/**
 * The canonical byte form of JSON-based reports: keys sorted, 2-space JSON, and the chunked writer
 * that keeps a report of 100,000 verdicts from being held as one string. The order of the
 * result's lists is contracts/order.ts.
 */
import { compareStrings } from '../contracts/order.ts';
import { ONE_FORMAT_REMEMBERED, oncePerObject, sortKeys } from './audit-common.ts';
import { oneByteWherePossible } from '../shared/one-byte.ts';

/**
 * A JSON-like value with the keys of every plain object sorted, for free-form values (evidence,
 * params) whose key order would otherwise depend on how they were built. Array order is meaning,
 * so arrays keep theirs. Parts already in order are returned as they are, not copied: a report of
 * 100,000 verdicts would otherwise copy every piece of evidence for each format. Callers must not
 * modify the result.
 */
export function sortKeysDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as unknown;
      const sortedItem = sortKeysDeep(item);
      if (sortedItem !== item) out ??= value.slice(0, i);
      out?.push(sortedItem);
    }
    return out ?? value;
  }
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  const inOrder = isPlainObject(value) && isSorted(keys);
  if (!inOrder) sortKeys(keys);
  let out: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const member = source[key];
    const sortedMember = sortKeysDeep(member);
    if (!out && sortedMember !== member) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = source[keys[j]!];
    }
    if (out) out[key] = sortedMember;
  }
  return out ?? value;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (compareStrings(keys[i - 1], keys[i]) > 0) return false;
  return true;
}

/**
 * The object's `order` keys first, in that order, then any other keys sorted: a field added to a
 * contract later still comes out, in a stable place. Undefined values are dropped.
 */
export function orderedKeys<T extends object>(value: T, order: readonly (keyof T & string)[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of order) if (source[key] !== undefined) out[key] = source[key];
  let extra: string[] | undefined;
  for (const key of Object.keys(source)) {
    if (source[key] !== undefined && !(order as readonly string[]).includes(key)) (extra ??= []).push(key);
  }
  if (extra) for (const key of extra.sort(compareStrings)) out[key] = sortKeysDeep(source[key]);
  return out;
}

/** 2-space JSON with a trailing newline: the byte form of every JSON-based report. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * An item's JSON text in pieces that are written one after the other: one string, or several
 * (JsonTemplates.pieces says why).
 */
export type TextPieces = string | string[];

/**
 * A list converted item by item only when serialised, so a report of 100,000 verdicts never holds
 * every converted verdict at once. JSON.stringify sees the converted array (toJSON), so a value
 * holding one renders to the same bytes either way.
 */
export class LazyList<T> {
  /**
   * `render`, when given, writes an item's chunk itself (its text nested `indent` deep); it must
   * give JSON.stringify's bytes for `convert(item)`, and is there to reuse the text of values many
   * items share (see sharedMemberText). `items` is walked, never indexed: it may be a verdict list
   * on disk.
   */
  constructor(
    readonly items: Iterable<T>,
    readonly convert: (item: T) => unknown,
    readonly render?: (item: T, indent: string) => TextPieces,
  ) {}

  toJSON(): unknown[] {
    return Array.from(this.items, this.convert);
  }
}

/**
 * stableJson as a sequence of chunks: the same bytes once joined. Objects and arrays that hold a
 * LazyList are opened up; every other value, and each item of a LazyList, is one JSON.stringify.
 */
export function* stableJsonChunks(value: unknown): Generator<string> {
  yield* jsonChunks(value, '', new LazyListDistances());
  yield '\n';
}

function* jsonChunks(value: unknown, indent: string, lazy: LazyListDistances): Generator<string> {
  if (value instanceof LazyList) {
    if (value.render) yield* renderedItems(value.items, value.render, indent);
    else yield* arrayChunks(value.items, value.convert, indent, lazy, false);
  } else if (Array.isArray(value) && lazy.holds(value)) {
    yield* arrayChunks(value, (item) => item, indent, lazy, true);
  } else if (isPlainObject(value) && lazy.holds(value)) {
    yield* objectChunks(value, indent, lazy);
  } else {
    yield indentedJson(value, indent);
  }
}

/** `openItems` false: the items are leaves (a LazyList's items never hold another). */
function* arrayChunks<T>(items: Iterable<T>, convert: (item: T) => unknown, indent: string, lazy: LazyListDistances, openItems: boolean): Generator<string> {
  const inner = `${indent}  `;
  let first = true;
  for (const source of items) {
    yield first ? `[\n${inner}` : `,\n${inner}`;
    first = false;
    const item = convert(source);
    // As JSON.stringify does: what has no JSON form is null inside an array.
    if (!serialisable(item)) yield 'null';
    else if (openItems) yield* jsonChunks(item, inner, lazy);
    else yield indentedJson(item, inner);
  }
  yield first ? '[]' : `\n${indent}]`;
}

/**
 * Items are written together, up to BATCH_CHARACTERS a chunk: OSCAL lists 331,000
 * related-observation uuids and 150,000 observations at 10,000 accounts, each otherwise a chunk of
 * its own, passed up through eleven nested generators and written with a call of its own. Items of
 * kilobytes (observations, findings) were kept one chunk each until the twenty-sixth round; batched
 * too, writing ASFF at 1,000 accounts took 8 % fewer instructions (callgrind, --predictable). An item in pieces
 * (JsonTemplates.pieces) ends the batch: its pieces stay apart. A batch holds back a walk of
 * verdicts by at most a few hundred small items, well within how far the writer lets a walk read
 * ahead of the others (write-formats.ts, a pace's readAhead), so the formats still share one read
 * of the verdicts.
 */
const BATCH_CHARACTERS = 16_384;

function* renderedItems<T>(items: Iterable<T>, render: (item: T, indent: string) => TextPieces, indent: string): Generator<string> {
  const inner = `${indent}  `;
  // What goes before the first item and before each other one, made once, not once per item.
  const opening = `[\n${inner}`;
  const between = `,\n${inner}`;
  let first = true;
  let batch = '';
  for (const item of items) {
    const before = first ? opening : between;
    first = false;
    const text = render(item, inner);
    if (typeof text === 'string') {
      batch += `${before}${text}`;
      if (batch.length < BATCH_CHARACTERS) continue;
      yield batch;
      batch = '';
      continue;
    }
    yield `${batch}${before}${text[0]!}`;
    batch = '';
    for (let i = 1; i < text.length; i++) yield text[i]!;
  }
  yield `${batch}${first ? '[]' : `\n${indent}]`}`;
}

/** A verdict's evidence as every report writes it: keys sorted, and "no proof" an explicit null. */
export const evidenceValue = (evidence: unknown): unknown => sortKeysDeep(evidence ?? null);

/** Stands for a shared member while the rest of an item is rendered; see sharedMemberText. */
const SLOT = '\u0000trailproof:shared\u0000';
const SLOT_TEXT = JSON.stringify(SLOT);

/**
 * indentedJson(build(texts.prepare(shared))) nested `indent` deep, where `shared` (a verdict's
 * evidence) is often the very object other items hold too: the item is rendered around a
 * placeholder, and the shared value's text comes from `texts`, which renders each object once.
 * Should the item itself hold the placeholder's text, it is rendered whole instead.
 */
export function sharedMemberText(build: (member: unknown) => unknown, shared: unknown, indent: string, texts: SharedTexts): string {
  const json = indentedJson(build(SLOT), indent);
  const at = json.indexOf(SLOT_TEXT);
  if (at < 0 || json.lastIndexOf(SLOT_TEXT) !== at) return indentedJson(build(texts.prepare(shared)), indent);
  // The member's value continues on lines indented like the line it starts on.
  const lineStart = json.lastIndexOf('\n', at) + 1;
  let lineEnd = lineStart;
  while (json.charCodeAt(lineEnd) === 32) lineEnd++;
  return `${json.slice(0, at)}${texts.text(shared, json.slice(lineStart, lineEnd))}${json.slice(at + SLOT_TEXT.length)}`;
}

/**
 * The JSON text of values shared by many items (a reused verdict's evidence is one object for
 * every account it was reused for), rendered once per recent object (oncePerObject) and
 * indentation after `prepare`. The objects must not change while the cache is in use: it lives
 * for one rendering.
 */
export class SharedTexts {
  private readonly texts = new Map<string, (value: unknown) => string>();

  constructor(readonly prepare: (value: unknown) => unknown) {}

  text(value: unknown, indent: string): string {
    let byObject = this.texts.get(indent);
    // One-byte where it can be: JSON.stringify's text is two-byte whenever one key or value of the
    // object is, ASCII or not (the evidence keys "deniedBy" and "classifiedBecause" were, until the
    // rules' YAML strings were made one-byte: shared/yaml-source.ts; parsing the spool's evidence
    // returns the judging thread's strings), and every item holding it is then encoded at the
    // two-byte rate (one-byte.ts).
    if (!byObject) this.texts.set(indent, (byObject = oncePerObject((v) => oneByteWherePossible(indentedJson(this.prepare(v), indent)), ONE_FORMAT_REMEMBERED)));
    return byObject(value);
  }
}

function* objectChunks(value: Record<string, unknown>, indent: string, lazy: LazyListDistances): Generator<string> {
  const inner = `${indent}  `;
  let first = true;
  for (const key of Object.keys(value)) {
    const member = value[key];
    if (!serialisable(member)) continue;
    yield `${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonChunks(member, inner, lazy);
  }
  yield first ? '{}' : `\n${indent}}`;
}

function serialisable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * JSON.stringify(value, null, 2) as it reads when nested `indent` deep. The value is wrapped in as
 * many one-item arrays as there are levels and the brackets are cut off again: V8 then writes the
 * indentation itself, with no second pass over the text.
 */
export function indentedJson(value: unknown, indent: string): string {
  // Scalars have no inner lines to indent.
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  const levels = indent.length / 2;
  let wrapped = value;
  for (let i = 0; i < levels; i++) wrapped = [wrapped];
  const json = JSON.stringify(wrapped, null, 2) as string | undefined;
  if (json === undefined) return 'null';
  if (levels === 0) return json;
  // Each level adds "[\n" + its indentation before the value, and "\n" + the outer indentation + "]" after it.
  const before = levels * 2 + levels * (levels + 1);
  const after = levels * 2 + levels * (levels - 1);
  return json.slice(before, json.length - after);
}

/** Deep enough for OSCAL's per-finding lists (assessment-results.results[0].findings[i]['related-observations']). */
const LAZY_SEARCH_DEPTH = 7;
/** Past this depth a walk stops looking (a guard against cyclic data, which JSON.stringify rejects anyway). */
const MAX_WALK_DEPTH = 64;

/**
 * Whether a value of a document holds a LazyList within LAZY_SEARCH_DEPTH levels (through arrays
 * and plain objects), from how many levels below it the nearest one lies, remembered per object for
 * one document. jsonChunks asks at every level it opens, so a search from each level walked the
 * plain parts beside the lists again: OSCAL's 13,400 inventory items at 10,000 accounts four times
 * (holdsLazyList, 460 ms of self time in writeReports(oscal)); each object is now walked once.
 */
class LazyListDistances {
  private readonly known = new WeakMap<object, number>();

  holds(value: unknown): boolean {
    return this.distance(value, 0) <= LAZY_SEARCH_DEPTH;
  }

  private distance(value: unknown, depth: number): number {
    if (value instanceof LazyList) return 0;
    if (value === null || typeof value !== 'object' || depth > MAX_WALK_DEPTH) return Infinity;
    const known = this.known.get(value);
    if (known !== undefined) return known;
    let nearest = Infinity;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) if ((nearest = Math.min(nearest, this.distance(item, depth + 1) + 1)) === 1) break;
    } else if (isPlainObject(value)) {
      for (const key in value) if ((nearest = Math.min(nearest, this.distance(value[key], depth + 1) + 1)) === 1) break;
    }
    this.known.set(value, nearest);
    return nearest;
  }
}
