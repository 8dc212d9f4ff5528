/**
 * Tolerant where AWS answered: before the writer validates a line, every answer whose shape is
 * not the one the schema expects is turned into a recorded error that keeps the answer as it
 * came, `{"error": {"code": "UnexpectedAnswer", "message": "<path>: expected ..."}, "answer": ...}`.
 * The model then treats the facts built from it as unknown (ERROR for the rules that need them)
 * and every other verdict is still produced. Only trailproof's own envelope stays strict: a
 * problem there is a bug in the collector, reported as a defect (see write.ts).
 */
import { operationOfField } from './answer-operations.ts';
import type { LineProblem } from './schema.ts';
import type { ApiError } from './types.ts';

export const UNEXPECTED_ANSWER = 'UnexpectedAnswer';

export interface Tolerated<T> {
  line: T;
  /** One per answer kept as it came. */
  kept: ApiError[];
  /** A problem outside any AWS answer: the line is written as it is, and the writer reports it. */
  defect?: LineProblem;
}

/**
 * Validates `line`; each problem inside the value of a Fetched replaces that Fetched (the
 * innermost one, so one odd policy target does not hide the whole policy list) by a recorded
 * error with the answer kept. The input is never modified: a copy is made on the first problem.
 */
export function tolerateAnswers<T extends object>(line: T, validate: (line: unknown) => LineProblem | undefined): Tolerated<T> {
  let current = line;
  const kept: ApiError[] = [];
  // Each round replaces one Fetched, so it ends: a line has finitely many.
  for (;;) {
    const problem = validate(current);
    if (!problem) return { line: current, kept };
    const segments = problem.pointer.split('/').slice(1).map(unescapePointer);
    const at = innermostFetched(current, segments);
    if (at === undefined) return { line: current, kept, defect: problem };
    if (current === line) current = structuredClone(line);
    const path = segments.slice(0, at);
    const holder = nodeAt(current, path.slice(0, -1)) as Record<string, unknown>;
    const key = path[path.length - 1]!;
    const fetched = holder[key] as { value: unknown };
    const inside = '/' + segments.slice(at + 1).map(escapePointer).join('/');
    const error: ApiError = {
      operation: operationOf(current, path),
      code: UNEXPECTED_ANSWER,
      message: `the answer is not in the shape trailproof expects, at ${inside === '/' ? 'its top level' : inside}: ${problem.message} (kept in the snapshot as it came)`,
      ...where(current, path),
    };
    holder[key] = { error, answer: fetched.value };
    kept.push(error);
  }
}

/**
 * Index into `segments` of the deepest `value` step that enters a Fetched (an object whose keys
 * are `value` and possibly `absent`), or undefined when the problem lies outside every answer.
 */
function innermostFetched(line: unknown, segments: readonly string[]): number | undefined {
  let node: unknown = line;
  let found: number | undefined;
  for (let i = 0; i < segments.length; i++) {
    if (node === null || typeof node !== 'object') break;
    const seg = segments[i]!;
    if (seg === 'value' && !Array.isArray(node) && isFetched(node as Record<string, unknown>)) found = i;
    node = (node as Record<string, unknown>)[seg];
  }
  return found;
}

function isFetched(node: Record<string, unknown>): boolean {
  return 'value' in node && Object.keys(node).every((k) => k === 'value' || k === 'absent');
}

function nodeAt(line: unknown, path: readonly string[]): unknown {
  let node = line;
  for (const seg of path) node = (node as Record<string, unknown>)[seg];
  return node;
}

function operationOf(line: unknown, path: readonly string[]): string {
  if (path.length === 1 && path[0] === 'enabledRegions') {
    const source = (line as { enabledRegionsSource?: unknown }).enabledRegionsSource;
    if (typeof source === 'string') return source;
  }
  return operationOfField(path);
}

/** The account and region the answer came from, as far as the line says. */
function where(line: unknown, path: readonly string[]): { accountId?: string; region?: string } {
  const accountId = (line as { accountId?: unknown }).accountId;
  const out: { accountId?: string; region?: string } = typeof accountId === 'string' ? { accountId } : {};
  if (path[0] === 'regions' && path[1] !== undefined) {
    const region = (nodeAt(line, path.slice(0, 2)) as { region?: unknown } | undefined)?.region;
    if (typeof region === 'string') out.region = region;
  } else if (path[0] === 'trailDetails' && path[1] !== undefined) {
    const region = path[1].split(':')[3];
    if (region) out.region = region;
  }
  return out;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
