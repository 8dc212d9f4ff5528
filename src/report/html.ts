/**
 * The HTML report: one self-contained file (inline CSS and JS, no external resources) that works
 * offline from disk. Its Content-Security-Policy allows only the page's own style and script, by
 * hash, so even a value that escaped escaping could neither run code nor fetch anything.
 */
import { createHash } from 'node:crypto';
import type { ScanResult } from '../contracts/result.ts';
import { SEVERITIES } from '../contracts/verdict.ts';
import type { RuleMeta, Verdict } from '../contracts/verdict.ts';
import {
  accountIndex,
  countStatuses,
  DISPLAY_STATUSES,
  displayStatus,
  gateSentence,
  ouPathOf,
  prettyJson,
  ruleIndex,
  sortedErrors,
  sortedRules,
  sortedVerdicts,
  STATUS_LABEL,
} from './audit-common.ts';
import { compareStrings } from '../contracts/order.ts';
import { html, raw, type Raw } from './html/escape.ts';
import { ORGANIZATION_ROW, renderMatrix, renderOuSummary, renderRuleSummary } from './html/matrix.ts';
import { REPORT_JS } from './html/script.ts';
import { REPORT_CSS } from './html/styles.ts';
import type { Formatter } from './types.ts';

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CSP = `default-src 'none'; style-src ${cspHash(REPORT_CSS)}; script-src ${cspHash(REPORT_JS)}; img-src 'none'; base-uri 'none'; form-action 'none'`;

/** Rules in the result plus any rule id only seen on a verdict, so no verdict goes missing. */
function allRules(result: ScanResult, verdicts: Verdict[]): RuleMeta[] {
  const rules = sortedRules(result);
  const known = new Set(rules.map((r) => r.id));
  const extra = [...new Set(verdicts.map((v) => v.ruleId).filter((id) => !known.has(id)))].sort(compareStrings);
  return [
    ...rules,
    ...extra.map((id): RuleMeta => ({ id, title: id, description: '', severity: 'info', resource: 'account', remediation: '', frameworks: {}, tags: [], params: {}, source: '', sha256: '' })),
  ];
}

function badge(v: Verdict): Raw {
  const s = displayStatus(v);
  return html`<span class="badge s-${s}">${STATUS_LABEL[s]}</span>`;
}

