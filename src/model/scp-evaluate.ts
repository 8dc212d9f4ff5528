/**
 * Effective SCP evaluation: is an action denied on an account's path (root → OUs → account)?
 *
 * AWS semantics (docs/architecture.md, "The AWS facts the model relies on"): an action is possible in a member account only
 * if every level of its path has an SCP allowing it and no SCP on the path denies it. A Deny is
 * therefore proof on its own: once a readable, attached policy denies an action unconditionally,
 * nothing else (not even an unreadable policy elsewhere) can undo it. Every other answer needs the
 * whole path to be known, or it is `unknown`.
 */
import { compareStrings } from '../contracts/order.ts';
import type { Root } from '../snapshot/types.ts';
import type { ModelIndex, PathNode } from './model-index.ts';
import { describeError, memo, pathNodeIds } from './model-index.ts';
import { actionMatches, resourceMatches, resourcePatternCoversAll } from './scp-match.ts';
import { parseScpContent, type ScpCondition, type ScpStatement } from './scp-policy.ts';
import { emptyList, mapped } from '../shared/lists.ts';

export type ScpOutcome = 'denied' | 'denied-except' | 'conditional' | 'not-denied' | 'not-applicable' | 'unknown';

export interface ScpLevel {
  kind: PathNode['kind'];
  id: string;
  name: string;
}

/** How strongly one Deny statement denies the action. */
export type DenialMode = 'unconditional' | 'except-principals' | 'conditional';

export interface ScpDenial {
  policyId: string;
  policyName: string;
  /** The statement's Sid, or "#N" (its 1-based position). */
  statement: string;
  level: ScpLevel;
  mode: DenialMode;
  /** Principals the Deny does not apply to (ARN patterns as written; tag exemptions as "aws:PrincipalTag/Key=value"). */
  exemptPrincipals: string[];
  /** Conditions (other than principal exemptions) and resource limits that narrow the Deny. */
  conditions: string[];
}

export interface ScpEvaluation {
  action: string;
  resourceArn?: string;
  outcome: ScpOutcome;
  reason: string;
  /** Every Deny statement on the path that matches the action, strongest first. */
  denials: ScpDenial[];
  /** Whether every level of the path has an SCP allowing the action. */
  allowedByPath: boolean | 'unknown';
  /** The first level whose SCPs allow nothing that covers the action (an implicit deny). */
  notAllowedAt?: ScpLevel;
}

/** A policy as the evaluator sees it: statements, or why they could not be read. */
interface ReadPolicy {
  id: string;
  name: string;
  /** Empty when `unreadable`. */
  statements: ScpStatement[];
  unreadable?: string;
}

interface ScpIndex {
  /** Why no policy can be trusted (ListPolicies failed). */
  unavailable?: string;
  /** The policies attached to each root, OU and placed account (pathNodeIds): lists shared between targets, never changed. */
  byTarget: Map<string, readonly ReadPolicy[]>;
  /** Policies whose targets could not be read: they may be attached anywhere. */
  unplaced: ReadPolicy[];
  roots: Map<string, Root>;
  /** Caches for walkPath, keyed by level and question (see levelVerdict). */
  levelVerdicts: Map<string, LevelVerdict>;
  unplacedVerdicts: Map<string, UnplacedVerdict>;
}

const MANAGEMENT_ACCOUNT_REASON = 'SCPs do not apply to the management account';

