/**
 * Reuse of a rule's outcome between subjects that look the same to it. Most accounts of an
 * organization are judged on facts they share (the organization trail and its bucket, the SCPs
 * of their OU), yet each rule would run its CEL over each account again.
 *
 * The rule's expressions are analysed once: which facts they can observe, as paths from the
 * activation roots (`account.trails[*].bucket`), and how — a path the value of which is used
 * (compared, concatenated, returned as evidence...) is read whole; a path only navigated (a field
 * selected, a list iterated or sized, a field tested with has()) contributes its shape. A subject's
 * key is the SHA-256 of the projection of its facts on those paths; CEL is pure, so two subjects
 * with equal keys get the same status, message and evidence. Path trees are shared between rules
 * that observe the same thing, so the projection of a frozen (shared) fact is made once for all
 * of them. Anything the analysis does not recognise makes the rule uncached. An ERROR's decision
 * is reused like any outcome, its message explained again for each subject (its explanation
 * searches all the facts: undecided-verdicts.ts).
 */
import { hash } from 'node:crypto';
import type { EvaluationSubject } from '../model/facts.ts';
import { ACTIVATION_ROOTS, type CompiledExpression } from './cel.ts';
import type { CompiledRule, RuleVerdict } from './compiled-rule.ts';
import { SharedProjection, type Observer, type SegmentPath } from './shared-projection.ts';
import { explanationOf } from './undecided-verdicts.ts';
import { mappedWhere } from '../shared/lists.ts';

/** A path from an activation root; `*` stands for every element of a list or entry of a map. */
class PathNode {
  readonly children = new Map<string, PathNode>();
  whole = false;
  /**
   * The value is the right operand of `in`: a list's elements are compared (the list is read
   * whole), a map's keys are looked up (its keys are listed, not their values).
   */
  members = false;
  /**
   * A list whose own elements are looked up in a selection of it (`t in shortOnes`, where `t`
   * iterates the list and `shortOnes` filters it): the answer is whether `t` was selected, which
   * the selecting predicates decide, not the elements' whole values; but it holds only where CEL's
   * equality is reflexive, so the elements must be plain data (no NaN).
   */
  comparesElements = false;
  /**
   * Frozen facts, which the model shares between subjects (SCP facts of an OU), by the token of
   * their projection: the projection is made once, and a subject's key holds the short token
   * instead of its text (often kilobytes).
   */
  readonly frozenProjections = new WeakMap<object, string>();
  /**
   * Every distinct projection of a frozen fact here, and its token (`#` and a number; no other
   * projection starts with `#`). Equal tokens at a node are equal texts, so keys stay exact.
   */
  private readonly tokens = new Map<string, string>();

  tokenOf(text: string): string {
    let token = this.tokens.get(text);
    if (token === undefined) this.tokens.set(text, (token = `#${this.tokens.size}`));
    return token;
  }

  private named: NamedChild[] | undefined;
  private everyChild: PathNode | undefined | null = null;

  /** The child for every element or entry (made once, like namedChildren: projected for every subject). */
  every(): PathNode | undefined {
    if (this.everyChild === null) this.everyChild = this.children.get('*');
    return this.everyChild;
  }

  /**
   * The children reached by a field name, each with the name as JSON and `=`, as it starts the
   * child's part of a key (made once: it is part of every subject's key). Kept here, not on the
   * child: a shared child is reached by other names.
   */
  namedChildren(): readonly NamedChild[] {
    return (this.named ??= mappedWhere([...this.children], ([key]) => key !== '*', ([key, child]) => ({ key, label: `${JSON.stringify(key)}=`, child })));
  }

  child(key: string): PathNode {
    let node = this.children.get(key);
    if (!node) this.children.set(key, (node = new PathNode()));
    return node;
  }
}

interface NamedChild {
  key: string;
  label: string;
  child: PathNode;
}

/**
 * Path trees that observe the same thing, shared between rules: the rules of a resource type
 * read many of the same facts (the SCP facts an OU's accounts share), and a shared node keeps the
 * projection of a frozen value once for all of them (PathNode.frozenProjections).
 */
const sharedNodes = new Map<string, PathNode>();

/** The shared node that observes what `node` observes. */
function sharedNode(node: PathNode): PathNode {
  const children = node.whole ? [] : [...node.children].map(([key, child]) => [key, sharedNode(child)] as const);
  const signature = node.whole ? 'whole' : JSON.stringify([node.members, node.comparesElements, children.map(([key, child]) => [key, nodeIds.get(child)])]);
  let shared = sharedNodes.get(signature);
  if (!shared) {
    shared = new PathNode();
    shared.whole = node.whole;
    shared.members = node.members && !node.whole;
    shared.comparesElements = node.comparesElements && !node.whole;
    for (const [key, child] of children) shared.children.set(key, child);
    sharedNodes.set(signature, shared);
    nodeIds.set(shared, nodeIds.size);
  }
  return shared;
}

