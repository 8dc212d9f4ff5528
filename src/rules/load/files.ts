/** Finding rule files: "builtin", folders (searched recursively) and single files. */
import { compareStrings } from '../../contracts/order.ts';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserErrors } from '../../shared/errors.ts';

/** The bundled rule pack, found from this file so it works from any working directory. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../../rules/', import.meta.url));

/** A rule file on disk, and how reports should name it. */
export interface RuleFile {
  path: string;
  source: string;
}

/**
 * "builtin", folders and files → rule files, sorted, each once. A folder is searched recursively
 * for *.yaml files that are not *.test.yaml (rules grouped in sub-folders are found); folders whose
 * name starts with "." or is node_modules are skipped.
 */
export function resolveRuleFiles(paths: string[]): RuleFile[] {
  const files = new Map<string, RuleFile>();
  const problems: string[] = [];
  for (const given of paths) {
    const builtin = given === 'builtin';
    const path = builtin ? BUILTIN_RULES_DIR : resolve(given);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      problems.push(`${given}: no such rule file or folder`);
      continue;
    }
    for (const file of isDir ? ruleFilesUnder(path) : [path]) {
      const source = builtin ? `rules/${relative(BUILTIN_RULES_DIR, file).split('\\').join('/')}` : relative(process.cwd(), file) || file;
      if (!files.has(file)) files.set(file, { path: file, source });
    }
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return [...files.values()].sort((a, b) => compareStrings(a.source, b.source));
}

function ruleFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.') && entry.name !== 'node_modules') found.push(...ruleFilesUnder(path));
    } else if (entry.name.endsWith('.yaml') && !entry.name.endsWith('.test.yaml')) {
      found.push(path);
    }
  }
  return found;
}
