import type { TrailproofConfig } from '../config/types.ts';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../model/index.ts';
import type { LoadedRule } from './load.ts';

/**
 * What the model must compute: the defaults, the config's PII settings, and what each rule asks
 * for explicitly in its `model` section (only there: another rule's parameters never change it).
 */
export function modelOptions(config: TrailproofConfig, rules: LoadedRule[]): ModelOptions {
  const actions = new Set(DEFAULT_MODEL_OPTIONS.scpActions);
  for (const rule of rules) {
    const param = rule.document.model?.scpActionsParam;
    const listed = param !== undefined ? rule.meta.params[param] : undefined;
    if (Array.isArray(listed)) for (const a of listed) if (typeof a === 'string') actions.add(a);
  }
  return { scpActions: [...actions].sort(), pii: config.pii };
}
