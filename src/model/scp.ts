import type { ModelIndex } from './model-index.ts';
import { memo } from './model-index.ts';
import { known, unknownBecause, type Known } from './known.ts';
import { evaluateScpProtection, scpPathKey, scpScope, type ScpEvaluation } from './scp-evaluate.ts';
import type { ScpActionFacts, ScpFacts } from './facts.ts';
import { deepFreeze } from './frozen.ts';

function actionFacts(e: ScpEvaluation): ScpActionFacts {
  const facts: ScpActionFacts = { action: e.action, reason: e.reason, denials: e.denials };
  const unknown: NonNullable<ScpActionFacts['unknown']> = {};
  if (e.allowedByPath === 'unknown') unknown.allowedByPath = e.outcome === 'denied' ? 'not every level of the path could be read' : e.reason;
  else facts.allowedByPath = e.allowedByPath;
  if (e.notAllowedAt) facts.notAllowedAt = e.notAllowedAt;
  if (e.outcome === 'unknown') unknown.outcome = e.reason;
  else facts.outcome = e.outcome;
  if (Object.keys(unknown).length > 0) facts.unknown = unknown;
  return facts;
}

/**
 * Effective SCP protection of an account for every action in `index.options.scpActions`.
 * Unknown as a whole (so `account.scp` is absent and a rule touching it gives ERROR) when no action
 * could be decided; otherwise the undecided actions carry their own `unknown.outcome`.
 */
export function scpFacts(index: ModelIndex, accountId: string): Known<ScpFacts> {
  const scope = scpScope(index, accountId);
  if ('outcome' in scope && scope.outcome === 'unknown') return unknownBecause(scope.reason);
  if ('outcome' in scope) return factsOf(index, accountId, scope);
  // Most accounts of an OU have the same SCPs on their path, and so the same facts: computed once
  // and shared, frozen, by all of them — unless the facts name the account (a denial or a missing
  // allow at the account's own level), when they are its own.
  const shared = memo(index, 'scpFactsByPath', () => new Map<string, Known<ScpFacts>>());
  const key = scpPathKey(index, scope.path);
  const cached = shared.get(key);
  if (cached) return cached;
  const facts = factsOf(index, accountId, scope);
  if (!JSON.stringify(facts).includes(accountId)) shared.set(key, deepFreeze(facts));
  return facts;
}

function factsOf(index: ModelIndex, accountId: string, scope: ReturnType<typeof scpScope>): Known<ScpFacts> {
  const actions = [...new Set(index.options.scpActions)].sort();
  const evaluations = actions.map((action) => evaluateScpProtection(index, accountId, action));
  const undecided = evaluations.filter((e) => e.outcome === 'unknown');
  if (undecided.length > 0 && undecided.length === evaluations.length) {
    return unknownBecause([...new Set(undecided.map((e) => e.reason))].join("; "));
  }
  const facts: ScpFacts = {
    applicable: !('outcome' in scope),
    actions: Object.fromEntries(evaluations.map((e) => [e.action, actionFacts(e)])),
  };
  if ('outcome' in scope) facts.reason = scope.reason;
  return known(facts);
}
