/**
 * The compliance table of each selected framework: per control its status (satisfied / not
 * satisfied / not assessed, and why), the accounts failing it and the rules behind it. A control
 * links to its drill-down: the verdicts of its rules.
 */
import type { ControlAssessment, FrameworkAssessment } from '../../contracts/frameworks.ts';
import { html, type Raw } from './escape.ts';

/** A failing-accounts cell names at most this many; the count says how many more. */
const ACCOUNTS_LISTED = 10;

const STATUS_TEXT: Record<ControlAssessment['status'], string> = { satisfied: 'Satisfied', 'not-satisfied': 'Not satisfied', 'not-assessed': 'Not assessed' };
const STATUS_CLASS: Record<ControlAssessment['status'], string> = { satisfied: 'PASS', 'not-satisfied': 'FAIL', 'not-assessed': 'ERROR' };
const REASON_TEXT = { manual: 'manual check', error: 'ERROR verdicts', 'no-verdicts': 'no verdict in scope' } as const;

export interface ControlLinks {
  /** The control's drill-down (its rules' verdicts), or undefined when it has no rules. */
  control(framework: FrameworkAssessment, control: ControlAssessment): string | undefined;
  rule(ruleId: string): string | undefined;
}

function accountsCell(ids: string[], label: string): Raw {
  if (ids.length === 0) return html``;
  const listed = ids.slice(0, ACCOUNTS_LISTED).join(', ');
  return html`<span class="sub">${label}: ${ids.length}</span><span class="token">${listed}${ids.length > ACCOUNTS_LISTED ? ` and ${ids.length - ACCOUNTS_LISTED} more` : ''}</span>`;
}

function controlRow(framework: FrameworkAssessment, c: ControlAssessment, links: ControlLinks): Raw {
  const href = links.control(framework, c);
  const status = html`<span class="badge s-${STATUS_CLASS[c.status]}">${STATUS_TEXT[c.status]}</span>${c.notAssessedReason ? html`<span class="sub">${REASON_TEXT[c.notAssessedReason]}</span>` : ''}`;
  const rules = c.rules.map((r) => {
    const ruleHref = links.rule(r);
    return html`<li>${ruleHref ? html`<a href="${ruleHref}"><code>${r}</code></a>` : html`<code>${r}</code>`}</li>`;
  });
  return html`<tr data-control="${c.controlId}" data-control-status="${c.status}"><th scope="row">${href ? html`<a href="${href}" title="Verdicts of the rules behind ${c.controlId}">${c.controlId}</a>` : c.controlId}</th><td>${c.title}${c.manualCheck ? html`<span class="sub">Check by hand: ${c.manualCheck}</span>` : ''}</td><td>${status}</td><td>${accountsCell(c.failingAccounts, 'failing')}${accountsCell(c.erroredAccounts, 'with errors')}</td><td>${rules.length > 0 ? html`<ul class="plain">${rules}</ul>` : html`<span class="note">none (manual)</span>`}</td></tr>`;
}

export function frameworkSections(frameworks: readonly FrameworkAssessment[], links: ControlLinks): Raw {
  return html`${frameworks.map(
    (f) => html`<h3 id="fw-${f.id}">${f.title} ${f.version} <span class="sub">${f.id}</span></h3>
<ul class="counts" aria-label="Controls of ${f.id}"><li class="s-FAIL"><strong>${f.summary.notSatisfied}</strong>not satisfied</li><li class="s-ERROR"><strong>${f.summary.notAssessed}</strong>not assessed</li><li class="s-PASS"><strong>${f.summary.satisfied}</strong>satisfied</li></ul>
<div class="table-wrap" tabindex="0" role="region" aria-label="Controls of ${f.id}, scrolls"><table class="controls"><thead><tr><th scope="col">Control</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Accounts</th><th scope="col">Rules</th></tr></thead><tbody>${f.controls.map((c) => controlRow(f, c, links))}</tbody></table></div>`,
  )}`;
}
