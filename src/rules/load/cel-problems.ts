/**
 * Placing a CEL problem: at the offending character inside the YAML scalar, in words a rule
 * author can act on ("`account.nosuch`: no such fact; did you mean `account.name`?").
 */
import { located } from '../../shared/errors.ts';
import type { YamlSource } from '../../shared/yaml-source.ts';
import type { CelErrorInfo } from '../cel.ts';
import { factFieldNames, resourcesReading } from '../cel-types.ts';
import { fileOffsetInScalar } from '../scalar-offsets.ts';
import { closest } from '../../shared/closest.ts';

export interface ScopeNames {
  /** Every variable the rule declares, in order. */
  variables: string[];
  /** How many of them the expression may see (those declared above it). */
  visibleVariables: number;
  params: string[];
  /** The rule's resource type: which fact roots it is given. */
  resource: string;
}

export function celProblem(source: YamlSource, path: (string | number)[], error: CelErrorInfo, scope: ScopeNames): string {
  const node = source.nodeAt(path);
  const offset = error.range ? fileOffsetInScalar(source.text, node, error.range.start) : undefined;
  const pos = offset !== undefined ? source.linePos(offset) : source.positionOf(path);
  const snippet = error.snippet.slice(0, 2).map((l) => `    ${l}`);
  return [located(source.file, pos.line, pos.column, celMessage(path, error, scope)), ...snippet].join('\n');
}

function celMessage(path: (string | number)[], error: CelErrorInfo, scope: ScopeNames): string {
  const root = error.code === 'unknown_variable' ? /Unknown variable: (\w+)/.exec(error.summary)?.[1] : undefined;
  const readers = resourcesReading(root);
  if (readers) return `\`${root}\` is not given to a rule with resource: ${scope.resource} (only to ${readers.join(', ')} rules)`;
  const access = error.access;
  if (!access) return `invalid CEL in ${describePath(path)}: ${error.summary}`;
  const written = `\`${access.receiver}.${access.key}\``;
  if (access.receiver === 'variables') {
    const later = scope.variables.indexOf(access.key);
    if (later >= scope.visibleVariables) return `variable "${access.key}" is used before its declaration (variables[${later}])`;
    return `${written}: no such variable${suggestion(access.receiver, access.key, scope.variables.slice(0, scope.visibleVariables))}`;
  }
  if (access.receiver === 'params') return `${written}: no such parameter${suggestion(access.receiver, access.key, scope.params)}`;
  const fields = access.receiverType ? factFieldNames(access.receiverType) : undefined;
  if (fields) return `${written}: no such fact${suggestion(access.receiver, access.key, fields, access.receiverType)}`;
  return `invalid CEL in ${describePath(path)}: ${error.summary}`;
}

/** "; did you mean `x.name`?" for a close name, else the names there are. */
function suggestion(receiver: string, key: string, names: string[], typeName?: string): string {
  const close = closest(key, names);
  if (close) return `; did you mean \`${receiver}.${close}\`?`;
  if (names.length === 0) return ' (none are declared)';
  return ` (${typeName ? `${typeName} has` : 'declared'}: ${names.join(', ')})`;
}

export function describePath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
