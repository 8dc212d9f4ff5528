/**
 * JSON text of report items that differ only in a few values: each item shape is rendered once,
 * with markers where its values go, and every item of that shape is the template's text with its
 * values put in. A report of 150,000 verdicts then serialises each rule's long constant texts
 * (titles, descriptions, remediation, requirement lists) once per shape instead of once per
 * verdict, and builds no object per verdict: JSON.stringify was most of the audit formats' CPU.
 *
 * The bytes are JSON.stringify's: a string's JSON text is its characters escaped one by one, so
 * a value's escaped text may be put where its marker's escaped text was, inside a longer string
 * too; and a string's JSON text does not depend on indentation, so a value's text is the same at any depth.
 */
import { indentedJson, type TextPieces } from './canonical.ts';
import { BEYOND_LATIN1, oneByte } from '../shared/one-byte.ts';

/**
 * A value put into a template: a string (written as JSON writes it, inside the string the builder
 * placed it in, or as a whole string); a string already escaped (`{ escaped }`: its JSON text
 * without the quotes, escapedString, for a long text many items share, made once); or the JSON
 * text of a value already made (`{ json }`: numbers, pre-rendered evidence), which the builder
 * must place as a whole member or item; in pretty JSON that text must be indented for where it is
 * placed (indentedJson).
 */
export type TemplateValue = string | { escaped: string } | { json: string };

/**
 * What goes into the template: the builder receives one marker string per value (undefined where
 * the value is undefined: a member left out) and must place each where its value goes, unchanged
 * (not trimmed, cut or parsed); everything else it returns must follow from the shape alone. A shape whose markers do not all come out is rendered whole
 * for each item, from its real values.
 */
export type TemplateBuilder = (values: readonly (string | undefined)[]) => unknown;

/** A template cut at its markers: text, value index, text, …, text. */
interface Template {
  texts: string[];
  /**
   * The texts with the quotes of the whole-string slots beside them kept (the quote before a slot
   * at the end of the text before it, the quote after at the start of the text after): a string
   * value goes in without quotes of its own, one string fewer to join for each (filled).
   */
  quoted: string[];
  slots: number[];
  /** Per slot: the marker was a whole JSON string (its quotes are cut off with it): JSON text values go there. */
  whole: boolean[];
  /**
   * Per text, how pieces writes it (layoutOf): what is joined to the item's string and what is a
   * piece of its own, alternately; undefined when every text is joined whole.
   */
  layouts: string[][] | undefined;
}

const marker = (i: number) => `\u0000tp${i}\u0000`;

export class JsonTemplates {
  /** By indent, then shape, then which values are defined (definedMask): no key string is built per item. */
  private readonly made = new Map<string | undefined, Map<string, Map<number, Template | null>>>();

  /**
   * The JSON text of build(values as they are), made from `shape`'s template: compact, or with
   * `indent` pretty JSON nested that deep (indentedJson; "  " for the items of a top-level
   * array). `shape` must name everything that decides what build returns besides the values (the
   * rule, the status); which values are undefined is added to it here.
   */
  render(shape: string, values: readonly (TemplateValue | undefined)[], build: TemplateBuilder, indent?: string): string {
    const template = this.template(shape, values, build, indent);
    return template === null ? json(build(values.map(plainValue)), indent) : filled(template, values);
  }

  /**
   * render's text in pieces to be written one after the other: the runs of characters beyond
   * Latin-1 in the template's texts (a rule's "—" or "→") are pieces of their own, so that the
   * pieces around them stay one-byte strings. V8 stores a string with one such character at two
   * bytes per character, and a report item is one string made of many parts: flattening it and
   * encoding it to UTF-8 then cost about twice as much (measured: 300,000 items of 900 characters,
   * 0.25–0.40 s as one two-byte string, 0.17–0.19 s with its wide text apart, as when it had none);
   * under callgrind, V8's UTF-8 encoding of a flat two-byte string took ~12 instructions per
   * character against ~0.5 for a one-byte one (layoutOf). A long `{ json }` or `{ escaped }` value
   * (LONG_PIECE_CHARACTERS: an evidence text, made once per evidence object) is a piece of its own
   * too: it is one flat string already, and inside the item's string it was copied once more for
   * every item when that string was flattened to be encoded.
   */
  pieces(shape: string, values: readonly (TemplateValue | undefined)[], build: TemplateBuilder, indent?: string): TextPieces {
    const template = this.template(shape, values, build, indent);
    if (template === null) return json(build(values.map(plainValue)), indent);
    const { slots, whole, layouts } = template;
    if (!layouts && !slots.some((slot) => isLongValue(values[slot]!))) return filled(template, values);
    let pieces: string[] | undefined;
    let run = '';
    for (let i = 0; ; i++) {
      const layout = layouts?.[i] ?? [template.texts[i]!];
      run += layout[0]!;
      for (let k = 1; k < layout.length; k += 2) {
        pieces ??= [];
        if (run !== '') pieces.push(run);
        pieces.push(layout[k]!);
        run = layout[k + 1]!;
      }
      if (i === slots.length) break;
      const value = values[slots[i]!]!;
      if (!isLongValue(value)) run += valueText(value, whole[i]!);
      else {
        // A long value (an evidence text) is already one string: a piece of its own, it is not
        // copied again when the item's string is flattened to be written.
        const quote = whole[i]! && 'escaped' in value ? '"' : '';
        pieces ??= [];
        if (run !== '' || quote !== '') pieces.push(run + quote);
        pieces.push('json' in value ? value.json : value.escaped);
        run = quote;
      }
    }
    if (pieces === undefined) return run;
    if (run !== '') pieces.push(run);
    return pieces;
  }