function metaList(result: ScanResult): Raw {
  const s = result.snapshot;
  const items: [string, string | undefined][] = [
    ['Organization', s.organizationId],
    ['Management account', s.managementAccountId],
    ['Snapshot collected at', s.collectedAt],
    ['Snapshot source', s.source],
    ['Snapshot SHA-256', s.sha256 ?? '(not read from a file)'],
    ['Tool', `${result.tool.name} ${result.tool.version}`],
    ['Rule pack', `${result.rulePack.version} (sha256 ${result.rulePack.sha256})`],
    ['Gate threshold', `--fail-on ${result.failOn} → exit code ${result.summary.exitCode}`],
  ];
  return html`<dl class="meta">${items.filter(([, v]) => v !== undefined).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function countsList(result: ScanResult, verdicts: Verdict[]): Raw {
  const counts = countStatuses(verdicts);
  return html`<ul class="counts" aria-label="Verdict counts">${DISPLAY_STATUSES.map((s) => html`<li class="s-${s}"><strong>${counts[s]}</strong>${STATUS_LABEL[s]}</li>`)}<li><strong>${result.errors.length}</strong>collection errors</li></ul>`;
}

function option(value: string, label: string = value): Raw {
  return html`<option value="${value}">${label}</option>`;
}

function filterForm(rules: RuleMeta[], ous: string[]): Raw {
  return html`<form id="filters" role="search" aria-label="Filter verdicts">
<label>Status<select name="status">${option('', 'All')}${DISPLAY_STATUSES.map((s) => option(s, STATUS_LABEL[s]))}</select></label>
<label>Severity<select name="severity">${option('', 'All')}${SEVERITIES.map((s) => option(s))}</select></label>
<label>OU<select name="ou">${option('', 'All')}${ous.map((o) => option(o))}</select></label>
<label>Rule<select name="rule">${option('', 'All')}${rules.map((r) => option(r.id))}</select></label>
<label>Text<input type="search" name="q" placeholder="account, ARN, message…"></label>
<button type="reset">Reset</button>
<p id="shown" aria-live="polite"></p>
</form>`;
}

function verdictRow(v: Verdict, rule: RuleMeta | undefined, ou: string, accountName: string | undefined): Raw {
  const s = v.suppressed;
  const remediation = rule?.remediation.trim();
  return html`<tr data-status="${displayStatus(v)}" data-severity="${v.severity}" data-ou="${ou}" data-rule="${v.ruleId}" data-account="${v.resource.accountId}">
<td>${badge(v)}</td><td>${v.severity}</td>
<td><code>${v.ruleId}</code><span class="sub">${rule?.title ?? ''}</span></td>
<td>${accountName ?? v.resource.accountId}<span class="sub">${v.resource.accountId} · ${ou}</span></td>
<td>${v.resource.name ?? v.resource.id}<span class="sub">${v.resource.type}: ${v.resource.id}${v.resource.region ? ` (${v.resource.region})` : ''}</span></td>
<td class="msg">${v.message}${s ? html`<p class="note">Suppressed by ${s.exceptionId} until ${s.expires}, approved by ${s.approver}: ${s.reason}</p>` : ''}
<details><summary>Evidence${remediation ? ' and remediation' : ''}</summary><pre>${prettyJson(v.evidence)}</pre>${remediation ? html`<p>Remediation</p><pre>${remediation}</pre>` : ''}${rule?.helpUri ? html`<p class="sub">More: ${rule.helpUri}</p>` : ''}</details></td>
</tr>`;
}

function verdictTable(result: ScanResult, rules: RuleMeta[], verdicts: Verdict[]): Raw {
  const byId = ruleIndex(result);
  const accounts = accountIndex(result);
  const ous = [...new Set(verdicts.map((v) => (v.resource.type === 'organization' ? ORGANIZATION_ROW : ouPathOf(v, accounts))))].sort(compareStrings);
  const rows = verdicts.map((v) => verdictRow(v, byId.get(v.ruleId), v.resource.type === 'organization' ? ORGANIZATION_ROW : ouPathOf(v, accounts), accounts.get(v.resource.accountId)?.name));
  return html`${filterForm(rules, ous)}
<table id="verdicts"><thead><tr><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Account</th><th scope="col">Resource</th><th scope="col">Message, evidence, remediation</th></tr></thead>
<tbody>${rows}</tbody></table>${verdicts.length === 0 ? html`<p class="note">No verdicts.</p>` : ''}`;
}

function scopeSection(result: ScanResult): Raw {
  const skipped = [...result.scope.skipped].sort((a, b) => compareStrings(a.accountId, b.accountId));
  const regions = [...result.scope.regions].sort(compareStrings);
  return html`<dl class="meta"><dt>Accounts scanned</dt><dd>${result.scope.accountIds.length}</dd><dt>Regions</dt><dd>${regions.length > 0 ? regions.join(', ') : '(none)'}</dd>${result.scope.shard ? html`<dt>Shard</dt><dd>${result.scope.shard}</dd>` : ''}</dl>
<h3>Skipped accounts (${skipped.length})</h3>${
    skipped.length === 0
      ? html`<p class="note">None.</p>`
      : html`<table id="skipped"><thead><tr><th scope="col">Account</th><th scope="col">Reason</th></tr></thead><tbody>${skipped.map((s) => html`<tr><td>${s.accountId}</td><td>${s.reason}</td></tr>`)}</tbody></table>`
  }`;
}

function errorsSection(result: ScanResult): Raw {
  const errors = sortedErrors(result);
  if (errors.length === 0) return html`<p class="note">No collection errors: every call the scan needed succeeded.</p>`;
  return html`<p class="note">Facts that depend on these calls are unknown; rules that need them gave ERROR verdicts.</p>
<table id="collection-errors"><thead><tr><th scope="col">Account</th><th scope="col">Region</th><th scope="col">Operation</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead><tbody>${errors.map(
    (e) => html`<tr><td>${e.accountId ?? '(organization)'}</td><td>${e.region ?? ''}</td><td><code>${e.operation}</code></td><td>${e.code}</td><td>${e.message}</td></tr>`,
  )}</tbody></table>`;
}

function exceptionsSection(result: ScanResult, verdicts: Verdict[]): Raw {
  const notes = [...result.exceptionNotes].sort((a, b) => compareStrings(a.exceptionId, b.exceptionId));
  const suppressed = verdicts.filter((v) => v.suppressed);
  return html`<p>${suppressed.length} FAIL verdict${suppressed.length === 1 ? ' is' : 's are'} suppressed by a live exception (listed above with status SUPPRESSED).</p>${
    notes.length === 0
      ? html`<p class="note">No expired or stale exceptions.</p>`
      : html`<table id="exception-notes"><thead><tr><th scope="col">Exception</th><th scope="col">Problem</th><th scope="col">Rule</th><th scope="col">Resource</th><th scope="col">Expires</th></tr></thead><tbody>${notes.map(
          (n) => html`<tr><td>${n.exceptionId}</td><td>${n.kind === 'expired' ? 'expired: no longer suppresses' : 'stale: matches nothing'}</td><td><code>${n.rule}</code></td><td>${n.resource}</td><td>${n.expires}</td></tr>`,
        )}</tbody></table>`
  }`;
}

export function renderHtml(result: ScanResult): string {
  const verdicts = sortedVerdicts(result);
  const rules = allRules(result, verdicts);
  const title = `trailproof report${result.snapshot.organizationId ? ` — ${result.snapshot.organizationId}` : ''} — ${result.snapshot.collectedAt}`;
  const legend = raw(DISPLAY_STATUSES.map((s) => html`<span class="badge s-${s}">${STATUS_LABEL[s]}</span>`.html).join(' '));
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${raw(REPORT_CSS)}</style>
</head>
<body>
<header>
<h1>trailproof report</h1>
<p class="gate exit-${result.summary.exitCode}">Gate ${gateSentence(result)}</p>
${countsList(result, verdicts)}
${metaList(result)}
</header>
<main>
<section aria-labelledby="h-matrix"><h2 id="h-matrix">Accounts × rules</h2>
<p class="legend">${legend}<span class="note">A cell counts the verdicts of the rule for the account (trail and bucket rules may have several). Select a cell to list them.</span></p>
${renderMatrix(result, rules, verdicts)}</section>
<section aria-labelledby="h-rules"><h2 id="h-rules">Summary by rule</h2>${renderRuleSummary(rules, verdicts)}</section>
<section aria-labelledby="h-ous"><h2 id="h-ous">Summary by OU</h2>${renderOuSummary(result, verdicts)}</section>
<section aria-labelledby="h-verdicts"><h2 id="h-verdicts">Verdicts</h2>${verdictTable(result, rules, verdicts)}</section>
<section aria-labelledby="h-scope"><h2 id="h-scope">Scope</h2>${scopeSection(result)}</section>
<section aria-labelledby="h-errors"><h2 id="h-errors">Collection errors (${result.errors.length})</h2>${errorsSection(result)}</section>
<section aria-labelledby="h-exceptions"><h2 id="h-exceptions">Exceptions</h2>${exceptionsSection(result, verdicts)}</section>
</main>
<footer>Generated by ${result.tool.name} ${result.tool.version} from the snapshot collected at ${result.snapshot.collectedAt}. This file is self-contained and makes no network requests.</footer>
<script>${raw(REPORT_JS)}</script>
</body>
</html>
`;
  return page.html;
}

export const htmlFormatter: Formatter = {
  name: 'html',
  fileName: 'trailproof.html',
  description: 'Self-contained HTML report: matrix, summaries, filters, evidence',
  render: (result) => renderHtml(result),
};
