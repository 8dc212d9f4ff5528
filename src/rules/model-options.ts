import type { TrailproofConfig } from '../config/types.ts';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../model/index.ts';
import type { LoadedRule } from './load.ts';

/**
 * What the model must compute: the defaults, the config's PII settings, and what each rule asks
 * for explicitly in its `model` section (only there: another rule's parameters never change it).
 */
export function modelOptions(config: TrailproofConfig, rules: LoadedRule[]): ModelOptions {
  return {
    scpActions: requested(DEFAULT_MODEL_OPTIONS.scpActions, rules, 'scpActionsParam'),
    tamperActions: requested(DEFAULT_MODEL_OPTIONS.tamperActions, rules, 'tamperActionsParam'),
    pii: config.pii,
  };
}

/** The defaults ∪ the strings listed in the parameter each rule names under `model.<key>`. */
function requested(defaults: readonly string[], rules: LoadedRule[], key: 'scpActionsParam' | 'tamperActionsParam'): string[] {
  const actions = new Set(defaults);
  for (const rule of rules) {
    const param = rule.document.model?.[key];
    const listed = param !== undefined ? rule.meta.params[param] : undefined;
    // Checked at load to be a list of strings (checkParamDeclarations, params.ts).
    if (Array.isArray(listed)) for (const a of listed as string[]) actions.add(a);
  }
  return [...actions].sort();
}