const nodeIds = new Map<PathNode, number>();

/** The paths a value may be (not a copy of): empty for constants and computed values. */
type Aliases = PathNode[];

/** A name bound by a macro: the paths it may be, and the list it certainly iterates (see selectionOf). */
interface Binding {
  aliases: Aliases;
  range?: PathNode;
}

/** The selection of an empty list literal: a part of any list. */
const NOTHING = Symbol('nothing');

interface AstNode {
  op: string;
  args: unknown;
}

class Unsupported extends Error {}

const ITERATING_MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
const ROOTS: ReadonlySet<string> = new Set(ACTIVATION_ROOTS);
const OPERATORS = new Set(['&&', '||', '!_', '-_', '!=', '==', '+', '-', '*', '/', '%', '<', '<=', '>', '>=']);

/** Every expression of a rule. */
function expressionsOf(rule: CompiledRule): (CompiledExpression | undefined)[] {
  return [rule.match, rule.notApplicableMessage, ...rule.validations.flatMap((v) => [v.expression, v.messageExpression]), rule.passMessage, rule.evidence];
}

/**
 * The paths `expressions` of the rule (all of them when not given) can observe, by root, with
 * the variables they read; undefined when they cannot be analysed.
 */
export function observedPaths(rule: CompiledRule, expressions = expressionsOf(rule)): Map<string, PathNode> | undefined {
  const roots = new Map<string, PathNode>();
  const rootNode = (name: string) => {
    let root = roots.get(name);
    if (!root) roots.set(name, (root = new PathNode()));
    return root;
  };
  const variables = new Map(rule.variables.map((v) => [v.name, v.expression]));
  const variableAliases = new Map<string, Aliases>();
  const consume = (aliases: Aliases) => {
    for (const node of aliases) node.whole = true;
  };
  const astOf = (expression: CompiledExpression): AstNode => {
    if (!expression.ast) throw new Unsupported();
    return expression.ast as AstNode;
  };
  const variable = (name: string): Aliases => {
    let aliases = variableAliases.get(name);
    if (!aliases) {
      const expression = variables.get(name);
      if (!expression) throw new Unsupported();
      variableAliases.set(name, []); // a self-reference cannot type-check; this only stops a loop
      aliases = value(astOf(expression), new Map<string, Binding>());
      variableAliases.set(name, aliases);
    }
    return aliases;
  };
  /**
   * The list whose own elements (or a map whose keys) `node` certainly holds, some of them left
   * out by predicates only: the list itself, reached from a root by names (not through an
   * iteration, where one path is many lists), a filter of a selection, either branch of a
   * condition. Undefined when not known.
   */
  const selectionOf = (node: AstNode, scope: Map<string, Binding>): PathNode | typeof NOTHING | undefined => {
    const args = node.args as unknown[];
    switch (node.op) {
      case 'list':
        return args.length === 0 ? NOTHING : undefined;
      case 'rcall':
        return args[0] === 'filter' ? selectionOf(args[1] as AstNode, scope) : undefined;
      case 'call':
        return args[0] === 'dyn' && (args[1] as AstNode[]).length === 1 ? selectionOf((args[1] as AstNode[])[0]!, scope) : undefined;
      case '?:': {
        const then = selectionOf(args[1] as AstNode, scope);
        const otherwise = selectionOf(args[2] as AstNode, scope);
        return then === NOTHING ? otherwise : otherwise === NOTHING || then === otherwise ? then : undefined;
      }
      case '.': {
        const [target, field] = args as [AstNode, string];
        if (target.op === 'id' && target.args === 'variables' && !scope.has('variables')) {
          const expression = variables.get(field);
          return expression && selectionOf(astOf(expression), new Map());
        }
        return namedPath(node, scope);
      }
      default:
        return namedPath(node, scope);
    }
  };
  /** The node of a path reached from a root by field names only. */
  const namedPath = (node: AstNode, scope: Map<string, Binding>): PathNode | undefined => {
    if (node.op === 'id') return !scope.has(node.args as string) && ROOTS.has(node.args as string) ? rootNode(node.args as string) : undefined;
    if (node.op !== '.') return undefined;
    const [target, field] = node.args as [AstNode, string];
    if (target.op === 'id' && target.args === 'variables') return undefined;
    return namedPath(target, scope)?.child(field);
  };
  const value = (node: AstNode, scope: Map<string, Binding>): Aliases => {
    const args = node.args as unknown[];
    switch (node.op) {
      case 'value':
        return [];
      case 'id': {
        const name = node.args as string;
        const bound = scope.get(name);
        if (bound) return bound.aliases;
        if (ROOTS.has(name)) return [rootNode(name)];
        if (name === 'params') return []; // the same for every subject the rule judges
        if (name === 'variables') {
          for (const v of variables.keys()) consume(variable(v));
          return [];
        }
        throw new Unsupported();
      }
      case '.': {
        const [target, field] = args as [AstNode, string];
        if (target.op === 'id' && target.args === 'variables' && !scope.has('variables')) return variable(field);
        return value(target, scope).map((n) => n.child(field));
      }
      case '[]': {
        const [target, index] = args as [AstNode, AstNode];
        const key = index.op === 'value' && typeof index.args === 'string' ? index.args : '*';
        consume(value(index, scope));
        return value(target, scope).map((n) => n.child(key));
      }
      case 'call': {
        const [name, callArgs] = args as [string, AstNode[]];
        if (name === 'has' && callArgs.length === 1) {
          value(callArgs[0]!, scope); // the path exists in the tree: its presence is part of the key
          return [];
        }
        if (name === 'size' && callArgs.length === 1) {
          for (const n of value(callArgs[0]!, scope)) n.child('*');
          return [];
        }
        // A cast for the type checker: the value itself, unchanged.
        if (name === 'dyn' && callArgs.length === 1) return value(callArgs[0]!, scope);
        for (const a of callArgs) consume(value(a, scope));
        return [];
      }
      case 'rcall': {
        const [name, receiver, callArgs] = args as [string, AstNode, AstNode[]];
        const target = value(receiver, scope);
        if (ITERATING_MACROS.has(name)) {
          const [iterVar, ...bodies] = callArgs;
          if (iterVar?.op !== 'id' || bodies.length === 0) throw new Unsupported();
          const range = selectionOf(receiver, scope);
          const binding: Binding = { aliases: target.map((n) => n.child('*')), ...(range instanceof PathNode ? { range } : {}) };
          const inner = new Map(scope).set(iterVar.args as string, binding);
          for (const body of bodies) consume(value(body, inner));
          return name === 'filter' ? target : [];
        }
        if (name === 'size' && callArgs.length === 0) {
          for (const n of target) n.child('*');
          return [];
        }
        consume(target);
        for (const a of callArgs) consume(value(a, scope));
        return [];
      }
      case 'list':
        for (const item of args as AstNode[]) consume(value(item, scope));
        return [];
      case 'map':
        for (const [k, v] of args as [AstNode, AstNode][]) {
          consume(value(k, scope));
          consume(value(v, scope));
        }
        return [];
      case '?:': {
        const [condition, then, otherwise] = args as [AstNode, AstNode, AstNode];
        consume(value(condition, scope));
        return [...value(then, scope), ...value(otherwise, scope)];
      }
      case 'in': {
        const [element, collection] = args as [AstNode, AstNode];
        const range = element.op === 'id' ? scope.get(element.args as string)?.range : undefined;
        if (range && selectionOf(collection, scope) === range) {
          // An element of a list looked up in a selection of that list: true when the predicates
          // that selected (observed as the collection is) chose it, whatever its other values.
          range.comparesElements = true;
          value(collection, scope);
          return [];
        }
        consume(value(element, scope));
        for (const n of value(collection, scope)) n.members = true;
        return [];
      }
      case '==':
      case '!=': {
        // Against the literal null only the value's kind is compared, which its projection always holds.
        const [left, right] = args as [AstNode, AstNode];
        if (isNull(right)) return navigate(value(left, scope));
        if (isNull(left)) return navigate(value(right, scope));
        consume(value(left, scope));
        consume(value(right, scope));
        return [];
      }
      default: {
        if (!OPERATORS.has(node.op)) throw new Unsupported();
        for (const operand of Array.isArray(node.args) ? (node.args as AstNode[]) : [node.args as AstNode]) consume(value(operand, scope));
        return [];
      }
    }
  };
  try {
    for (const expression of expressions) if (expression) consume(value(astOf(expression), new Map<string, Binding>()));
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return new Map([...roots].map(([root, node]) => [root, sharedNode(node)]));
}

const isNull = (node: AstNode) => node.op === 'value' && node.args === null;
/** Paths whose value is only looked at, not used: nothing more to record. */
const navigate = (_aliases: Aliases): Aliases => [];

class NotPlainData extends Error {}

/**
 * A value as text, distinct for distinct values as CEL sees them (members that are undefined are
 * absent to CEL too, as they are to JSON). JSON.stringify writes anything but plain data ambiguously
 * (a Map as {}, NaN as null, an undefined list item as null), so such a value is refused first.
 */
function wholeValue(value: unknown): string {
  checkPlainData(value);
  return JSON.stringify(value);
}

function checkPlainData(value: unknown): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotPlainData();
      return;
    case 'object': {
      if (value === null) return;
      const frozen = Object.isFrozen(value);
      if (frozen && plainFrozen.has(value)) return;
      checkPlainObject(value);
      if (frozen) plainFrozen.add(value);
      return;
    }
    default:
      throw new NotPlainData();
  }
}

