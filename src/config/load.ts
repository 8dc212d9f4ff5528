import { existsSync } from 'node:fs';
import { readYamlFile, assertValid } from '../shared/yaml-source.ts';
import { bundledSchemaValidator } from '../shared/bundled-schemas.ts';
import { UserError, located } from '../shared/errors.ts';
import type { TrailproofConfig } from './types.ts';
import { DEFAULT_CONFIG } from './defaults.ts';
import { isCalendarDate } from '../shared/dates.ts';

type PartialConfig = { [K in keyof TrailproofConfig]?: Partial<TrailproofConfig[K]> };

/**
 * Reads config.yaml (or the given file). With no file given, ./config.yaml is used when present,
 * else the defaults. An explicit file that does not exist is an error.
 */
export function loadConfig(file?: string): TrailproofConfig {
  const path = file ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  if (!path) return { ...structuredClone(DEFAULT_CONFIG), source: '(defaults)' };
  if (!existsSync(path)) throw new UserError(`${path}: config file not found`);
  const source = readYamlFile(path);
  if (source.value === null || source.value === undefined) return { ...structuredClone(DEFAULT_CONFIG), source: path };
  const partial = assertValid<PartialConfig>(source, bundledSchemaValidator('config'), 'config');
  checkExceptionDates(partial, (p) => source.positionOf(p), path);
  return { ...mergeConfig(partial, path), positions: ruleEntryPositions(partial, (p) => source.positionOf(p)) };
}

/** Positions of what the rule loader checks against the rules it loads (see TrailproofConfig.positions). */
function ruleEntryPositions(partial: PartialConfig, positionOf: (p: (string | number)[]) => { line: number; column: number }): TrailproofConfig['positions'] {
  const positions: NonNullable<TrailproofConfig['positions']> = {};
  const mark = (path: (string | number)[]) => (positions[path.join('.')] = positionOf(path));
  for (const [id, overrides] of Object.entries(partial.rules?.params ?? {})) {
    mark(['rules', 'params', id]);
    for (const name of Object.keys(overrides ?? {})) mark(['rules', 'params', id, name]);
  }
  (partial.rules?.disabled ?? []).forEach((_, i) => mark(['rules', 'disabled', i]));
  (partial.rules?.disabledTags ?? []).forEach((_, i) => mark(['rules', 'disabledTags', i]));
  return positions;
}

export function mergeConfig(partial: PartialConfig, sourceName: string): TrailproofConfig {
  const d = structuredClone(DEFAULT_CONFIG);
  return {
    source: sourceName,
    organization: { ...d.organization, ...partial.organization },
    scope: { ...d.scope, ...partial.scope },
    collection: { ...d.collection, ...partial.collection },
    rules: { ...d.rules, ...partial.rules },
    pii: { ...d.pii, ...partial.pii },
    exceptions: (partial.exceptions as TrailproofConfig['exceptions'] | undefined) ?? d.exceptions,
    output: { ...d.output, ...partial.output },
  };
}

function checkExceptionDates(partial: PartialConfig, positionOf: (p: (string | number)[]) => { line: number; column: number }, file: string) {
  const list = (partial.exceptions as TrailproofConfig['exceptions'] | undefined) ?? [];
  list.forEach((e, i) => {
    if (!isCalendarDate(e.expires)) {
      const pos = positionOf(['exceptions', i, 'expires']);
      throw new UserError(located(file, pos.line, pos.column, `invalid config: exceptions.${i}.expires: "${e.expires}" is not a calendar date (YYYY-MM-DD)`));
    }
  });
}