/** Built once per model index: O(policies + targets). */
function scpIndex(index: ModelIndex): ScpIndex {
  return memo(index, 'scp', () => {
    // Stryker disable next-line ArrayDeclaration: an account has an SCP path only when the roots were read (placeAccounts), so this default is never used.
    const roots = new Map((index.header.roots.value ?? []).map((r) => [r.Id, r]));
    const byTarget = new Map<string, readonly ReadPolicy[]>();
    // Stryker disable next-line ArrayDeclaration: a non-policy entry has no statements and is not unreadable, so every question ignores it.
    const unplaced: ReadPolicy[] = [];
    const listed = index.policies;
    if (listed.error) {
      return { unavailable: describeError(listed.error), byTarget, unplaced, roots, levelVerdicts: new Map(), unplacedVerdicts: new Map() };
    }
    const policies = [...(listed.value ?? [])].sort((a, b) => compareStrings(a.Id, b.Id));
    const onSomePath = pathNodeIds(index);
    for (const policy of policies) {
      // Stryker disable next-line ArrayDeclaration: the statements of a policy left unreadable are never read.
      const read: ReadPolicy = { id: policy.Id, name: policy.Name, statements: [] };
      if (policy.Content.value !== undefined && policy.Content.value !== null) {
        const parsed = parseScpContent(policy.Content.value);
        if (parsed.value) read.statements = parsed.value;
        else read.unreadable = parsed.reason;
      } else {
        read.unreadable = policy.Content.error ? describeError(policy.Content.error) : `no content (${policy.Content.absent})`;
      }
      if (policy.Targets.error) {
        unplaced.push(read);
        continue;
      }
      // Targets with the same policies so far share one list, never changed once made: a policy
      // such as FullAWSAccess is attached to every account, and a list of 17 slots per account was
      // 8.3 MB of each judging thread's heap at 34,226 accounts.
      const withThisPolicy = new Map<readonly ReadPolicy[] | undefined, readonly ReadPolicy[]>();
      // Stryker disable next-line ArrayDeclaration: a target without an id is never looked up.
      for (const target of policy.Targets.value ?? []) {
        if (!onSomePath(target.TargetId)) continue;
        const before = byTarget.get(target.TargetId);
        let after = withThisPolicy.get(before);
        if (!after) {
          after = before ? before.concat(read) : [read];
          withThisPolicy.set(before, after);
        }
        byTarget.set(target.TargetId, after);
      }
    }
    return { byTarget, unplaced, roots, levelVerdicts: new Map(), unplacedVerdicts: new Map() };
  });
}

function levelOf(node: PathNode): ScpLevel {
  return { kind: node.kind, id: node.id, name: node.name };
}

function describeLevel(level: ScpLevel): string {
  const kind = level.kind === 'ORGANIZATIONAL_UNIT' ? 'OU' : level.kind === 'ROOT' ? 'root' : 'account';
  return `${kind} ${level.name} (${level.id})`;
}

// ---------- one statement ----------

const EXEMPTION_OPERATORS = new Set(['arnnotlike', 'arnnotequals', 'stringnotlike', 'stringnotequals']);

/**
 * A negated operator on the principal's ARN or tags exempts the named principals and denies
 * everyone else. `IfExists` changes nothing here: with the key missing the negated operator is
 * true, so the Deny still applies.
 */
function exemptedPrincipals(condition: ScpCondition): string[] | undefined {
  const operator = condition.operator.toLowerCase().replace(/ifexists$/, '');
  if (!EXEMPTION_OPERATORS.has(operator)) return undefined;
  const key = condition.key.toLowerCase();
  if (key === 'aws:principalarn') return condition.values;
  if (key.startsWith('aws:principaltag/')) return condition.values.map((v) => `${condition.key}=${v}`);
  return undefined;
}

function describeCondition(c: ScpCondition): string {
  return `${c.operator} ${c.key} ${c.values.length === 1 ? c.values[0] : `[${c.values.join(', ')}]`}`;
}

function serviceOf(action: string): string {
  // split() always returns at least one element.
  return action.split(':')[0]!;
}

function coversAction(statement: ScpStatement, action: string): boolean {
  const matched = statement.actions.patterns.some((p) => actionMatches(p, action));
  return statement.actions.negated ? !matched : matched;
}

/**
 * Whether the statement's Resource/NotResource covers the question's resource, and, asked without
 * an ARN, the `limit` when the statement names only some resources (worth reporting).
 */
function resourceScope(statement: ScpStatement, action: string, resourceArn: string | undefined): { covers: boolean; limit?: string } {
  const { negated, patterns } = statement.resources;
  if (resourceArn !== undefined) return { covers: patterns.some((p) => resourceMatches(p, resourceArn)) !== negated };
  const coversAll = patterns.some((p) => resourcePatternCoversAll(p, serviceOf(action)));
  if (negated) return coversAll ? { covers: false } : { covers: true, limit: `NotResource ${patterns.join(', ')}` };
  return coversAll ? { covers: true } : { covers: true, limit: `Resource ${patterns.join(', ')}` };
}