  private template(shape: string, values: readonly (TemplateValue | undefined)[], build: TemplateBuilder, indent: string | undefined): Template | null {
    const mask = definedMask(values);
    const last = this.last;
    // Items come in runs of one shape (verdicts by rule, then resource): the same key string
    // (ShapeKeys) finds the same template without three map lookups.
    if (last && last.shape === shape && last.mask === mask && last.indent === indent) return last.template;
    const template = this.lookUp(shape, mask, values, build, indent);
    this.last = { shape, mask, indent, template };
    return template;
  }

  private last: { shape: string; mask: number; indent: string | undefined; template: Template | null } | undefined;

  private lookUp(shape: string, mask: number, values: readonly (TemplateValue | undefined)[], build: TemplateBuilder, indent: string | undefined): Template | null {
    let byShape = this.made.get(indent);
    if (!byShape) this.made.set(indent, (byShape = new Map()));
    let byMask = byShape.get(shape);
    if (!byMask) byShape.set(shape, (byMask = new Map()));
    let template = byMask.get(mask);
    if (template === undefined) byMask.set(mask, (template = cut(json(build(values.map((v, i) => (v === undefined ? undefined : marker(i)))), indent), values)));
    return template;
  }
}

/**
 * A template's shape key made of parts, such as a verdict's rule, status and severity: while the
 * parts stay those of the previous item, the previous key string itself. Verdicts come in runs of
 * one shape, and a key built anew for each (150,000 at 10,000 accounts, per format) was a string
 * to allocate, flatten and hash for every map lookup of its template.
 */
export class ShapeKeys {
  private parts: readonly string[] = [];
  private key = '';

  of(parts: readonly string[]): string {
    const last = this.parts;
    let same = last.length === parts.length;
    for (let i = 0; same && i < parts.length; i++) same = last[i] === parts[i];
    if (!same) {
      this.parts = parts;
      this.key = parts.join('\u0000');
    }
    return this.key;
  }
}

/**
 * Which values are defined, one bit each (templates take at most MAX_VALUES), and how many values
 * there are: a shape given fewer values is another template, as when the key was a string.
 */
function definedMask(values: readonly (TemplateValue | undefined)[]): number {
  if (values.length > MAX_VALUES) throw new Error(`a template takes at most ${MAX_VALUES} values, not ${values.length}`);
  let mask = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== undefined) mask |= 1 << i;
  return (mask >>> 0) * (MAX_VALUES + 1) + values.length;
}

/** A mask of defined values is one 32-bit integer (times 32 plus the count: exact in a double). */
const MAX_VALUES = 31;

/**
 * Values at least this long (evidence texts) are pieces of their own (JsonTemplates.pieces). Long
 * template texts are not: apart too, at 512 characters, writing the three audit formats at 1,000
 * accounts took 4.5 % more instructions (one run each: more chunks passed up through the
 * generators than copies saved).
 */
const LONG_PIECE_CHARACTERS = 512;

const isLongValue = (value: TemplateValue): value is { escaped: string } | { json: string } => typeof value !== 'string' && ('json' in value ? value.json : value.escaped).length >= LONG_PIECE_CHARACTERS;

/**
 * The template's text with its values in. An item is one string joined from its texts and values,
 * flattened when written: each join is a string of V8's to allocate and to walk when it is
 * flattened, so the quotes of a whole-string slot come with the texts beside it (Template.quoted),
 * not as two more joins per value; a JSON text value in a whole slot takes the texts without them.
 */
function filled({ texts, quoted, slots, whole }: Template, values: readonly (TemplateValue | undefined)[]): string {
  for (let i = 0; i < slots.length; i++) {
    if (whole[i] && isJsonText(values[slots[i]!])) {
      let out = texts[0]!;
      for (let k = 0; k < slots.length; k++) out += valueText(values[slots[k]!]!, whole[k]!) + texts[k + 1]!;
      return out;
    }
  }
  let out = quoted[0]!;
  for (let i = 0; i < slots.length; i++) out += valueText(values[slots[i]!]!, false) + quoted[i + 1]!;
  return out;
}

