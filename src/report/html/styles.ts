/**
 * The report's stylesheet, inlined in a <style> element. No web fonts, images or imports: the
 * page's Content-Security-Policy allows nothing to be fetched.
 * Every status has a colour AND its text label, so nothing depends on colour vision. Words never
 * break in the middle; only long tokens (ARNs, ids, hashes: class "token") may wrap anywhere.
 * Below 720 px the verdict table becomes one card per verdict; the print stylesheet drops the
 * controls, opens the matrix and keeps each verdict on one page where it fits.
 */
export const REPORT_CSS = `
:root { --fail: #b3261e; --fail-bg: #fde7e6; --error: #7a4a00; --error-bg: #fff1d6; --supp: #5b4a8b; --supp-bg: #ece8f6;
  --pass: #1e6b34; --pass-bg: #e3f4e8; --na: #4a4a4a; --na-bg: #eeeeee; --line: #d0d4da; --muted: #545b66; --link: #0b57a4; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #fff; overflow-wrap: break-word; }
header, main, footer { padding: 0 24px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
a { color: var(--link); }
.token, .token * { overflow-wrap: anywhere; }
.gate { font-weight: 600; margin: 4px 0 8px; }
.gate.exit-1 { color: var(--fail); } .gate.exit-3 { color: var(--error); } .gate.exit-0 { color: var(--pass); }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 16px; margin: 8px 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; min-width: 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 360px; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; max-width: 100%; position: relative; }
nav.toc { padding: 0 24px; }
nav.toc ul, nav.pager { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 8px 0; }
nav.pager { margin: 12px 0; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 8px 0; }
.counts li { padding: 6px 12px; border-radius: 6px; border: 1px solid var(--line); }
.counts strong { font-size: 18px; margin-right: 4px; }
.s-FAIL { background: var(--fail-bg); color: var(--fail); }
.s-ERROR { background: var(--error-bg); color: var(--error); }
.s-SUPPRESSED { background: var(--supp-bg); color: var(--supp); }
.s-PASS { background: var(--pass-bg); color: var(--pass); }
.s-NOT_APPLICABLE { background: var(--na-bg); color: var(--na); }
td.num.s-FAIL a, td.num.s-ERROR a { color: inherit; }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; font-size: 12px; white-space: nowrap; }
.matrix-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--line); position: relative; }
#matrix { margin: 0; }
#matrix th.rule { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; max-height: 260px; }
#matrix th[scope=row] { white-space: nowrap; font-weight: 500; background: #fafafa; position: sticky; left: 0; }
#matrix td.cell { text-align: center; padding: 0; min-width: 64px; }
#matrix td.cell a { display: block; padding: 4px 6px; color: inherit; text-decoration: none; }
#matrix td.cell a:hover, #matrix td.cell a:focus { outline: 2px solid #1b1f24; outline-offset: -2px; }
#matrix td.empty { color: #5f6670; }
.part { display: block; font-size: 12px; font-weight: 600; white-space: nowrap; }
.legend { display: flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
form#filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; padding: 8px 0; position: sticky; top: 0; background: #fff; z-index: 2; border-bottom: 1px solid var(--line); }
form#filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form#filters select, form#filters input { font: inherit; color: #1b1f24; padding: 3px 6px; min-width: 120px; max-width: 100%; }
#shown { margin: 0; }
#verdicts { width: 100%; }
#verdicts > tbody > tr > td.msg { min-width: 260px; max-width: 640px; }
#verdicts > tbody > tr[hidden] { display: none; }
.sub { color: var(--muted); font-size: 12px; display: block; }
.s-FAIL .sub, .s-ERROR .sub { color: inherit; }
details summary { cursor: pointer; color: var(--link); margin-top: 4px; }
table.kv { margin: 4px 0; font-size: 12px; width: 100%; }
table.kv th { font-weight: 600; color: var(--muted); background: #fafbfc; width: 1%; white-space: nowrap; }
table.kv td { overflow-wrap: anywhere; }
ul.values { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 2px 8px; }
ol.items { margin: 0; padding-left: 20px; }
ul.plain { margin: 0; padding: 0; list-style: none; }
.nil { color: var(--muted); font-style: italic; }
.shared-evidence { border-top: 1px solid var(--line); padding-top: 4px; }
.note { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { border-top: 1px solid var(--line); margin-top: 32px; padding: 12px 24px; color: var(--muted); }
@media print, (max-width: 720px) {
  #verdicts, #verdicts > tbody, #verdicts > tbody > tr, #verdicts > tbody > tr > td { display: block; width: 100%; }
  #verdicts > thead { display: none; }
  #verdicts > tbody > tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; padding: 6px 8px; }
  #verdicts > tbody > tr > td { border: none; padding: 2px 0; }
  #verdicts > tbody > tr > td.msg { min-width: 0; max-width: none; }
  #verdicts > tbody > tr > td::before { display: block; font-size: 11px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
  #verdicts > tbody > tr > td:nth-child(1)::before { content: "Status"; }
  #verdicts > tbody > tr > td:nth-child(2)::before { content: "Severity"; }
  #verdicts > tbody > tr > td:nth-child(3)::before { content: "Rule"; }
  #verdicts > tbody > tr > td:nth-child(4)::before { content: "Account"; }
  #verdicts > tbody > tr > td:nth-child(5)::before { content: "Resource"; }
  #verdicts > tbody > tr > td:nth-child(6)::before { content: "Message"; }
  #verdicts > tbody > tr[hidden] { display: none; }
}
@media (max-width: 720px) {
  header, main, footer, nav.toc { padding-left: 12px; padding-right: 12px; }
  dl.meta { grid-template-columns: minmax(0, 1fr); } dl.meta dd { margin-bottom: 4px; }
  form#filters { position: static; }
  form#filters label { flex: 1 1 140px; }
  table.kv, table.kv > tbody, table.kv > tbody > tr, table.kv > tbody > tr > th, table.kv > tbody > tr > td { display: block; width: auto; border: none; }
  table.kv > tbody > tr { border-top: 1px solid var(--line); padding: 2px 0; }
  table.kv > tbody > tr > th { white-space: normal; overflow-wrap: anywhere; background: none; padding: 0; }
  table.kv > tbody > tr > td { padding: 0 0 0 10px; }
}
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10pt; }
  header, main, footer, nav.toc { padding: 0; }
  form#filters label, form#filters button, nav.toc, nav.pager, details.raw, .matrix-wrap + .note { display: none; }
  form#filters { position: static; border: none; padding: 0; }
  thead th, #matrix th[scope=row] { position: static; }
  .matrix-wrap, .table-wrap { max-height: none; overflow: visible; border: none; }
  #matrix { font-size: 7pt; width: 100%; table-layout: fixed; }
  #matrix thead th:first-child { width: 22%; }
  #matrix th[scope=row] { white-space: normal; }
  #matrix th.rule { font-size: 7pt; padding: 2px 0; }
  #matrix td.cell { min-width: 0; }
  #matrix td.cell a, #matrix .part { padding: 1px 0; font-size: 7pt; white-space: normal; }
  pre { max-height: none; overflow: visible; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  tr, .shared-evidence, .counts li { break-inside: avoid; }
  table.kv { table-layout: fixed; }
  table.kv th { width: 28%; white-space: normal; overflow-wrap: anywhere; }
  #collection-errors { width: 100%; table-layout: fixed; }
  #collection-errors td { overflow-wrap: break-word; }
  #collection-errors td:nth-child(3) code { overflow-wrap: anywhere; }
  #collection-errors th:nth-child(5) { width: 38%; }
}
`;
