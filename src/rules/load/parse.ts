/**
 * Reading one rule file, in the order ESLint and Cloud Custodian use: YAML syntax, then the JSON
 * Schema, then the file-name convention. Problems are appended as "file:line:col: message".
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { bundledSchemaValidator } from '../../shared/bundled-schemas.ts';
import { located, UserError, UserErrors } from '../../shared/errors.ts';
import { assertValid, parseYamlText, type YamlSource } from '../../shared/yaml-source.ts';
import type { RuleDocument } from '../types.ts';
import type { RuleFile } from './files.ts';

export interface ParsedRule {
  source: YamlSource;
  document: RuleDocument;
  bytes: Buffer;
}

export function parseRuleFile(file: RuleFile, problems: string[]): ParsedRule | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (err) {
    problems.push(`${file.source}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return undefined;
  }
  let source: YamlSource;
  let document: RuleDocument;
  try {
    source = parseYamlText(file.source, bytes.toString('utf8'));
    document = assertValid<RuleDocument>(source, bundledSchemaValidator('rule'), 'rule');
  } catch (err) {
    if (err instanceof UserErrors) problems.push(...err.problems);
    else if (err instanceof UserError) problems.push(err.message);
    else throw err;
    return undefined;
  }
  const expected = basename(file.path, '.yaml');
  if (document.id !== expected) {
    problems.push(at(source, ['id'], `rule id "${document.id}" must match its file name (${expected}.yaml)`));
    return undefined;
  }
  return { source, document, bytes };
}

/** "file:line:col: message" at a path of the rule file. */
export function at(source: YamlSource, path: (string | number)[], message: string): string {
  const pos = source.positionOf(path);
  return located(source.file, pos.line, pos.column, message);
}