/**
 * Frozen objects found plain data: the model shares them between subjects (each trail's bucket),
 * and the trails of every account were walked through their bucket again (checkPlainData was
 * 0.7 % of a 10,000-account run). A frozen object cannot change, as for frozenProjections.
 */
const plainFrozen = new WeakSet<object>();

function checkPlainObject(value: object): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined) throw new NotPlainData();
      if (typeof item === 'object' || typeof item === 'number') checkPlainData(item);
      else if (typeof item !== 'string' && typeof item !== 'boolean') throw new NotPlainData();
    }
    return;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new NotPlainData();
  const record = value as Record<string, unknown>;
  // for...in: the prototype is Object's or none, and Object.keys made an array per object (see sameDefinedKeys).
  for (const key in record) {
    const member = record[key];
    if (member !== undefined && typeof member !== 'string' && typeof member !== 'boolean') checkPlainData(member);
  }
}

/**
 * A string in a projection, distinct for distinct strings and from every other projected value:
 * its length, a colon and its characters. No other projection is digits then a colon (a number's
 * JSON never holds one), and the length says where the string ends, so no escaping is needed.
 * JSON.stringify, a call into the runtime, cost ~0.2 µs a string, and an account's keys write
 * ~60 of them. A string with a lone surrogate is written as JSON (which escapes it) instead:
 * a long key is hashed as UTF-8, which would write every lone surrogate as the same U+FFFD.
 */