function classifyDeny(statement: ScpStatement, limit: string | undefined): Pick<ScpDenial, 'mode' | 'exemptPrincipals' | 'conditions'> {
  const exemptPrincipals: string[] = [];
  const conditions: string[] = limit ? [limit] : [];
  for (const c of statement.conditions) {
    const exempted = exemptedPrincipals(c);
    if (exempted) exemptPrincipals.push(...exempted);
    else conditions.push(describeCondition(c));
  }
  const mode: DenialMode = conditions.length > 0 ? 'conditional' : exemptPrincipals.length > 0 ? 'except-principals' : 'unconditional';
  return { mode, exemptPrincipals: [...new Set(exemptPrincipals)].sort(), conditions };
}

const MODE_RANK: Record<DenialMode, number> = { unconditional: 0, 'except-principals': 1, conditional: 2 };

// ---------- the path ----------

interface PathVerdicts {
  denials: ScpDenial[];
  unreadable: string[];
  /** Per level: whether its SCPs allow the action. */
  allows: { level: ScpLevel; allowed: boolean | 'unknown'; why?: string }[];
}

function matchingDenies(policy: ReadPolicy, action: string, resourceArn: string | undefined): { statement: ScpStatement; limit?: string }[] {
  const matches: { statement: ScpStatement; limit?: string }[] = [];
  for (const statement of policy.statements) {
    if (statement.effect !== 'Deny' || !coversAction(statement, action)) continue;
    const { covers, limit } = resourceScope(statement, action, resourceArn);
    if (covers) matches.push({ statement, ...(limit ? { limit } : {}) });
  }
  return matches;
}

function policyAllows(policy: ReadPolicy, action: string, resourceArn: string | undefined): boolean {
  // A conditional or resource-limited Allow still makes the action possible for someone: counted as allowing.
  return policy.statements.some(
    (s) => s.effect === 'Allow' && coversAction(s, action) && resourceScope(s, action, resourceArn).covers,
  );
}

/** What one level of a path contributes; the same for every account below that level. */
interface LevelVerdict {
  denials: ScpDenial[];
  unreadable: string[];
  allowed: boolean | 'unknown';
  why?: string;
}

/** The unplaced policies that matter for one question (action, resource). */
interface UnplacedVerdict {
  deny: ReadPolicy[];
  allow: ReadPolicy[];
}

function questionKey(action: string, resourceArn: string | undefined): string {
  return JSON.stringify([action, resourceArn]);
}

function unplacedVerdict(scp: ScpIndex, action: string, resourceArn: string | undefined): UnplacedVerdict {
  const key = questionKey(action, resourceArn);
  let verdict = scp.unplacedVerdicts.get(key);
  // Stryker disable next-line ConditionalExpression: computing the verdict again gives the same verdict (the cache only saves time).
  if (!verdict) {
    // An unplaced policy only matters if it could deny the action or allow it where nothing else does.
    verdict = {
      deny: scp.unplaced.filter((p) => p.unreadable || matchingDenies(p, action, resourceArn).length > 0),
      allow: scp.unplaced.filter((p) => p.unreadable || policyAllows(p, action, resourceArn)),
    };
    scp.unplacedVerdicts.set(key, verdict);
  }
  return verdict;
}

/**
 * A root or OU is on the path of many accounts: its verdict is worked out once per question.
 * Callers only read the result (it becomes facts that are never modified).
 */
function levelVerdict(scp: ScpIndex, node: PathNode, action: string, resourceArn: string | undefined, unplacedAllow: ReadPolicy[]): LevelVerdict {
  // An account is on its own path only: caching its level would only hold memory.
  // Stryker disable next-line all: whether a level is cached changes memory and time only, not the verdict.
  if (node.kind === 'ACCOUNT') return judgeLevel(scp, node, action, resourceArn, unplacedAllow);
  const key = `${node.id}\n${node.name}\n${node.kind}\n${questionKey(action, resourceArn)}`;
  let verdict = scp.levelVerdicts.get(key);
  // Stryker disable next-line ConditionalExpression: computing the verdict again gives the same verdict (the cache only saves time).
  if (!verdict) {
    verdict = judgeLevel(scp, node, action, resourceArn, unplacedAllow);
    scp.levelVerdicts.set(key, verdict);
  }
  return verdict;
}

