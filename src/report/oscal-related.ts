/**
 * OSCAL's related-observations lists: a finding lists the observation uuid of every verdict of its
 * control's rules, a risk those of its rule's FAIL verdicts (331,000 items for 150,195 verdicts at
 * 10,000 accounts, each uuid listed once per control its rule maps to). The uuids are recorded as
 * 16 bytes each while the observations are written (UuidsByRule), and a list is written from those
 * bytes in runs: each run's items are one Latin-1 text, the uuids' hex written among the item's
 * fixed text, with no string, template fill or escape test per uuid.
 */
import { indentedJson, LazyList, type TextPieces } from './canonical.ts';
import { UUID_TEXT_CHARACTERS, uuidBytes, uuidTextAt, writeUuidText } from './uuid-v5.ts';

const UUID_BYTES = 16;

/** The uuids [from, to) of one rule's recorded bytes (offsets in bytes, 16 a uuid). */
export interface UuidRun {
  bytes: Uint8Array;
  from: number;
  to: number;
}

/**
 * Uuids per run: a run's text (~110 characters an item) is about the 16 KB a batch of list items
 * is written in (canonical.ts renderedItems).
 */
const UUIDS_PER_RUN = 150;

/** Uuids by rule, 16 bytes each, in the order recorded. */
export class UuidsByRule {
  private readonly byRule = new Map<string, { bytes: Buffer; used: number }>();

  record(ruleId: string, uuid: string): void {
    let rule = this.byRule.get(ruleId);
    if (!rule) this.byRule.set(ruleId, (rule = { bytes: Buffer.allocUnsafe(UUID_BYTES * 64), used: 0 }));
    if (rule.used + UUID_BYTES > rule.bytes.length) {
      const grown = Buffer.allocUnsafe(rule.bytes.length * 2);
      rule.bytes.copy(grown, 0, 0, rule.used);
      rule.bytes = grown;
    }
    uuidBytes(uuid, rule.bytes, rule.used);
    rule.used += UUID_BYTES;
  }

  /** These rules' uuids in runs of at most UUIDS_PER_RUN, rule by rule in the order first recorded. */
  *runsOfRules(ruleIds: ReadonlySet<string>): Generator<UuidRun> {
    const rules = [...this.byRule].filter(([id]) => ruleIds.has(id)).map(([, r]) => r);
    const step = UUID_BYTES * UUIDS_PER_RUN;
    for (const r of rules) for (let at = 0; at < r.used; at += step) yield { bytes: r.bytes, from: at, to: Math.min(at + step, r.used) };
  }
}

/** A related observation as written: `{ "observation-uuid": uuid }`. */
const relatedObservation = (uuid: string) => ({ 'observation-uuid': uuid });

/** The uuids of some runs, as text. */
function* uuidsOf(runs: Iterable<UuidRun>): Generator<string> {
  for (const run of runs) for (let at = run.from; at < run.to; at += UUID_BYTES) yield uuidTextAt(run.bytes, at);
}

/**
 * An item's fixed text nested `indent` deep, as bytes: before its uuid, after it, and between two
 * items of a run (what renderedItems puts before every item but the first).
 */
interface ItemLayout {
  before: Buffer;
  after: Buffer;
  between: Buffer;
}

const MARKER = '\u0000uuid\u0000';

function itemLayout(indent: string): ItemLayout {
  const text = indentedJson(relatedObservation(MARKER), indent);
  const marker = JSON.stringify(MARKER).slice(1, -1);
  const at = text.indexOf(marker);
  return {
    before: Buffer.from(text.slice(0, at), 'latin1'),
    after: Buffer.from(text.slice(at + marker.length), 'latin1'),
    between: Buffer.from(`,\n${indent}`, 'latin1'),
  };
}

/** `text` copied into `out` at `at`, byte by byte (a few dozen bytes: Buffer.copy's call costs more); returns where it ends. */
function put(text: Uint8Array, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text[i]!;
  return at + text.length;
}

/**
 * A related-observations list of these runs: written run by run (a run is one item of the LazyList
 * whose text holds all its uuids' items, joined as renderedItems joins items), and as the flat list
 * of `{ "observation-uuid" }` objects when serialised whole (toJSON).
 */
export class RelatedObservations extends LazyList<UuidRun> {
  constructor(runs: Iterable<UuidRun>) {
    const layouts = new Map<string, ItemLayout>();
    let out = Buffer.allocUnsafe(1 << 14);
    super(
      runs,
      () => {
        throw new Error('a run of related observations is written whole or as its items (toJSON)');
      },
      (run: UuidRun, indent: string): TextPieces => {
        let layout = layouts.get(indent);
        if (!layout) layouts.set(indent, (layout = itemLayout(indent)));
        const { before, after, between } = layout;
        const count = (run.to - run.from) / UUID_BYTES;
        const most = count * (before.length + UUID_TEXT_CHARACTERS + after.length + between.length);
        if (most > out.length) out = Buffer.allocUnsafe(most);
        let k = 0;
        for (let at = run.from; at < run.to; at += UUID_BYTES) {
          if (at !== run.from) k = put(between, out, k);
          k = put(before, out, k);
          k = writeUuidText(run.bytes, at, out, k);
          k = put(after, out, k);
        }
        return out.toString('latin1', 0, k);
      },
    );
  }

  override toJSON(): unknown[] {
    return Array.from(uuidsOf(this.items), relatedObservation);
  }
}