function stringText(value: string): string {
  return isWellFormed(value) ? `${value.length}:${value}` : JSON.stringify(value);
}

/** ES2024's String.prototype.isWellFormed (Node 20 has it; the project's lib is ES2023). Constant time on a one-byte string. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** What of `value` the paths below `node` can observe, as text. */
function project(node: PathNode, value: unknown): string {
  // Most observed values are strings and booleans; a boolean is written as wholeValue would write it.
  switch (typeof value) {
    case 'string':
      return stringText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '~';
    case 'object':
      if (value === null) return 'null';
      break;
    default:
      return wholeValue(value);
  }
  if (!Object.isFrozen(value)) return projectNow(node, value);
  // A frozen object cannot change (the model freezes what it shares deeply): its projection is made once.
  let token = node.frozenProjections.get(value);
  if (token === undefined) node.frozenProjections.set(value, (token = node.tokenOf(projectNow(node, value))));
  return token;
}

/**
 * Lists whose elements were found plain data. A subject's list is keyed by several parts of a
 * rule's outcome (outcome-parts.ts), each walked it whole (1 % of a 10,000-account run). Facts
 * are not changed once built: cel.ts keeps their CEL values by object on the same ground.
 */
const plainElements = new WeakSet<readonly unknown[]>();

function checkPlainElements(list: readonly unknown[]): void {
  if (plainElements.has(list)) return;
  for (let i = 0; i < list.length; i++) checkPlainData(list[i]);
  // `t in selection` is whether t was selected only when no other element equals t: CEL's
  // equality ignores a map's key order, which a predicate may see, so two such elements could be
  // selected differently. A list holding two equal elements is evaluated, not reused.
  if (list.length > 1 && !differByAName(list) && new Set(list.map(orderFreeText)).size < list.length) throw new NotPlainData();
  plainElements.add(list);
}

/**
 * Whether the elements are maps that hold, under one key, strings all different from each other
 * (the trails' `arn`): no two are then equal to CEL, whatever else they hold, and their key-sorted
 * texts need not be made (orderFreeText walked each account's trails whole: 1 % of a
 * 10,000-account run). The keys are tried in the first element's order.
 */