function json(value: unknown, indent: string | undefined): string {
  return indent === undefined ? JSON.stringify(value) : indentedJson(value, indent);
}

/** The template's text cut at each occurrence of each marker; null when a marker is missing or a JSON text value is not a whole member. */
function cut(text: string, values: readonly (TemplateValue | undefined)[]): Template | null {
  const found: { at: number; end: number; slot: number; whole: boolean }[] = [];
  for (let slot = 0; slot < values.length; slot++) {
    if (values[slot] === undefined) continue;
    const inner = JSON.stringify(marker(slot)).slice(1, -1);
    let count = 0;
    for (let at = text.indexOf(inner); at >= 0; at = text.indexOf(inner, at + inner.length)) {
      const whole = text[at - 1] === '"' && text[at + inner.length] === '"';
      if (isJsonText(values[slot]) && !whole) return null;
      found.push(whole ? { at: at - 1, end: at + inner.length + 1, slot, whole } : { at, end: at + inner.length, slot, whole });
      count++;
    }
    if (count === 0) return null;
  }
  found.sort((a, b) => a.at - b.at);
  const texts: string[] = [];
  let from = 0;
  for (const f of found) {
    texts.push(text.slice(from, f.at));
    from = f.end;
  }
  texts.push(text.slice(from));
  const layouts = texts.map(layoutOf);
  const joined = layouts.map((l) => l.join(''));
  const whole = found.map((f) => f.whole);
  const quoted = joined.map((text, i) => `${i > 0 && whole[i - 1] ? '"' : ''}${text}${i < whole.length && whole[i] ? '"' : ''}`);
  return { texts: joined, quoted, slots: found.map((f) => f.slot), whole, layouts: layouts.some((l) => l.length > 1) ? layouts : undefined };
}

/** Runs of characters beyond Latin-1 (split keeps them, at the odd indexes). */
const WIDE_RUNS = /([^\u0000-\u00ff]+)/;

/**
 * A template text as pieces writes it: what is joined to the item's string and what is a piece
 * of its own, alternately (joined, apart, joined, …, joined). Apart: the runs of characters
 * beyond Latin-1. What is joined is copied into a one-byte string: a text cut out of a two-byte
 * string is two-byte even where it holds no wide character (a template's JSON is two-byte when
 * any text in it is, and a rule's texts can be, whatever they hold), and an item's string made
 * with one two-byte part is two-byte whole. V8 encodes a two-byte string to UTF-8 at ~12
 * instructions a character against ~0.5 for a one-byte one (callgrind): the UTF-8 encoding of
 * OCSF's chunks at 1,000 accounts took 420 M instructions before this copy and 31 M after.
 */
function layoutOf(text: string): string[] {
  if (!BEYOND_LATIN1.test(text)) return [oneByte(text)];
  const layout = [''];
  for (const [i, part] of text.split(WIDE_RUNS).entries()) {
    if (i % 2 === 0) layout[layout.length - 1] = oneByte(part);
    else layout.push(part, '');
  }
  return layout;
}

/**
 * What JSON.stringify escapes in a string: quote, backslash, control characters and (when lone)
 * surrogates. Any surrogate sends a value the slow way, paired or not: rare, and then JSON.stringify decides.
 */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Most values (ids, ARNs, regions, uuids) have nothing to escape: they go in as they are, found so
 * by one test instead of a JSON.stringify and a slice each. Measured on 1.2 million ids and ARNs:
 * 0.20 s to 0.115 s; in the audit formats at 10,000 accounts this function went from 1.4 s of
 * self time to 0.8 s with the test.
 */
export function valueText(value: TemplateValue, whole: boolean): string {
  if (typeof value !== 'string') return 'json' in value ? value.json : whole ? `"${value.escaped}"` : value.escaped;
  if (!ESCAPED.test(value)) return whole ? `"${value}"` : value;
  const json = JSON.stringify(value);
  return whole ? json : json.slice(1, -1);
}

/** A string's JSON text without its quotes: what `{ escaped }` holds. */
export function escapedString(text: string): string {
  return valueText(text, false);
}

function isJsonText(value: TemplateValue | undefined): value is { json: string } {
  return typeof value === 'object' && 'json' in value;
}

/** A value as the builder places it when the shape has no template (or no template is wanted): a string as is, a JSON text parsed back (typed as the marker it stands for; the builder only places it). */
export function plainValue(value: TemplateValue | undefined): string | undefined {
  if (typeof value !== 'object') return value;
  return JSON.parse('json' in value ? value.json : `"${value.escaped}"`) as string;
}
