import type { TrailproofConfig } from '../config/types.ts';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../model/index.ts';
import type { LoadedRule } from './load.ts';

/** The actions and PII settings the model must evaluate, from config and every rule's params. */
export function modelOptions(config: TrailproofConfig, rules: LoadedRule[]): ModelOptions {
  const actions = new Set(DEFAULT_MODEL_OPTIONS.scpActions);
  for (const rule of rules) {
    const listed = rule.meta.params.actions;
    if (Array.isArray(listed)) for (const a of listed) if (typeof a === 'string') actions.add(a);
  }
  return { scpActions: [...actions].sort(), pii: config.pii };
}