function differByAName(list: readonly unknown[]): boolean {
  const first = list[0];
  if (typeof first !== 'object' || first === null || Array.isArray(first)) return false;
  for (const key of Object.keys(first)) if (typeof (first as Record<string, unknown>)[key] === 'string' && distinctStringsAt(list, key)) return true;
  return false;
}

function distinctStringsAt(list: readonly unknown[], key: string): boolean {
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
    const value = (item as Record<string, unknown>)[key];
    if (typeof value !== 'string' || seen.has(value)) return false;
    seen.add(value);
  }
  return true;
}

/** Plain data as text in which maps' keys are sorted: equal texts for values CEL finds equal. */
function orderFreeText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(orderFreeText).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${orderFreeText(record[key])}`).join(',')}}`;
}

/** The projection of an object (not null). */
function projectNow(node: PathNode, value: object): string {
  if (node.whole) return wholeValue(value);
  const every = node.every();
  if (Array.isArray(value)) {
    if (node.members) return wholeValue(value);
    if (node.comparesElements) checkPlainElements(value);
    let out = `[${value.length}`;
    // Loops by index here: a for...of that runs unoptimized allocates an iterator result per step.
    if (every) for (let i = 0; i < value.length; i++) out += `,${project(every, value[i])}`;
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new NotPlainData();
  const record = value as Record<string, unknown>;
  let out = '{';
  if (every) {
    // CEL iterates a map's keys in insertion order: the order is part of what it sees.
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) if (record[keys[i]!] !== undefined) out += `${stringText(keys[i]!)}:${project(every, record[keys[i]!])},`;
  } else if (node.members) {
    const keys = Object.keys(record);
    for (let i = 0; i < keys.length; i++) if (record[keys[i]!] !== undefined) out += `${stringText(keys[i]!)},`;
  }
  const named = node.namedChildren();
  for (let i = 0; i < named.length; i++) out += `${named[i]!.label}${project(named[i]!.child, record[named[i]!.key])},`;
  return `${out}}`;
}

/**
 * The outcomes' key for a projection: a short text is its own key; a longer one (often kilobytes:
 * an account's trails), which the outcomes of a large organization would otherwise keep one of per
 * distinct subject, is keyed by its SHA-256. A text always ends with a newline, which base64 never
 * holds, so a text and a digest can never be the same key.
 */
function outcomeKey(text: string): string {
  return text.length <= SHORT_KEY_CHARS ? text : hash('sha256', text, 'base64');
}

/** About the size of a digest's map entry: shorter texts cost no more to keep than their hash. */
const SHORT_KEY_CHARS = 64;

/** After this many lookups, a rule whose outcomes are mostly distinct stops being cached. */
export const TRIAL_LOOKUPS = 200;
const MIN_HIT_RATE = 0.25;
/**
 * Outcomes kept per rule once met again. The outcomes that repeat (the organization trail, an OU's
 * SCPs) are met early; beyond this many, a new outcome is returned but not kept, so a rule that
 * passes its trial yet meets a distinct outcome in every account it owns (its own trail's bucket)
 * holds the same memory at 100,000 accounts as at 10,000.
 */
export const MAX_OUTCOMES = 2000;

/**
 * Outcomes met once, held per rule until met again (then kept) or until this many more are met
 * (then all let go). Seven of the bundled rules pass their trial on the organization trail's
 * outcome and then meet a distinct one in nearly every account: at 34,226 accounts each filled its
 * MAX_OUTCOMES with outcomes of which 1,999 were never met again, ~14 MB of each judging thread's
 * live heap that every full collection marked again; with 512 held no hit was lost, with 128 ten of
 * ~17,000 (issue 16, twenty-fifth round). Not fewer than TRIAL_LOOKUPS: none is let go during the
 * trial, which decides as it did when every outcome was kept.
 */
export const OUTCOMES_MET_ONCE = 256;

interface ObservedRoot {
  root: string;
  prefix: string;
  node: PathNode;
}

function observedRoots(paths: Map<string, PathNode> | undefined): ObservedRoot[] | undefined {
  return paths && [...paths].map(([root, node]) => ({ root, prefix: `${root}:`, node }));
}

/**
 * Values computed from what some expressions of a rule observe (a whole outcome, or a part of
 * it: see outcome-parts.ts), reused between subjects whose facts projected on those paths are
 * equal. `undefined` is no value: `compute` never returns it.
 */
