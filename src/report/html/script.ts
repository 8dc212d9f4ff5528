/**
 * The report's only script, inlined: client-side filters over the verdict table (status,
 * severity, OU, rule, free text), and matrix cells that filter to their rule × account.
 * It reads the DOM only; it fetches nothing.
 */
export const REPORT_JS = `
(() => {
  'use strict';
  const form = document.getElementById('filters');
  if (!form) return;
  const rows = Array.from(document.querySelectorAll('#verdicts tbody tr'));
  const matrixRows = Array.from(document.querySelectorAll('#matrix tbody tr'));
  const shown = document.getElementById('shown');
  const field = (name) => form.elements.namedItem(name);
  const apply = () => {
    const status = field('status').value;
    const severity = field('severity').value;
    const ou = field('ou').value;
    const rule = field('rule').value;
    const q = field('q').value.trim().toLowerCase();
    let visible = 0;
    for (const row of rows) {
      const d = row.dataset;
      const ok = (!status || d.status === status) && (!severity || d.severity === severity) && (!ou || d.ou === ou) &&
        (!rule || d.rule === rule) && (!q || row.textContent.toLowerCase().includes(q));
      row.hidden = !ok;
      if (ok) visible++;
    }
    for (const row of matrixRows) row.hidden = ou !== '' && row.dataset.ou !== ou;
    shown.textContent = visible + ' of ' + rows.length + ' verdicts shown';
  };
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('reset', () => setTimeout(apply, 0));
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-rule]') : null;
    if (!link) return;
    field('status').value = '';
    field('severity').value = '';
    field('ou').value = '';
    field('rule').value = link.dataset.rule;
    field('q').value = link.dataset.account;
    apply();
  });
  apply();
})();
`;
