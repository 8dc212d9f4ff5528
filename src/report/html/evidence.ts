/**
 * Evidence on a page: each verdict's evidence is its compact JSON, once, in a `pre.ev-data` inside
 * the verdict's "Evidence" toggle; the page's script turns it into nested key/value tables with
 * the pretty JSON behind a "Raw JSON" toggle when the toggle is opened (or the page printed), so
 * the page carries the evidence once instead of three times (tables, pretty JSON and their
 * markup), and without the script the JSON is still there to read. Evidence shared by several
 * verdicts of a page is printed once, at the end of the page, and the verdicts link to it.
 */
import type { Verdict } from '../../contracts/verdict.ts';
import { evidenceTextOf } from '../evidence-texts.ts';
import { escapeText, html, raw, type Raw } from './escape.ts';

/** Evidence shorter than this (as JSON) is printed inline even when repeated: a link would be longer. */
const SHARE_MIN_CHARS = 160;

/** Characters of a long text read for its sample (sampleOf). */
const SAMPLED_CHARS = 64;

/**
 * A number that equal texts share: the length and SAMPLED_CHARS characters spread over the text,
 * mixed. A page's long texts are told apart by their samples first and compared whole only with
 * the texts of the same sample, a comparison that stops at the first difference: hashing each
 * text whole as a map key (~1 µs for 2 KB) was ~3.5 % of writing HTML at 35,000 accounts.
 */
function sampleOf(text: string): number {
  const step = text.length / SAMPLED_CHARS;
  let mixed = text.length;
  for (let i = 0; i < SAMPLED_CHARS; i++) mixed = Math.imul(mixed ^ text.charCodeAt(Math.floor(i * step)), 0x9e3779b1);
  // Kept to 30 bits: a small integer, a map key without a heap number.
  return mixed & 0x3fffffff;
}

/**
 * Distinct texts of one sample compared one by one; beyond this many, the sample's further texts
 * are looked up by text (texts alike in every sampled character, as a page's may be by the
 * hundred, are not compared each with all the others).
 */
const COMPARED_ALIKE = 8;

/**
 * The escaped compact JSON of a verdict's evidence, made once per evidence object for the whole
 * report (see oncePerObject); `compact` is the run's shared JSON.stringify of evidence
 * (EvidenceTexts). Evidence still unread in a spool is not parsed for it: its text is taken as the
 * spool wrote it, once per place while the place is recent (unreadEvidencePlace).
 */
export type EvidenceTexts = (verdict: Verdict) => string;

export function evidenceTexts(compact: (value: unknown) => string = (value) => JSON.stringify(value ?? null)): EvidenceTexts {
  return evidenceTextOf(compact, escapeText);
}

function evidenceData(text: string): string {
  return `<pre class="ev-data">${text}</pre>`;
}

/**
 * The evidence of one page's verdicts: which pieces appear more than once (printed once, under
 * "Shared evidence") and which stay inline. Ids follow the order of first use, so the page is
 * deterministic.
 */
export class PageEvidence {
  private readonly keys: string[];
  /** Per verdict, its long evidence's use; undefined for short evidence, never shared. */
  private readonly useOf: (SharedUse | undefined)[];
  private readonly shared: SharedUse[] = [];

  constructor(verdicts: readonly Verdict[], texts: EvidenceTexts) {
    this.keys = verdicts.map((v) => texts(v));
    this.useOf = new Array<SharedUse | undefined>(this.keys.length);
    // Distinct long texts in order of first use, found by sample, then by comparison with the
    // sample's first texts or, past COMPARED_ALIKE of them, by text.
    const distinct: SharedUse[] = [];
    const bySample = new Map<number, SharedUse[]>();
    const byText = new Map<string, SharedUse>();
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      if (key.length < SHARE_MIN_CHARS) continue;
      const sample = sampleOf(key);
      let alike = bySample.get(sample);
      if (!alike) bySample.set(sample, (alike = []));
      let use: SharedUse | undefined;
      for (let a = 0; a < alike.length; a++) {
        if (alike[a]!.text === key) {
          use = alike[a];
          break;
        }
      }
      if (!use && alike.length === COMPARED_ALIKE) use = byText.get(key);
      if (use) use.uses++;
      else {
        use = { text: key, uses: 1, id: undefined, reference: undefined };
        distinct.push(use);
        if (alike.length < COMPARED_ALIKE) alike.push(use);
        else byText.set(key, use);
      }
      this.useOf[i] = use;
    }
    for (const use of distinct) if (use.uses > 1) this.shared.push(use);
    this.shared.forEach((use, i) => (use.id = `ev-${i + 1}`));
  }

  /** The evidence of the i-th verdict, as markup: inline, or a link to the shared copy (a string: one per verdict row). */
  forVerdict(index: number): string {
    const shared = this.useOf[index];
    if (!shared?.id) return evidenceData(this.keys[index]!);
    return (shared.reference ??= html`<p class="shared-ref">Same evidence as ${shared.uses - 1} other verdict${shared.uses === 2 ? '' : 's'} on this page: <a href="#${shared.id}">shared evidence ${shared.id.slice(3)}</a></p>`.html);
  }

  section(): Raw {
    if (this.shared.length === 0) return raw('');
    return html`<section aria-labelledby="h-shared-evidence"><h2 id="h-shared-evidence">Shared evidence</h2><p class="note">Evidence that several verdicts on this page share, printed once.</p>${this.shared.map(
      (s) => html`<div class="shared-evidence" id="${s.id!}"><h3>Shared evidence ${s.id!.slice(3)} <span class="sub">used by ${s.uses} verdicts</span></h3>${raw(evidenceData(s.text))}</div>`,
    )}</section>`;
  }
}

interface SharedUse {
  text: string;
  uses: number;
  id: string | undefined;
  /** The link every verdict using it shows, made once. */
  reference: string | undefined;
}