export class ReusedValues<T> {
  /** By root: its name, the name as it starts the root's line of a key, and its paths (an array: a Map's iterator was made per lookup). */
  private paths: readonly ObservedRoot[] | undefined | null = null;
  /** Values met more than once (at most MAX_OUTCOMES). */
  private readonly values = new Map<string, T>();
  /** Values met once so far (at most OUTCOMES_MET_ONCE). */
  private readonly metOnce = new Map<string, T>();
  private lookups = 0;
  private hits = 0;
  private enabled = true;
  /**
   * The previous subject's projection and its key. Subjects come account after account, and the
   * accounts of an OU under the organization trail project alike: an equal text has the same
   * digest, so it is not hashed again (SHA-256 was 2.3 % of a 10,000-account run).
   */
  private lastText = '';
  private lastKey = '';
  /**
   * The value kept under lastKey, once found or kept: an equal text is then a hit without the
   * Map's lookup. It stays lastKey's value when the values met once are let go (metOnce).
   */
  private lastValue: T | undefined;
  /**
   * The projection before the last one, with its key and value: an account with a trail of its
   * own projects apart from the accounts around it, and the next one projects as the account
   * before it did; its digest was made again (over half of the digests at 10,000 accounts).
   */
  private previousText = '';
  private previousKey = '';
  private previousValue: T | undefined;
  /** Lookups whose projection equaled the one before it, during the trial: whether the shared projection may serve this value. */
  private repeats = 0;
  /**
   * The segments this value reads through (shared-projection.ts), once it has joined them at the
   * end of its trial, and their runs for the subjects lastKey and previousKey were made for.
   */
  private shared: SharedProjection<PathNode> | undefined;
  private segmentIds: readonly number[] = [];
  /**
   * Lookups, once the shared projection serves this value, of subjects that start a run of one of
   * its segments, and how many of them were reused. Where such subjects seldom are (the trail rules
   * on an account with a trail of its own: its projection names the account's trail and bucket),
   * they stop being projected, hashed and kept, and are computed; the others are still keyed.
   */
  private startingLookups = 0;
  private startingHits = 0;
  private keysStarting = true;
  private segmentRuns: number[] = [];
  private previousRuns: number[] = [];
  private sharedEpoch = -1;

  constructor(
    /** The paths the value depends on (undefined: not analysable, computed every time). */
    private readonly analyse: () => Map<string, PathNode> | undefined,
    /** Whether a value may be kept (an ERROR verdict only when its message can be explained again for another subject: undecided-verdicts.ts). */
    private readonly reusable: (value: T) => boolean,
  ) {}

  /** Whether values are still keyed (the trial has not ended with too few of them reused). */
  get keyed(): boolean {
    return this.enabled;
  }

  get(subject: EvaluationSubject, compute: () => T): T {
    if (this.paths === null) this.paths = observedRoots(this.analyse());
    if (!this.enabled || !this.paths) return compute();
    let starting = false;
    if (!this.sameRuns(subject)) {
      if (this.shared && this.sharedEpoch === this.shared.epoch && this.shared.startsRun(subject, this.segmentIds)) {
        if (!this.keysStarting) return compute();
        starting = true;
      }
      const text = projectionOf(this.paths, subject);
      if (text === undefined) return compute();
      this.remember(text);
      if (this.shared) {
        if (this.sharedEpoch !== this.shared.epoch) this.previousRuns.length = 0;
        this.shared.record(subject, this.segmentIds, this.segmentRuns);
        this.sharedEpoch = this.shared.epoch;
      }
    }
    const key = this.lastKey;
    this.lookups++;
    const known = this.lastValue ?? this.values.get(key) ?? this.metAgain(key);
    if (starting) this.countStarting(known !== undefined);
    if (known !== undefined) {
      this.hits++;
      this.lastValue = known;
      this.endTrialWhenDue(subject);
      return known;
    }
    const value = compute();
    if (this.reusable(value) && this.values.size < MAX_OUTCOMES) {
      if (this.metOnce.size === OUTCOMES_MET_ONCE) this.metOnce.clear();
      this.metOnce.set(key, value);
      this.lastValue = value;
    }
    this.endTrialWhenDue(subject);
    return value;
  }

  /** The value met once under `key`, kept from now on while there is room. */
  private metAgain(key: string): T | undefined {
    const value = this.metOnce.get(key);
    if (value !== undefined && this.values.size < MAX_OUTCOMES) {
      this.metOnce.delete(key);
      this.values.set(key, value);
    }
    return value;
  }

  /**
   * Whether the subject's segments are in the runs they were in for the last projection, or for
   * the one before (which then becomes the last): the subject would project as it did.
   */
  private sameRuns(subject: EvaluationSubject): boolean {
    const shared = this.shared;
    if (shared === undefined || this.sharedEpoch !== shared.epoch) return false;
    if (shared.unchanged(subject, this.segmentIds, this.segmentRuns)) return true;
    if (!shared.unchanged(subject, this.segmentIds, this.previousRuns)) return false;
    this.toPrevious(this.lastText);
    return true;
  }

