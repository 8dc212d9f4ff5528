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
  /** Evidence long enough to share, by text, in order of first use: how often the page uses it, and its id once it is shared. */
  private readonly long = new Map<string, SharedUse>();
  private readonly shared: [string, SharedUse][] = [];

  constructor(verdicts: readonly Verdict[], texts: EvidenceTexts) {
    this.keys = verdicts.map((v) => texts(v));
    // Short evidence is never shared: only the long texts are counted (hashing a text reads all of it).
    for (const key of this.keys) {
      if (key.length < SHARE_MIN_CHARS) continue;
      const use = this.long.get(key);
      if (use) use.uses++;
      else this.long.set(key, { uses: 1, id: undefined, reference: undefined });
    }
    for (const entry of this.long) if (entry[1].uses > 1) this.shared.push(entry);
    this.shared.forEach(([, use], i) => (use.id = `ev-${i + 1}`));
  }

  /** The evidence of the i-th verdict: inline, or a link to the shared copy. */
  forVerdict(index: number): Raw {
    const key = this.keys[index]!;
    const shared = key.length < SHARE_MIN_CHARS ? undefined : this.long.get(key);
    if (!shared?.id) return raw(evidenceData(key));
    return (shared.reference ??= html`<p class="shared-ref">Same evidence as ${shared.uses - 1} other verdict${shared.uses === 2 ? '' : 's'} on this page: <a href="#${shared.id}">shared evidence ${shared.id.slice(3)}</a></p>`);
  }

  section(): Raw {
    if (this.shared.length === 0) return raw('');
    return html`<section aria-labelledby="h-shared-evidence"><h2 id="h-shared-evidence">Shared evidence</h2><p class="note">Evidence that several verdicts on this page share, printed once.</p>${this.shared.map(
      ([text, s]) => html`<div class="shared-evidence" id="${s.id!}"><h3>Shared evidence ${s.id!.slice(3)} <span class="sub">used by ${s.uses} verdicts</span></h3>${raw(evidenceData(text))}</div>`,
    )}</section>`;
  }
}

interface SharedUse {
  uses: number;
  id: string | undefined;
  /** The link every verdict using it shows, made once. */
  reference: Raw | undefined;
}
