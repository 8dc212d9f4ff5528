/**
 * The accounts × rules matrix. A cell holds the verdicts of one rule for one account (several for
 * trail and bucket rules), coloured by the worst status and labelled with a count per status. A
 * cell is a link that filters the verdict list to exactly that account × rule; the row header is a
 * link to all of the account's verdicts.
 */
import type { RuleMeta } from '../../contracts/verdict.ts';
import { DISPLAY_STATUSES, STATUS_LABEL } from '../audit-common.ts';
import { cellTotal, SLOTS, type HtmlAggregate, type MatrixRow } from './aggregate.ts';
import { escapeHtml, html, raw, type Raw } from './escape.ts';

/** Characters URLSearchParams writes as they are (the application/x-www-form-urlencoded byte set). */
const FORM_SAFE = /^[A-Za-z0-9*._-]*$/;

/**
 * The fragment the page's script reads as a filter: "#v?row=…&rule=…&status=…", as URLSearchParams
 * writes it. The paged report makes one per status of every accounts × rules cell (hundreds of
 * thousands); their values (account ids, rule ids, statuses) seldom need encoding, so those are
 * joined directly and only the others go through URLSearchParams.
 */
export function filterHash(filter: Filter): string {
  return plainQuery(filter, '&') ?? `#v?${encodedQuery(filter)}`;
}

/**
 * filterHash escaped for an attribute value: its only markup is the "&" between parameters
 * (URLSearchParams encodes every other one), so the plain hash is joined with "&amp;" directly,
 * not escaped after: the paged report's matrices hold hundreds of thousands of these links.
 */
export function filterHref(filter: Filter): Raw {
  return raw(plainQuery(filter, '&amp;') ?? escapeHtml(`#v?${encodedQuery(filter)}`));
}

type Filter = { ou?: string; row?: string; rule?: string; status?: string; control?: string };

/** The hash with its values as they are, parameters joined by `and`; undefined when a value needs encoding. */
function plainQuery(filter: Filter, and: string): string | undefined {
  let query = '';
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!FORM_SAFE.test(value)) return undefined;
    query += `${query ? and : ''}${key}=${value}`;
  }
  return `#v?${query}`;
}

const FILTER_KEYS = ['ou', 'row', 'rule', 'control', 'status'] as const;

function encodedQuery(filter: Partial<Record<(typeof FILTER_KEYS)[number], string>>): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined) params.set(key, value);
  }
  return params.toString();
}

/**
 * filterHref({ row, rule, status }) of each status part of a paged matrix's cells, the row's and
 * each rule's plain pieces made once: a matrix of 10,000 accounts has ~300,000 such links, and
 * testing and joining their three values for each cost more than the rest of the link.
 * `rowHrefs(rowKey)(rule, slot)`: `rule` is the rule's index in `rules`, `slot` the status's in DISPLAY_STATUSES.
 */
export function statusFilterHrefs(rules: readonly RuleMeta[]): (rowKey: string) => (rule: number, slot: number) => string {
  const plainTails = rules.map((r) => DISPLAY_STATUSES.map((s) => (FORM_SAFE.test(r.id) && FORM_SAFE.test(s) ? `&amp;rule=${r.id}&amp;status=${s}` : undefined)));
  return (rowKey) => {
    const plainRow = FORM_SAFE.test(rowKey) ? `#v?row=${rowKey}` : undefined;
    return (rule, slot) => {
      const tail = plainTails[rule]![slot];
      return plainRow !== undefined && tail !== undefined ? plainRow + tail : filterHref({ row: rowKey, rule: rules[rule]!.id, status: DISPLAY_STATUSES[slot]! }).html;
    };
  };
}

/** Where a matrix's links go: one page (whole cells filter in place) or the paged layout (one link per status). */
export interface MatrixLinks {
  /**
   * The links of one row's cells, escaped (filterHref), made once per row: `rule` is the rule's
   * index in the aggregate's rules, `slot` (when each status part links on its own) the status's
   * index in DISPLAY_STATUSES.
   */
  row(row: MatrixRow, rowIndex: number): (rule: number, slot?: number) => string;
  perStatus: boolean;
  /** All of an account's verdicts, when the page can show them. */
  account?(row: MatrixRow): string;
}

/** A status part's text after its link: the status labels and data attributes are fixed texts with nothing to escape (audit-common.ts). */
const PART_ENDS = DISPLAY_STATUSES.map((s) => ({ status: s, label: STATUS_LABEL[s] }));

/** The cell's parts, from its counts at `base` of the rule's column, unlinked (the one-page matrix links the whole cell). */
function parts(column: Uint32Array, base: number, total: number): string {
  let out = '';
  for (let slot = 0; slot < SLOTS; slot++) {
    const count = column[base + slot]!;
    if (count === 0) continue;
    const { status, label: statusLabel } = PART_ENDS[slot]!;
    out += `<span class="part" data-count-status="${status}">${total === 1 ? statusLabel : `${count} ${statusLabel}`}</span>`;
  }
  return out;
}