  /** Counts a lookup of a subject starting a run; after STARTING_TRIAL of them, too few reused and such subjects are computed. */
  private countStarting(hit: boolean): void {
    if (hit) this.startingHits++;
    if (++this.startingLookups === STARTING_TRIAL && this.startingHits < MIN_HIT_RATE * STARTING_TRIAL) this.keysStarting = false;
  }

  /** Makes `text` the last projection, its key found again or made. */
  private remember(text: string): void {
    if (text === this.lastText) {
      if (this.lookups < TRIAL_LOOKUPS) this.repeats++;
      return;
    }
    if (text === this.previousText) return this.toPrevious(text);
    this.previousText = this.lastText;
    this.previousKey = this.lastKey;
    this.previousValue = this.lastValue;
    [this.previousRuns, this.segmentRuns] = [this.segmentRuns, this.previousRuns];
    this.lastText = text;
    this.lastKey = outcomeKey(text);
    this.lastValue = undefined;
  }

  /** The projection before the last one (`text`) becomes the last, and the last the one before. */
  private toPrevious(text: string): void {
    const { lastText, lastKey, lastValue, segmentRuns } = this;
    this.lastText = text === lastText ? this.previousText : text;
    this.lastKey = this.previousKey;
    this.lastValue = this.previousValue;
    this.segmentRuns = this.previousRuns;
    this.previousText = lastText;
    this.previousKey = lastKey;
    this.previousValue = lastValue;
    this.previousRuns = segmentRuns;
  }

  /**
   * At the trial's last lookup, hit or miss: too few reused, and nothing is keyed any more; or
   * reused, and mostly projected as the subject before, and its paths join the shared projection
   * of its subjects' resource type.
   */
  private endTrialWhenDue(subject: EvaluationSubject): void {
    if (this.lookups !== TRIAL_LOOKUPS) return;
    if (this.hits < MIN_HIT_RATE * this.lookups) {
      this.enabled = false;
      this.values.clear();
      this.metOnce.clear();
      this.lastValue = this.previousValue = undefined;
    } else if (this.repeats >= MIN_REPEAT_RATE * this.lookups) {
      const segments = segmentsOf(this.paths!);
      if (!segments) return;
      this.shared = sharedProjectionOf(subject.resource.type);
      this.segmentIds = this.shared.join(segments);
    }
  }
}

/** The projection of a subject's facts on `paths`, undefined when they are not plain data. */
function projectionOf(paths: readonly ObservedRoot[], subject: EvaluationSubject): string | undefined {
  let text = '';
  const facts = subject.activation as Record<string, unknown>;
  try {
    for (let i = 0; i < paths.length; i++) {
      const { prefix, node, root } = paths[i]!;
      text += `${prefix}${project(node, facts[root])}\n`;
    }
  } catch (err) {
    if (err instanceof NotPlainData) return undefined;
    throw err;
  }
  return text;
}

/** Lookups of subjects starting a run (ReusedValues.startingLookups) before those subjects may stop being keyed. */
export const STARTING_TRIAL = 200;

/** Values whose trial saw at least this share of projections equal to the previous one read through segments. */
const MIN_REPEAT_RATE = 0.5;

/**
 * The segments of `paths`: each root's named members. Undefined when a root is read otherwise
 * (whole, its keys or entries listed), which only the value's own projection shows.
 */
function segmentsOf(paths: readonly ObservedRoot[]): SegmentPath<PathNode>[] | undefined {
  const segments: SegmentPath<PathNode>[] = [];
  for (const { root, node } of paths) {
    if (node.whole || node.members || node.comparesElements || node.every() || node.children.size === 0) return undefined;
    for (const { key, child } of node.namedChildren()) segments.push({ root, member: key, node: child });
  }
  return segments;
}

/**
 * The segments of subjects of one resource type, for every rule of the process: a rule loaded
 * again (other parameters, another rule set) adds to them, at the cost of a finer projection.
 */
const sharedProjections = new Map<string, SharedProjection<PathNode>>();

const observer: Observer<PathNode> = { alike, merge: mergedNode };

function sharedProjectionOf(type: string): SharedProjection<PathNode> {
  let shared = sharedProjections.get(type);
  if (!shared) sharedProjections.set(type, (shared = new SharedProjection(observer)));
  return shared;
}

