/**
 * The report's stylesheet, inlined in a <style> element. No web fonts, images or imports: the
 * page's Content-Security-Policy allows nothing to be fetched.
 * Every status has a colour AND its text label, so nothing depends on colour vision.
 */
export const REPORT_CSS = `
:root { --fail: #b3261e; --fail-bg: #fde7e6; --error: #8a5300; --error-bg: #fff1d6; --supp: #5b4a8b; --supp-bg: #ece8f6;
  --pass: #1e6b34; --pass-bg: #e3f4e8; --na: #555; --na-bg: #eeeeee; --line: #d0d4da; --muted: #5a6270; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; background: #fff; }
header, main, footer { padding: 0 24px; }
header { border-bottom: 1px solid var(--line); padding-bottom: 12px; }
h1 { font-size: 22px; margin: 16px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.gate { font-weight: 600; margin: 4px 0 8px; }
.gate.exit-1 { color: var(--fail); } .gate.exit-3 { color: var(--error); } .gate.exit-0 { color: var(--pass); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-all; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 360px; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: #f3f4f6; position: sticky; top: 0; z-index: 1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 8px 0; }
.counts li { padding: 6px 12px; border-radius: 6px; border: 1px solid var(--line); }
.counts strong { font-size: 18px; margin-right: 4px; }
.s-FAIL { background: var(--fail-bg); color: var(--fail); }
.s-ERROR { background: var(--error-bg); color: var(--error); }
.s-SUPPRESSED { background: var(--supp-bg); color: var(--supp); }
.s-PASS { background: var(--pass-bg); color: var(--pass); }
.s-NOT_APPLICABLE { background: var(--na-bg); color: var(--na); }
.badge { display: inline-block; padding: 0 6px; border-radius: 4px; font-weight: 600; font-size: 12px; white-space: nowrap; }
.matrix-wrap { overflow: auto; max-height: 70vh; border: 1px solid var(--line); }
#matrix { margin: 0; }
#matrix th.rule { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: 500; max-height: 260px; }
#matrix th[scope=row] { white-space: nowrap; font-weight: 500; background: #fafafa; position: sticky; left: 0; }
#matrix td.cell { text-align: center; padding: 0; min-width: 64px; }
#matrix td.cell a { display: block; padding: 4px 6px; color: inherit; text-decoration: none; }
#matrix td.cell a:hover, #matrix td.cell a:focus { outline: 2px solid #1b1f24; outline-offset: -2px; }
#matrix td.empty { color: #9aa0a6; }
.part { display: block; font-size: 12px; font-weight: 600; white-space: nowrap; }
.legend { display: flex; gap: 8px; flex-wrap: wrap; margin: 6px 0; }
form#filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; padding: 8px 0; position: sticky; top: 0; background: #fff; z-index: 2; border-bottom: 1px solid var(--line); }
form#filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
form#filters select, form#filters input { font: inherit; padding: 3px 6px; min-width: 140px; }
#verdicts { width: 100%; }
#verdicts td.msg { max-width: 640px; word-break: break-word; }
.sub { color: var(--muted); font-size: 12px; display: block; word-break: break-all; }
details summary { cursor: pointer; color: #0b5cad; margin-top: 4px; }
.note { color: var(--muted); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { border-top: 1px solid var(--line); margin-top: 32px; padding: 12px 24px; color: var(--muted); }
@media print { form#filters { display: none; } tr[hidden] { display: table-row !important; } .matrix-wrap { max-height: none; overflow: visible; } pre { max-height: none; } }
`;
