/**
 * The report's only script, inlined: filters over the verdict list (status, severity, OU,
 * account, rule, framework control, free text). Links whose fragment is "#v?row=…&rule=…" set the
 * filters exactly (a matrix cell: one account × one rule; an account: all its verdicts; a
 * control: its rules), in the page or, in the paged layout, on the page they open. Before printing
 * it opens every evidence toggle, so the PDF holds the evidence; evidence arrives
 * as compact JSON and is shown as key/value tables when its toggle opens. It reads the DOM only; it fetches
 * nothing.
 */
export const REPORT_JS = `
(() => {
  'use strict';
  const MAX_TABLE_DEPTH = 6;
  const make = (tag, className, text) => {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const isScalar = (v) => v === null || typeof v !== 'object';
  const scalar = (v) => {
    if (v === null || v === undefined) return make('span', 'nil', 'null');
    if (typeof v === 'string') return v === '' ? make('span', 'nil', '(empty)') : document.createTextNode(v);
    return make('code', '', String(v));
  };
  const table = (value, depth) => {
    if (isScalar(value)) return scalar(value);
    if (Array.isArray(value)) {
      if (value.length === 0) return make('span', 'nil', '(none)');
      if (value.every(isScalar)) {
        const ul = make('ul', 'values');
        for (const v of value) ul.appendChild(make('li')).appendChild(scalar(v));
        return ul;
      }
    }
    if (depth >= MAX_TABLE_DEPTH) return make('pre', '', JSON.stringify(value, null, 2));
    if (Array.isArray(value)) {
      const ol = make('ol', 'items');
      for (const v of value) ol.appendChild(make('li')).appendChild(table(v, depth + 1));
      return ol;
    }
    const entries = Object.entries(value);
    if (entries.length === 0) return make('span', 'nil', '(empty)');
    const t = make('table', 'kv');
    const body = t.appendChild(make('tbody'));
    for (const [k, v] of entries) {
      const tr = body.appendChild(make('tr'));
      const th = tr.appendChild(make('th', '', k));
      th.scope = 'row';
      tr.appendChild(make('td')).appendChild(table(v, depth + 1));
    }
    return t;
  };
  // Evidence arrives as compact JSON (pre.ev-data): shown as tables, with the pretty JSON behind a toggle, once opened.
  const showEvidence = (pre) => {
    let value;
    try { value = JSON.parse(pre.textContent); } catch { return; }
    const raw = make('details', 'raw');
    raw.appendChild(make('summary', '', 'Raw JSON'));
    raw.appendChild(make('pre', '', JSON.stringify(value, null, 2)));
    pre.replaceWith(table(value, 0), raw);
  };
  const showAll = (root) => { for (const pre of root.querySelectorAll('pre.ev-data')) showEvidence(pre); };
  document.addEventListener('toggle', (event) => { if (event.target instanceof HTMLDetailsElement && event.target.open) showAll(event.target); }, true);
  for (const shared of document.querySelectorAll('.shared-evidence')) showAll(shared);
  const opened = [];
  window.addEventListener('beforeprint', () => {
    for (const d of document.querySelectorAll('details.evidence:not([open])')) { d.open = true; opened.push(d); }
    showAll(document);
  });
  window.addEventListener('afterprint', () => { for (const d of opened.splice(0)) d.open = false; });
  const form = document.getElementById('filters');
  if (!form) return;
  const FINDINGS = new Set(['FAIL', 'ERROR', 'SUPPRESSED']);
  const NAMES = ['status', 'severity', 'ou', 'row', 'rule', 'control', 'q'];
  const rows = Array.from(document.querySelectorAll('#verdicts > tbody > tr'));
  const matrixRows = Array.from(document.querySelectorAll('#matrix > tbody > tr'));
  const shown = document.getElementById('shown');
  const field = (name) => form.elements.namedItem(name);
  const value = (name) => { const f = field(name); return f ? f.value.trim() : ''; };
  const apply = () => {
    const status = value('status');
    const severity = value('severity');
    const ou = value('ou');
    const row = value('row');
    const rule = value('rule');
    const q = value('q').toLowerCase();
    const control = field('control') && field('control').selectedOptions[0];
    const rules = control && control.dataset.rules ? new Set(control.dataset.rules.split(' ')) : null;
    let visible = 0;
    for (const tr of rows) {
      const d = tr.dataset;
      const ok = (status === 'findings' ? FINDINGS.has(d.status) : !status || d.status === status) &&
        (!severity || d.severity === severity) && (!ou || d.ou === ou) && (!row || d.row === row) &&
        (!rule || d.rule === rule) && (!rules || rules.has(d.rule)) && (!q || tr.textContent.toLowerCase().includes(q));
      tr.hidden = !ok;
      if (ok) visible++;
    }
    for (const tr of matrixRows) tr.hidden = ou !== '' && tr.dataset.ou !== ou;
    shown.textContent = visible + ' of ' + rows.length + ' verdicts shown';
  };
  const fromFragment = (fragment) => {
    if (!fragment.startsWith('#v?')) return false;
    const params = new URLSearchParams(fragment.slice(3));
    for (const name of NAMES) {
      const f = field(name);
      if (!f) continue;
      const initial = f.tagName === 'SELECT' ? (f.querySelector('option[selected]') || f.options[0]).value : '';
      f.value = params.has(name) ? params.get(name) : initial;
    }
    apply();
    const heading = document.getElementById('h-verdicts');
    if (heading) heading.scrollIntoView();
    return true;
  };
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('reset', () => setTimeout(apply, 0));
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#v?"]') : null;
    if (!link) return;
    event.preventDefault();
    fromFragment(link.getAttribute('href'));
  });
  window.addEventListener('hashchange', () => fromFragment(location.hash));
  if (!fromFragment(location.hash)) apply();
})();
`;
