/**
 * Evidence as people read it: nested key/value tables, lists of plain values on one line, and the
 * raw JSON behind a toggle. Evidence shared by several verdicts of a page is printed once, at the
 * end of the page, and the verdicts link to it.
 */
import type { Verdict } from '../../contracts/verdict.ts';
import { canonicalJson, prettyJson } from '../audit-common.ts';
import { html, raw, type Raw } from './escape.ts';

/** Deeper than this the tables stop helping; the rest is shown as JSON. */
const MAX_TABLE_DEPTH = 6;
/** Evidence shorter than this (as JSON) is printed inline even when repeated: a link would be longer. */
const SHARE_MIN_CHARS = 160;

function scalar(value: unknown): Raw {
  if (value === null || value === undefined) return html`<span class="nil">null</span>`;
  if (typeof value === 'string') return value === '' ? html`<span class="nil">(empty)</span>` : html`${value}`;
  return html`<code>${String(value)}</code>`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

export function evidenceTable(value: unknown, depth = 0): Raw {
  if (isScalar(value)) return scalar(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return html`<span class="nil">(none)</span>`;
    if (value.every(isScalar)) return html`<ul class="values">${value.map((v) => html`<li>${scalar(v)}</li>`)}</ul>`;
  }
  if (depth >= MAX_TABLE_DEPTH) return html`<pre>${prettyJson(value)}</pre>`;
  if (Array.isArray(value)) {
    return html`<ol class="items">${value.map((v) => html`<li>${evidenceTable(v, depth + 1)}</li>`)}</ol>`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return html`<span class="nil">(empty)</span>`;
  return html`<table class="kv"><tbody>${entries.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${evidenceTable(v, depth + 1)}</td></tr>`)}</tbody></table>`;
}

export function evidenceBlock(value: unknown): Raw {
  return html`${evidenceTable(value ?? null)}<details class="raw"><summary>Raw JSON</summary><pre>${prettyJson(value)}</pre></details>`;
}

/**
 * The evidence of one page's verdicts: which pieces appear more than once (printed once, under
 * "Shared evidence") and which stay inline. Ids follow the order of first use, so the page is
 * deterministic.
 */
export class PageEvidence {
  private readonly keys: string[];
  private readonly shared = new Map<string, { id: string; value: unknown; uses: number }>();

  constructor(verdicts: readonly Verdict[]) {
    this.keys = verdicts.map((v) => canonicalJson(v.evidence ?? null));
    const uses = new Map<string, number>();
    for (const key of this.keys) uses.set(key, (uses.get(key) ?? 0) + 1);
    verdicts.forEach((v, i) => {
      const key = this.keys[i]!;
      if (uses.get(key)! > 1 && key.length >= SHARE_MIN_CHARS && !this.shared.has(key)) {
        this.shared.set(key, { id: `ev-${this.shared.size + 1}`, value: v.evidence ?? null, uses: uses.get(key)! });
      }
    });
  }

  /** The evidence of the i-th verdict: inline, or a link to the shared copy. */
  forVerdict(index: number, value: unknown): Raw {
    const shared = this.shared.get(this.keys[index]!);
    if (!shared) return evidenceBlock(value);
    return html`<p class="shared-ref">Same evidence as ${shared.uses - 1} other verdict${shared.uses === 2 ? '' : 's'} on this page: <a href="#${shared.id}">shared evidence ${shared.id.slice(3)}</a></p>`;
  }

  section(): Raw {
    if (this.shared.size === 0) return raw('');
    return html`<section aria-labelledby="h-shared-evidence"><h2 id="h-shared-evidence">Shared evidence</h2><p class="note">Evidence that several verdicts on this page share, printed once.</p>${[...this.shared.values()].map(
      (s) => html`<div class="shared-evidence" id="${s.id}"><h3>Shared evidence ${s.id.slice(3)} <span class="sub">used by ${s.uses} verdicts</span></h3>${evidenceBlock(s.value)}</div>`,
    )}</section>`;
  }
}
