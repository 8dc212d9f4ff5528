/**
 * SARIF reportingDescriptors (tool.driver.rules) from rule metadata, shaped for GitHub code
 * scanning: security-severity drives the alert's severity, help.markdown is the alert's help pane.
 */
import type { RuleMeta, Severity } from '../contracts/verdict.ts';
import { compareStrings } from '../contracts/order.ts';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** GitHub maps security-severity ≥ 9.0 critical, ≥ 7.0 high, ≥ 4.0 medium, > 0 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

export const LEVEL_FOR_SEVERITY: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub rejects a SARIF upload whose rule carries more than 20 tags. */
export const MAX_RULE_TAGS = 20;

/** "cloudtrail-log-file-validation" → "CloudtrailLogFileValidation". */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** "<framework>/<control>" for every control a rule maps to, sorted. */
export function frameworkTags(rule: RuleMeta): string[] {
  return Object.entries(rule.frameworks)
    .flatMap(([framework, controls]) => controls.map((c) => `${framework}/${c}`))
    .sort(compareStrings);
}

/**
 * security and compliance first (they put the alerts in the right GitHub views), then the rule's own
 * tags, then framework controls; cut at GitHub's limit (the help text keeps the full mapping).
 */
export function ruleTags(rule: RuleMeta): string[] {
  const tags = ['security', 'compliance', ...[...rule.tags].sort(compareStrings), ...frameworkTags(rule)];
  return [...new Set(tags)].slice(0, MAX_RULE_TAGS);
}

function frameworkLines(rule: RuleMeta): string[] {
  return Object.keys(rule.frameworks)
    .sort(compareStrings)
    .map((framework) => `${framework}: ${(rule.frameworks[framework] ?? []).join(', ')}`);
}

export function helpText(rule: RuleMeta): string {
  const parts = [rule.description || rule.title];
  if (rule.rationale) parts.push(`Rationale: ${rule.rationale}`);
  parts.push(`Remediation:\n${rule.remediation.trimEnd()}`);
  const frameworks = frameworkLines(rule);
  if (frameworks.length > 0) parts.push(`Frameworks:\n${frameworks.map((l) => `- ${l}`).join('\n')}`);
  return parts.join('\n\n');
}

/** Markdown-significant characters in prose taken from rule files (e.g. "<trail>" would vanish as HTML). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

/** A code fence longer than any backtick run in the text, so remediation shows verbatim. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text.trimEnd()}\n${fence}`;
}

export function helpMarkdown(rule: RuleMeta): string {
  const parts = [escapeMarkdown(rule.description || rule.title)];
  if (rule.rationale) parts.push(`**Rationale:** ${escapeMarkdown(rule.rationale)}`);
  parts.push(`**Remediation**\n\n${fenced(rule.remediation)}`);
  const frameworks = frameworkLines(rule);
  if (frameworks.length > 0) parts.push(`**Frameworks**\n\n${frameworks.map((l) => `- ${escapeMarkdown(l)}`).join('\n')}`);
  if (rule.helpUri) parts.push(`More: ${rule.helpUri}`);
  return parts.join('\n\n');
}

export function ruleDescriptor(rule: RuleMeta): Record<string, unknown> {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description || rule.title },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: LEVEL_FOR_SEVERITY[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'very-high',
      tags: ruleTags(rule),
      severity: rule.severity,
    },
  };
}