function judgeLevel(scp: ScpIndex, node: PathNode, action: string, resourceArn: string | undefined, unplacedAllow: ReadPolicy[]): LevelVerdict {
  const level = levelOf(node);
  const attached = scp.byTarget.get(node.id) ?? [];
  const denials = emptyList<ScpDenial>();
  const unreadable: string[] = [];
  let allowed: boolean | 'unknown' = false;
  let why: string | undefined;
  for (const policy of attached) {
    if (policy.unreadable) {
      unreadable.push(`policy ${policy.name} (${policy.id}) attached to ${describeLevel(level)}: ${policy.unreadable}`);
      continue;
    }
    for (const { statement, limit } of matchingDenies(policy, action, resourceArn)) {
      denials.push({ policyId: policy.id, policyName: policy.name, statement: statement.ref, level, ...classifyDeny(statement, limit) });
    }
    if (policyAllows(policy, action, resourceArn)) allowed = true;
  }
  if (allowed !== true) {
    if (attached.some((p) => p.unreadable)) {
      allowed = 'unknown';
      why = `${describeLevel(level)} has a policy that could not be read`;
    } else if (unplacedAllow.length > 0) {
      allowed = 'unknown';
      why = `nothing attached to ${describeLevel(level)} allows it, but ${unplacedAllow.map((p) => p.name).join(', ')} (targets unknown) might be attached there`;
    } else if (attached.length === 0) {
      // AWS keeps at least one SCP on every root, OU and account while SCPs are enabled: none seen means the data is incomplete.
      allowed = 'unknown';
      why = `no SCP is attached to ${describeLevel(level)}, which AWS does not allow: the policy data is incomplete`;
    }
  }
  return { denials, unreadable, allowed, ...(why ? { why } : {}) };
}

function walkPath(scp: ScpIndex, path: PathNode[], action: string, resourceArn: string | undefined): PathVerdicts {
  const denials = emptyList<ScpDenial>();
  const unreadable: string[] = [];
  // Stryker disable next-line ArrayDeclaration: a non-level entry is neither allowed === false nor 'unknown', so no answer reads it.
  const allows: PathVerdicts['allows'] = [];
  const unplaced = unplacedVerdict(scp, action, resourceArn);
  for (const p of unplaced.deny) {
    unreadable.push(`the targets of policy ${p.name} (${p.id}) could not be read${p.unreadable ? ` and its content neither: ${p.unreadable}` : ''}`);
  }

  for (const node of path) {
    const verdict = levelVerdict(scp, node, action, resourceArn, unplaced.allow);
    denials.push(...verdict.denials);
    unreadable.push(...verdict.unreadable);
    allows.push({ level: levelOf(node), allowed: verdict.allowed, ...(verdict.why ? { why: verdict.why } : {}) });
  }
  const position = new Map(path.map((n, i) => [n.id, i]));
  denials.sort(
    (a, b) =>
      MODE_RANK[a.mode] - MODE_RANK[b.mode] ||
      (position.get(a.level.id) ?? 0) - (position.get(b.level.id) ?? 0) ||
      compareStrings(a.policyId, b.policyId),
  );
  return { denials, unreadable, allows };
}

function describeDenial(d: ScpDenial): string {
  return `${d.policyName} (${d.policyId}) statement ${d.statement} at ${describeLevel(d.level)}`;
}

// ---------- the answer ----------

