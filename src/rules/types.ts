import type { ResourceType, Severity } from '../contracts/verdict.ts';

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
  /** An array-of-strings parameter listing CloudTrail-tampering actions whose detective controls the model judges. */
  tamperActionsParam?: string;
}

/** A failure to evaluate that is not about one resource (e.g. a rule crashed on the organization). */
export interface EvaluationProblem {
  ruleId: string;
  message: string;
}
