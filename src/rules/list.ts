/**
 * `trailproof rules list`: the rules' metadata, read and schema-checked but not compiled, so the
 * listing starts fast and loads no CEL (`rules validate` is the command that checks the CEL).
 */
import type { TrailproofConfig } from '../config/types.ts';
import type { CommandOutcome } from './command-outcome.ts';
import { atLeastOneRule, isDisabled, readRules } from './load/read.ts';

/** Rules are listed with disabled ones too: the listing says which are off. */
export async function rulesList(paths: string[], config: TrailproofConfig, options: { format?: string } = {}): Promise<CommandOutcome> {
  const rules = atLeastOneRule(readRules(paths, config, { keepDisabled: true }, (rule) => rule), paths);
  const rows = rules.map((r) => ({ id: r.meta.id, severity: r.meta.severity, resource: r.meta.resource, enabled: !isDisabled(r.meta, config), title: r.meta.title, frameworks: r.meta.frameworks, source: r.meta.source }));
  if (options.format === 'json') return { output: `${JSON.stringify(rows, null, 2)}\n`, exitCode: 0 };
  const width = Math.max(2, ...rows.map((r) => r.id.length));
  const lines = rows.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.resource.padEnd(12)}  ${r.enabled ? '' : '(disabled) '}${r.title}`);
  return { output: `${[`${'ID'.padEnd(width)}  SEVERITY  RESOURCE      TITLE`, ...lines].join('\n')}\n`, exitCode: 0 };
}
