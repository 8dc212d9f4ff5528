import type { ResourceRef, ResourceType } from '../model/facts.ts';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Rank for threshold comparisons: higher is more severe. */
export const SEVERITY_RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, info: 1 };

export type VerdictStatus = 'PASS' | 'FAIL' | 'ERROR' | 'NOT_APPLICABLE';

/** Where something sits in a source file (1-based line and column). */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** A rule as written in rules/<id>.yaml (after schema validation). */
export interface RuleDocument {
  id: string;
  title: string;
  description?: string;
  rationale?: string;
  severity: Severity;
  resource: ResourceType;
  /** Parameter declarations (a JSON Schema each, with its default); values in CEL as `params.<name>`. */
  params?: Record<string, ParamDeclaration>;
  /** What the rule asks the model to compute beyond the defaults (affects no other rule's facts). */
  model?: ModelRequest;
  match?: string;
  variables?: { name: string; expression: string }[];
  validations: { expression: string; message?: string; messageExpression?: string }[];
  /** Message for a PASS; a CEL expression. */
  passMessageExpression?: string;
  /** Message for NOT_APPLICABLE; a CEL expression. */
  notApplicableMessageExpression?: string;
  evidence?: string;
  remediation: string;
  frameworks?: Record<string, string[]>;
  tags?: string[];
  helpUri?: string;
}

export type ParamScalarType = 'string' | 'integer' | 'number' | 'boolean';

/** One parameter: a small JSON Schema (as ESLint's meta.schema), its default and what it means. */
export interface ParamDeclaration {
  type: ParamScalarType | 'array';
  description: string;
  default: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  items?: { type: ParamScalarType; enum?: unknown[]; pattern?: string; minLength?: number };
  minItems?: number;
  uniqueItems?: boolean;
}

export interface ModelRequest {
  /** The name of a list-of-strings parameter: the model evaluates SCP protection for those actions too. */
  scpActionsParam?: string;
}

/** What reports need to know about a rule (no expressions). */
export interface RuleMeta {
  id: string;
  title: string;
  description: string;
  rationale?: string;
  severity: Severity;
  resource: ResourceType;
  remediation: string;
  frameworks: Record<string, string[]>;
  tags: string[];
  helpUri?: string;
  /** Effective parameters (defaults merged with config). */
  params: Record<string, unknown>;
  /** Path of the rule file relative to the working directory; builtin rules are "rules/<id>.yaml". */
  source: string;
  /** SHA-256 of the rule file's bytes. */
  sha256: string;
}

export interface Suppression {
  reason: string;
  approver: string;
  expires: string; // YYYY-MM-DD
  /** The exception's index in config.yaml, for traceability. */
  exceptionId: string;
}

export interface Verdict {
  ruleId: string;
  status: VerdictStatus;
  severity: Severity;
  message: string;
  /** JSON-compatible proof (numbers, strings, booleans, lists, maps). */
  evidence: unknown;
  resource: ResourceRef;
  /** Present on a FAIL matched by a live exception: kept, but does not fail the gate. */
  suppressed?: Suppression;
}

/** A failure to evaluate that is not about one resource (e.g. a rule crashed on the organization). */
export interface EvaluationProblem {
  ruleId: string;
  message: string;
}