/**
 * Whether `a` and `b` project alike on `node` (as project() writes them), without writing them;
 * false when not certain (data that is not plain, elements some of which are equal). A frozen
 * value is written as a token, yet one alike another is equal to it on every path of the node:
 * what CEL can see of them is the same.
 */
function alike(node: PathNode, a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (node.whole) return plainEqual(a, b);
  const every = node.every();
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    if (node.members) return plainEqual(a, b);
    if (node.comparesElements && !hasPlainElements(a)) return false;
    if (every) for (let i = 0; i < a.length; i++) if (!alike(every, a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !plainPrototype(a) || !plainPrototype(b)) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  if ((every || node.members) && !sameDefinedKeys(recordA, recordB)) return false;
  if (every) {
    for (const key in recordA) {
      const member = recordA[key];
      if (member !== undefined && !alike(every, member, recordB[key])) return false;
    }
  }
  const named = node.namedChildren();
  for (let i = 0; i < named.length; i++) if (!alike(named[i]!.child, recordA[named[i]!.key], recordB[named[i]!.key])) return false;
  return true;
}

const plainPrototype = (value: object): boolean => {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

function hasPlainElements(list: readonly unknown[]): boolean {
  try {
    checkPlainElements(list);
    return true;
  } catch (err) {
    if (err instanceof NotPlainData) return false;
    throw err;
  }
}

/**
 * The same members defined, in the same order (as a map's keys and JSON are written). Both have
 * Object's prototype or none (their callers check), so for...in visits their own enumerable keys
 * in Object.keys' order; it allocates nothing where Object.keys made two arrays per comparison
 * (the largest allocation of the shared projection's comparisons). `a`'s keys wait in KEYS_OF_A,
 * which no comparison nested in this one uses: the values are compared after it returns.
 */
function sameDefinedKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let count = 0;
  for (const key in a) if (a[key] !== undefined) KEYS_OF_A[count++] = key;
  let j = 0;
  for (const key in b) {
    if (b[key] === undefined) continue;
    if (j === count || KEYS_OF_A[j] !== key) return false;
    j++;
  }
  return j === count;
}

const KEYS_OF_A: string[] = [];

/** Whether two values are plain data with the same JSON (wholeValue's texts equal), without writing it. */
function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'number' || Number.isFinite(a);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] === undefined || !plainEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || !plainPrototype(a) || !plainPrototype(b)) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  if (!sameDefinedKeys(recordA, recordB)) return false;
  for (const key in recordA) {
    const member = recordA[key];
    if (member !== undefined && !plainEqual(member, recordB[key])) return false;
  }
  return true;
}

/** A node observing what `a` and `b` observe (a new node: shared nodes keep their own projections). */
function mergedNode(a: PathNode | undefined, b: PathNode): PathNode {
  const merged = new PathNode();
  const nodes = a ? [a, b] : [b];
  merged.whole = nodes.some((n) => n.whole);
  if (merged.whole) return merged;
  merged.members = nodes.some((n) => n.members);
  merged.comparesElements = nodes.some((n) => n.comparesElements);
  for (const key of new Set(nodes.flatMap((n) => [...n.children.keys()]))) {
    const ofA = a?.children.get(key);
    const ofB = b.children.get(key);
    merged.children.set(key, ofB ? mergedNode(ofA, ofB) : mergedNode(undefined, ofA!));
  }
  return merged;
}

/**
 * `evaluate` with outcomes reused between subjects whose observed facts are equal; once too few
 * are reused (the trial), every subject goes to `afterTrial` (loaded.ts: the outcome in parts).
 */
export function withVerdictCache(
  rule: CompiledRule,
  evaluate: (subject: EvaluationSubject) => RuleVerdict,
  afterTrial: (subject: EvaluationSubject) => RuleVerdict,
): (subject: EvaluationSubject) => RuleVerdict {
  const outcomes = new ReusedValues<RuleVerdict>(
    () => observedPaths(rule),
    // An ERROR only when its message can be explained again for another subject (undecided-verdicts.ts).
    (verdict) => verdict.status !== 'ERROR' || explanationOf(verdict) !== undefined,
  );
  return (subject) => {
    if (!outcomes.keyed) return afterTrial(subject);
    let fresh: RuleVerdict | undefined;
    const known = outcomes.get(subject, () => (fresh = evaluate(subject)));
    if (fresh) return fresh;
    const message = known.status === 'ERROR' ? explanationOf(known)!(subject) : known.message;
    return { ruleId: rule.document.id, status: known.status, severity: rule.document.severity, message, evidence: known.evidence, resource: subject.resource };
  };
}
