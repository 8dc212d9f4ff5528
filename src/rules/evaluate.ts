/**
 * Verdict semantics, in the style of Kubernetes ValidatingAdmissionPolicy: match → variables →
 * validations. Fails closed: anything that cannot be decided is an ERROR that says why.
 */
import type { EvaluationSubject } from '../model/facts.ts';
import type { Verdict } from '../contracts/verdict.ts';
import type { RuleDocument } from './types.ts';
import { celRootsFor } from './activation-roots.ts';
import { celErrorInfo, celToText, fromCel, missingKeyOf, type CompiledExpression } from './cel.ts';
import type { CompiledRule, RuleVerdict } from './compiled-rule.ts';
import { noteExplanation } from './undecided-verdicts.ts';

// Declared apart so that modules evaluate.ts uses (activation-roots.ts) can name them without an import cycle.
export type { CompiledRule, CompiledValidation, RuleVerdict } from './compiled-rule.ts';

/** An evaluation error together with the part of the rule that raised it. */
class Undecided {
  constructor(
    readonly error: unknown,
    readonly where: string,
  ) {}
}

export function evaluateCompiledRule(rule: CompiledRule, subject: EvaluationSubject): RuleVerdict {
  refuseOtherResources(rule, subject);
  const activation = buildActivation(rule, subject);
  const decision = decide(rule, activation);
  if (decision.status === 'ERROR') return undecidedVerdict(rule, subject, decision, evidenceOf(rule, activation));
  return verdictOf(rule, subject, decision.status, messageFor(rule, decision, activation), decision.status === 'NOT_APPLICABLE' ? null : evidenceOf(rule, activation));
}

export function refuseOtherResources(rule: CompiledRule, subject: EvaluationSubject): void {
  const doc = rule.document;
  if (subject.resource.type !== doc.resource) {
    throw new Error(`rule ${doc.id} judges ${doc.resource} resources, not ${subject.resource.type} (filter subjects first)`);
  }
}

/**
 * Where the rule's match and validations lead, before its message and evidence are made: which
 * message expression speaks (the failed validation's, the pass or not-applicable message), or why
 * nothing could be decided.
 */
export type Decision = { status: 'NOT_APPLICABLE' } | { status: 'FAIL'; validation: number } | { status: 'PASS' } | { status: 'ERROR'; undecided: Undecided };

export function decide(rule: CompiledRule, activation: Record<string, unknown>): Decision {
  if (rule.match) {
    const matched = run(rule.match, activation, 'match');
    if (matched instanceof Undecided) return { status: 'ERROR', undecided: matched };
    if (typeof matched !== 'boolean') return { status: 'ERROR', undecided: notBoolean(matched, 'match') };
    if (!matched) return NOT_APPLICABLE;
  }
  let firstError: Undecided | undefined;
  // By index: entries() and its destructured pairs allocate per validation where this runs unoptimized.
  for (let i = 0; i < rule.validations.length; i++) {
    const where = validationPlace(i);
    const result = run(rule.validations[i]!.expression, activation, where);
    if (result === true) continue;
    if (result === false) return { status: 'FAIL', validation: i };
    // A definite FAIL later on outranks an error here: the resource is non-compliant either way.
    firstError ??= result instanceof Undecided ? result : notBoolean(result, where);
  }
  return firstError ? { status: 'ERROR', undecided: firstError } : PASS;
}

/** `validations[i]`, made once per index: it names where an error came from, and is rarely read. */
function validationPlace(i: number): string {
  return (VALIDATION_PLACES[i] ??= `validations[${i}]`);
}

const VALIDATION_PLACES: string[] = [];

const NOT_APPLICABLE: Decision = { status: 'NOT_APPLICABLE' };
const PASS: Decision = { status: 'PASS' };

/** The message expression a decision is told by (undefined: the rule gives a fixed text). */
export function messageExpressionOf(rule: CompiledRule, decision: Exclude<Decision, { status: 'ERROR' }>): CompiledExpression | undefined {
  if (decision.status === 'NOT_APPLICABLE') return rule.notApplicableMessage;
  return decision.status === 'FAIL' ? rule.validations[decision.validation]!.messageExpression : rule.passMessage;
}

