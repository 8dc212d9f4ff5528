/**
 * canonicalJson (audit-common.ts) of a value given as JSON.stringify's compact text, without
 * parsing it into objects: OSCAL names each distinct evidence by a uuid of its canonical text, and
 * the evidence it reads from a spool is that compact text. Parsing it (JSON.parse) only to copy
 * its out-of-order objects and write it again (sortedPlainCopy, JSON.stringify) was ~0.3 s of
 * writing OSCAL alone at 10,000 accounts, and its objects garbage to collect.
 *
 * The text must be JSON.stringify's own output: then each string and number in it is already
 * what JSON.stringify writes of what JSON.parse makes of it, and only object members need sorting
 * (by key, UTF-16 code unit order, as compareStrings). Parts already in order are copied as they
 * are. Keys that canonicalJson treats apart are left to it (undefined): a key that starts with a
 * digit (an array index is put first by JSON.parse and JSON.stringify), "__proto__", and keys
 * holding an escape (their text is not their value).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const PROTO = '__proto__';
const SPACE = 0x20;

/** Thrown inside, when canonicalJson must decide: the caller gets undefined. */
const LEFT_TO_CANONICAL_JSON = Symbol('left to canonicalJson');

/** A member of an object: where its text (key, colon and value) lies, or its value's new text. Its key is text[start + 1, valueStart - 2). */
interface Member {
  start: number;
  valueStart: number;
  end: number;
  /** The value's canonical text when it is not its text in the source (an object inside reordered). */
  value: string | undefined;
}

/** canonicalJson(JSON.parse(compact)), or undefined where canonicalJson must decide (see above). */
export function canonicalJsonText(compact: string): string | undefined {
  const reader = new Reader(compact);
  try {
    const text = reader.value();
    return reader.at === compact.length ? (text ?? compact) : undefined;
  } catch (err) {
    if (err === LEFT_TO_CANONICAL_JSON) return undefined;
    throw err;
  }
}

class Reader {
  at = 0;

  constructor(private readonly text: string) {}

  /** The canonical text of the value at `at`, which moves past it; undefined when it is the value's own text. */
  value(): string | undefined {
    const c = this.text.charCodeAt(this.at);
    if (c === OPEN_BRACE) return this.object();
    if (c === OPEN_BRACKET) return this.array();
    if (c === QUOTE) this.skipString();
    else this.skipScalar();
    return undefined;
  }

  private object(): string | undefined {
    const text = this.text;
    this.at++;
    if (text.charCodeAt(this.at) === CLOSE_BRACE) {
      this.at++;
      return undefined;
    }
    const members: Member[] = [];
    let inOrder = true;
    let changed = false;
    for (;;) {
      const memberStart = this.at;
      this.key();
      if (text.charCodeAt(this.at++) !== COLON) throw LEFT_TO_CANONICAL_JSON;
      const valueStart = this.at;
      const value = this.value();
      if (value !== undefined) changed = true;
      const member = { start: memberStart, valueStart, end: this.at, value };
      if (members.length > 0 && compareKeys(text, members[members.length - 1]!, member) > 0) inOrder = false;
      members.push(member);
      const next = text.charCodeAt(this.at++);
      if (next === CLOSE_BRACE) break;
      if (next !== COMMA) throw LEFT_TO_CANONICAL_JSON;
    }
    if (inOrder && !changed) return undefined;
    if (!inOrder) sortByKey(text, members);
    let out = '{';
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!;
      if (i > 0) out += ',';
      out += m.value === undefined ? text.slice(m.start, m.end) : text.slice(m.start, m.valueStart) + m.value;
    }
    return `${out}}`;
  }

  private array(): string | undefined {
    const text = this.text;
    const start = ++this.at;
    if (text.charCodeAt(this.at) === CLOSE_BRACKET) {
      this.at++;
      return undefined;
    }
    // The items' texts, from the first one that changed on: before it, the source's text.
    let out: string | undefined;
    let itemStart = start;
    for (;;) {
      const item = this.value();
      if (item !== undefined && out === undefined) out = `[${text.slice(start, itemStart)}`;
      if (out !== undefined) out += item ?? text.slice(itemStart, this.at);
      const next = text.charCodeAt(this.at++);
      if (next === CLOSE_BRACKET) break;
      if (next !== COMMA) throw LEFT_TO_CANONICAL_JSON;
      if (out !== undefined) out += ',';
      itemStart = this.at;
    }
    return out === undefined ? undefined : `${out}]`;
  }

  /** Passes a member's key, which canonicalJson would sort as its text: no escape in it, no leading digit, not "__proto__". */
  private key(): void {
    const text = this.text;
    if (text.charCodeAt(this.at) !== QUOTE) throw LEFT_TO_CANONICAL_JSON;
    const start = this.at + 1;
    const first = text.charCodeAt(start);
    if (first >= DIGIT_0 && first <= DIGIT_9) throw LEFT_TO_CANONICAL_JSON;
    let i = start;
    for (let c = text.charCodeAt(i); c !== QUOTE; c = text.charCodeAt(++i)) {
      if (c === BACKSLASH || i >= text.length) throw LEFT_TO_CANONICAL_JSON;
    }
    this.at = i + 1;
    if (i - start === PROTO.length && text.startsWith(PROTO, start)) throw LEFT_TO_CANONICAL_JSON;
  }

  private skipString(): void {
    const text = this.text;
    let i = this.at + 1;
    for (let c = text.charCodeAt(i); c !== QUOTE; c = text.charCodeAt(++i)) {
      if (i >= text.length) throw LEFT_TO_CANONICAL_JSON;
      if (c === BACKSLASH) i++;
    }
    this.at = i + 1;
  }

  /** A number, true, false or null: up to the comma or bracket that ends it (or a space, which compact JSON has none of there). */
  private skipScalar(): void {
    const text = this.text;
    let i = this.at;
    for (let c = text.charCodeAt(i); c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c > SPACE && i < text.length; c = text.charCodeAt(++i));
    if (i === this.at) throw LEFT_TO_CANONICAL_JSON;
    this.at = i;
  }
}

/** Up to this many members are sorted by insertion (as sortKeys, audit-common.ts): Array.prototype.sort allocates work arrays on every call. */
const INSERTION_SORT_MEMBERS = 32;

/** By key, UTF-16 code unit order (compareStrings); an object's keys are distinct. */
function sortByKey(text: string, members: Member[]): void {
  if (members.length > INSERTION_SORT_MEMBERS) {
    members.sort((a, b) => compareKeys(text, a, b));
    return;
  }
  for (let i = 1; i < members.length; i++) {
    const m = members[i]!;
    let j = i - 1;
    for (; j >= 0 && compareKeys(text, members[j]!, m) > 0; j--) members[j + 1] = members[j]!;
    members[j + 1] = m;
  }
}

/** The members' keys compared in place (compareStrings), without a string made of either: their texts are their values (no escapes). */
function compareKeys(text: string, a: Member, b: Member): number {
  const aEnd = a.valueStart - 2;
  const bEnd = b.valueStart - 2;
  for (let i = a.start + 1, j = b.start + 1; ; i++, j++) {
    // A key that is the start of the other comes first.
    if (i === aEnd) return j === bEnd ? 0 : -1;
    if (j === bEnd) return 1;
    const d = text.charCodeAt(i) - text.charCodeAt(j);
    if (d !== 0) return d;
  }
}