/** A linked part's start, before its link. */
const LINKED_PART = '<a class="part" href="';
/** A linked part's end after its link, per status slot, when the cell holds one verdict (most cells): no count in its label. */
const LINKED_PART_ENDS_OF_ONE = PART_ENDS.map(({ status, label }) => `" data-count-status="${status}">${label}</a>`);

/**
 * The cell's parts, each a link to its status's verdicts: `link(rule, slot)` comes escaped. Joined
 * from a few fixed pieces (a paged matrix has ~300,000 such parts at 10,000 accounts, each a
 * template of seven pieces before).
 */
function linkedParts(column: Uint32Array, base: number, total: number, link: (rule: number, slot?: number) => string, rule: number): string {
  let out = '';
  for (let slot = 0; slot < SLOTS; slot++) {
    const count = column[base + slot]!;
    if (count === 0) continue;
    if (total === 1) out += LINKED_PART + link(rule, slot) + LINKED_PART_ENDS_OF_ONE[slot]!;
    else out += `${LINKED_PART}${link(rule, slot)}" data-count-status="${PART_ENDS[slot]!.status}">${count} ${PART_ENDS[slot]!.label}</a>`;
  }
  return out;
}

/**
 * An empty cell's text around its dash: "–" is the only character beyond Latin-1 in a row of the
 * matrix, and would make the whole row a two-byte string, which V8 encodes to UTF-8 at several
 * times the cost of a one-byte one (src/shared/one-byte.ts); the dash is a chunk of its own.
 */
const EMPTY_CELL_DASH = '–';
const EMPTY_CELL_END = '</span><span class="sr-only">no verdict</span></td>';

export function* matrixChunks(agg: HtmlAggregate, rows: readonly MatrixRow[], links: MatrixLinks): Generator<string> {
  yield html`<div class="matrix-wrap" tabindex="0" role="region" aria-label="Accounts × rules matrix, scrolls"><table id="matrix"><caption class="sr-only">Verdicts per account and rule</caption><thead><tr><th scope="col">Account</th>${agg.rules.map(
    (r) => html`<th scope="col" class="rule" title="${r.title}">${r.id}</th>`,
  )}</tr></thead><tbody>`.html;
  const rules = agg.rules;
  const ruleIds = rules.map((rule) => escapeHtml(rule.id));
  const columns = rules.map((_, i) => agg.countColumn(i));
  // Each cell's start up to its account's key, made once per rule (and worst status): the cells
  // of a row differ only in these, the key and the total.
  const emptyCellStarts = ruleIds.map((id) => `<td class="cell empty" data-rule="${id}" data-account="`);
  const cellStarts = ruleIds.map((id) => DISPLAY_STATUSES.map((status) => `<td class="cell s-${status}" data-rule="${id}" data-account="`));
  for (const row of rows) {
    const name = links.account ? html`<a href="${links.account(row)}" title="All verdicts of ${row.label}">${row.label}</a>` : html`${row.label}`;
    const rowKey = escapeHtml(row.key);
    const rowIndex = agg.rowIndexOf(row.key);
    const base = rowIndex * SLOTS;
    const link = links.row(row, rowIndex);
    // After a cell's start: the key, and the total when it is 1 (most cells) or any other.
    const keyOfOne = `${rowKey}" data-total="1">`;
    const keyAndTotal = `${rowKey}" data-total="`;
    const emptyKey = `${rowKey}"><span aria-hidden="true">`;
    // The row's header, with its " · ", is a chunk of its own: the cells after it (most of the
    // row's bytes) stay ASCII, which V8 encodes to UTF-8 as a copy (verdict-list.ts, verdictListChunks).
    yield html`<tr id="acct-${row.key}" data-ou="${row.ouPath}" data-account="${row.key}"><th scope="row">${name} <span class="sub">${row.sub} · ${row.ouPath}</span></th>`.html;
    let line = '';
    for (let rule = 0; rule < rules.length; rule++) {
      const column = columns[rule]!;
      const total = cellTotal(column, base);
      if (total === 0) {
        yield line + emptyCellStarts[rule]! + emptyKey;
        yield EMPTY_CELL_DASH;
        line = EMPTY_CELL_END;
        continue;
      }
      let worst = 0;
      while (column[base + worst] === 0) worst++;
      line += cellStarts[rule]![worst]! + (total === 1 ? keyOfOne : `${keyAndTotal}${total}">`);
      if (links.perStatus) line += linkedParts(column, base, total, link, rule) + '</td>';
      else line += `${html`<a href="${raw(link(rule))}" title="${rules[rule]!.id} for ${row.label}: show these verdicts">${raw(parts(column, base, total))}</a>`.html}</td>`;
    }
    yield `${line}</tr>`;
  }
  yield '</tbody></table></div>';
}