/** The verdict's message; a message expression that fails or says nothing gives way to the fixed text. */
export function messageFor(rule: CompiledRule, decision: Exclude<Decision, { status: 'ERROR' }>, activation: Record<string, unknown>): string {
  const doc = rule.document;
  const said = messageOf(messageExpressionOf(rule, decision), activation);
  if (said !== undefined) return said;
  if (decision.status === 'NOT_APPLICABLE') return `not applicable: ${doc.match}`;
  if (decision.status === 'PASS') return `${doc.title}: passed`;
  const validation = rule.validations[decision.validation]!;
  return validation.message ?? `failed: ${validation.text}`;
}

export function verdictOf(rule: CompiledRule, subject: EvaluationSubject, status: Verdict['status'], message: string, evidence: unknown): RuleVerdict {
  return { ruleId: rule.document.id, status, severity: rule.document.severity, message, evidence, resource: subject.resource };
}

/**
 * An ERROR, with why the rule could not decide (searched in all of the subject's facts), and how
 * that is told for another subject the decision is reused for (undecided-verdicts.ts).
 */
export function undecidedVerdict(rule: CompiledRule, subject: EvaluationSubject, decision: { undecided: Undecided }, evidence: unknown): RuleVerdict {
  const { undecided } = decision;
  const explained = (of: EvaluationSubject) => `could not decide: ${explain(undecided, of)}`;
  const verdict = verdictOf(rule, subject, 'ERROR', explained(subject), evidence);
  noteExplanation(verdict, explained);
  return verdict;
}

/**
 * The CEL activation. `variables` is an object of getters so a variable is evaluated only when
 * read, once; a variable that fails throws its error to each reader, so a validation that does
 * not read it is not affected. The getters are the rule's, on a prototype made once per rule
 * (variablesPrototype), and read this evaluation's state from a member of its own: defining them
 * on each evaluation's object (Object.defineProperties) cost ~1 µs per evaluation.
 */
export function buildActivation(rule: CompiledRule, subject: EvaluationSubject): Record<string, unknown> {
  const activation = celRootsFor(rule, subject);
  activation.params = rule.celParams;
  let variables: Record<string, unknown>;
  if (rule.variables.length > 0) {
    variables = Object.create(variablesPrototype(rule)) as Record<string, unknown>;
    (variables as { [VARIABLES]: VariablesState })[VARIABLES] = { activation, states: [] };
  } else variables = {};
  activation.variables = variables;
  return activation;
}

const VARIABLES = Symbol('variables state');

interface VariablesState {
  activation: Record<string, unknown>;
  /** By the variable's place in the rule: its value or its error, once read. */
  states: ({ value: unknown } | { error: Undecided } | undefined)[];
}

const prototypesByRule = new WeakMap<CompiledRule, object>();

/**
 * The rule's variables as getters. CEL reads `variables` as the declared type of the rule's
 * environment (cel.ts ruleEnvironment): it wraps the object and reads a field by name (`raw[name]`),
 * which finds an inherited getter as it finds an own one; the object's constructor is still
 * Object's, so it is taken for a map, as a plain object is.
 */
function variablesPrototype(rule: CompiledRule): object {
  let prototype = prototypesByRule.get(rule);
  if (!prototype) {
    const accessors: PropertyDescriptorMap = {};
    rule.variables.forEach((v, i) => {
      accessors[v.name] = {
        enumerable: true,
        get(this: { [VARIABLES]: VariablesState }) {
          const { activation, states } = this[VARIABLES];
          let state = states[i];
          if (!state) {
            const result = run(v.expression, activation, `variables.${v.name}`);
            state = states[i] = result instanceof Undecided ? { error: result } : { value: result };
          }
          if ('error' in state) throw state.error;
          return state.value;
        },
      };
    });
    prototypesByRule.set(rule, (prototype = Object.create(Object.prototype, accessors) as object));
  }
  return prototype;
}

/** Evaluates; a thrown error becomes an Undecided that remembers where it came from. */
function run(expression: CompiledExpression, activation: Record<string, unknown>, where: string): unknown {
  try {
    return expression(activation);
  } catch (err) {
    if (err instanceof Undecided) return err;
    const origin = findUndecided(err);
    return origin ?? new Undecided(err, where);
  }
}