/** Whether SCPs apply to the account at all; when they do, its path from the root. */
export function scpScope(index: ModelIndex, accountId: string): { outcome: 'not-applicable' | 'unknown'; reason: string } | { path: PathNode[]; root: Root } {
  const org = index.organization;
  if (org.managementAccountId === undefined) {
    return { outcome: 'unknown', reason: `the organization is unknown: ${org.unknown?.managementAccountId ?? 'not read'}` };
  }
  if (accountId === org.managementAccountId) return { outcome: 'not-applicable', reason: MANAGEMENT_ACCOUNT_REASON };
  if (org.featureSet !== 'ALL') {
    return { outcome: 'not-applicable', reason: `the organization has feature set ${org.featureSet}; SCPs exist only with all features enabled` };
  }
  const placement = index.placements.get(accountId);
  const path = placement?.path ?? [];
  if (path.length === 0) {
    const treeError = index.treeErrors[0];
    return {
      outcome: 'unknown',
      reason: treeError ? `the account's place in the organization is unknown: ${describeError(treeError)}` : 'the account was not found in the organization tree',
    };
  }
  const root = scpIndex(index).roots.get(path[0]!.id);
  // Stryker disable next-line all: an account has a path only when its root was read (placeAccounts); kept so a broken invariant fails closed.
  if (!root) return { outcome: 'unknown', reason: `root ${path[0]!.id} was not read` };
  const enabled = root.PolicyTypes.some((t) => t.Type === 'SERVICE_CONTROL_POLICY' && t.Status === 'ENABLED');
  if (!enabled) return { outcome: 'not-applicable', reason: `the SERVICE_CONTROL_POLICY policy type is not enabled on root ${root.Id}` };
  return { path, root };
}

/**
 * Everything on `path` evaluateScpProtection's answers depend on apart from the account itself:
 * the root and OUs (names included: answers quote them) and the policies attached to the account.
 * Accounts with equal keys get equal answers, except where an answer names the account's own level.
 */
export function scpPathKey(index: ModelIndex, path: PathNode[]): string {
  const scp = scpIndex(index);
  // Stryker disable next-line StringLiteral: a prefix shared by every key distinguishes nothing.
  let key = '';
  for (const node of path) {
    key += node.kind === 'ACCOUNT' ? `ACCOUNT ${mapped(scp.byTarget.get(node.id) ?? [], (p) => p.id).join(',')}\n` : `${node.kind} ${node.id} ${node.name}\n`;
  }
  return key;
}

/** Evaluates whether the SCPs on the account's path deny `action` (on `resourceArn`, or on every resource). */
export function evaluateScpProtection(index: ModelIndex, accountId: string, action: string, resourceArn?: string): ScpEvaluation {
  const base = { action, ...(resourceArn !== undefined ? { resourceArn } : {}) };
  const scope = scpScope(index, accountId);
  if ('outcome' in scope) return { ...base, ...scope, denials: emptyList(), allowedByPath: 'unknown' };

  const scp = scpIndex(index);
  if (scp.unavailable) {
    return { ...base, outcome: 'unknown', reason: `the SCPs could not be listed: ${scp.unavailable}`, denials: emptyList(), allowedByPath: 'unknown' };
  }
  const { denials, unreadable, allows } = walkPath(scp, scope.path, action, resourceArn);
  const blocked = allows.find((a) => a.allowed === false);
  const allowedByPath: boolean | 'unknown' = blocked ? false : allows.some((a) => a.allowed === 'unknown') ? 'unknown' : true;
  const result = { ...base, denials, allowedByPath, ...(blocked ? { notAllowedAt: blocked.level } : {}) };

  const strongest = denials[0];
  if (strongest?.mode === 'unconditional') {
    return { ...result, outcome: 'denied', reason: `denied by ${describeDenial(strongest)}` };
  }
  if (blocked) {
    return { ...result, outcome: 'denied', reason: `no SCP attached to ${describeLevel(blocked.level)} allows it (implicit deny)` };
  }
  // A level has a `why` only when whether it allows the action is unknown.
  const doubts = [...unreadable, ...allows.flatMap((a) => (a.why ? [a.why] : []))];
  if (doubts.length > 0) {
    return { ...result, outcome: 'unknown', reason: [...new Set(doubts)].join('; ') };
  }
  if (strongest?.mode === 'except-principals') {
    return { ...result, outcome: 'denied-except', reason: `denied by ${describeDenial(strongest)} except for ${strongest.exemptPrincipals.join(', ')}` };
  }
  if (strongest?.mode === 'conditional') {
    return { ...result, outcome: 'conditional', reason: `denied by ${describeDenial(strongest)} only when ${strongest.conditions.join(' and ')}` };
  }
  return { ...result, outcome: 'not-denied', reason: 'no SCP on the path denies it' };
}