/** The library may wrap what a variable getter threw; recover the variable's own error. */
function findUndecided(err: unknown): Undecided | undefined {
  let cursor: unknown = err;
  for (let depth = 0; depth < 5 && cursor && typeof cursor === 'object'; depth++) {
    if (cursor instanceof Undecided) return cursor;
    cursor = (cursor as { cause?: unknown }).cause;
  }
  return undefined;
}

function notBoolean(value: unknown, where: string): Undecided {
  return new Undecided(new Error(`the result is ${describeValue(value)}, not a bool`), where);
}

function describeValue(value: unknown): string {
  if (value instanceof Undecided) return 'an error';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map || typeof value === 'object') return 'a map';
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'number') return 'a double';
  return `a ${typeof value}`;
}

/** A message expression's text, or undefined when it is absent or fails (the caller falls back). */
function messageOf(expression: CompiledExpression | undefined, activation: Record<string, unknown>): string | undefined {
  if (!expression) return undefined;
  const value = run(expression, activation, 'message');
  if (value instanceof Undecided || value === null || value === undefined) return undefined;
  const text = celToText(value);
  return text === '' ? undefined : text;
}

export function evidenceOf(rule: CompiledRule, activation: Record<string, unknown>): unknown {
  if (!rule.evidence) return null;
  const value = run(rule.evidence, activation, 'evidence');
  if (value instanceof Undecided) return { evidenceError: celErrorInfo(value.error).summary };
  // `evidence: variables` hands back the lazy variables map: converting it reads every variable,
  // and one that cannot be decided throws here, after the verdict was already reached.
  try {
    return fromCel(value);
  } catch (error) {
    if (error instanceof Undecided) return { evidenceError: `${celErrorInfo(error.error).summary} (in ${error.where})` };
    throw error;
  }
}

/**
 * Why a rule could not decide. A "No such key" on a field the model marked unknown is explained
 * with the model's reason (the failed call), naming the object it is missing from.
 */
function explain(u: Undecided, subject: EvaluationSubject): string {
  const info = celErrorInfo(u.error);
  const key = missingKeyOf(info);
  if (key !== undefined) {
    const holder = findUnknown(subject, key);
    if (holder) return `${key}${holder.label ? ` of ${holder.label}` : ''} is unknown: ${holder.reason}`;
  }
  return `${info.summary} (in ${u.where})`;
}

const SEARCH_ORDER = ['trail', 'bucket', 'account', 'organization'] as const;
const MAX_DEPTH = 6;

/** Depth-first search of the facts for an object whose `unknown` map names the missing key. */
export function findUnknown(subject: EvaluationSubject, key: string): { reason: string; label?: string } | undefined {
  const seen = new Set<object>();
  const visit = (value: unknown, depth: number): { reason: string; label?: string } | undefined => {
    if (!value || typeof value !== 'object' || seen.has(value) || depth > MAX_DEPTH) return undefined;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) {
        const found = visit(item, depth + 1);
        if (found) return found;
      }
      return undefined;
    }
    const obj = value as Record<string, unknown>;
    const unknown = obj.unknown;
    if (unknown && typeof unknown === 'object' && !(key in obj && obj[key] !== undefined)) {
      const reason = (unknown as Record<string, unknown>)[key];
      if (typeof reason === 'string') {
        const label = [obj.arn, obj.name, obj.id].find((v) => typeof v === 'string' && v !== '') as string | undefined;
        return label ? { reason, label } : { reason };
      }
    }
    // Keys, not entries: every ERROR verdict searches its subject's facts, and entries() made a pair per member.
    const keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === 'unknown') continue;
      const found = visit(obj[keys[i]!], depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  for (const root of SEARCH_ORDER) {
    const found = visit(subject.activation[root], 0);
    if (found) return found;
  }
  return undefined;
}

/** Evaluates every rule on the subjects of its resource type. */
export function evaluateSubjects(
  rules: { document: RuleDocument; evaluate(subject: EvaluationSubject): RuleVerdict }[],
  subjects: Iterable<EvaluationSubject>,
): RuleVerdict[] {
  const verdicts: RuleVerdict[] = [];
  for (const subject of subjects) {
    for (const rule of rules) if (rule.document.resource === subject.resource.type) verdicts.push(rule.evaluate(subject));
  }
  return verdicts;
}
