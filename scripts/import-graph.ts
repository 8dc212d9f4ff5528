/**
 * `node --import tsx scripts/import-graph.ts [REV]`: the pipeline's shape at a git revision
 * (default HEAD): the imports between stage folders of src/ (the stage arrows, with how many
 * file-to-file imports each carries, marked where a stage imports a later one) and the largest
 * source files by lines. The order of the stages is the one test/unit/architecture.test.ts keeps.
 */
import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Stage folders of src/, in import order: a folder may import its own files and those of the
 * folders listed before it, never one listed after it (DESIGN.md "The pipeline"; kept by
 * test/unit/architecture.test.ts).
 *
 * - contracts/ and shared/ are the ground floor (the result's types and canonical order; errors,
 *   globs, YAML positions).
 * - snapshot/ is the snapshot format (types, schema, reader, writer). In the data flow it comes
 *   after collect; in imports it sits below it, because the collector writes that format and
 *   the model reads it.
 * - config/ is the user's config.yaml: read by the collector (scope, roles), the model (PII), the
 *   rules (params) and the evaluation (exceptions, threshold), so it sits below all of them.
 * - cli/ parses arguments and calls every stage.
 */
export const STAGE_ORDER = ['contracts', 'shared', 'snapshot', 'config', 'collect', 'model', 'rules', 'evaluate', 'report', 'evidence', 'cli'] as const;

/** Relative imports of one module (static, type-only, re-exports and import() with a literal). */
export function importsOf(text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith('.'));
}

/** The stage folder of a repository-relative path under src/, or undefined for a file loose in src/. */
export function stageOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts.length > 2 && parts[0] === 'src' ? parts[1] : undefined;
}

export interface Arrow {
  from: string;
  to: string;
  imports: number;
  /** The importing stage comes before the imported one: an import back up the pipeline. */
  backward: boolean;
}

/** The stage arrows of a set of files (path → text); a file loose in src/ is its own node. */
export function stageArrows(files: ReadonlyMap<string, string>): Arrow[] {
  const rank = new Map<string, number>(STAGE_ORDER.map((s, i) => [s, i]));
  const node = (file: string) => stageOf(file) ?? file;
  const counts = new Map<string, number>();
  for (const [file, text] of files) {
    for (const specifier of importsOf(text)) {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (!target.startsWith('src/') || node(target) === node(file)) continue;
      const key = `${node(file)}\t${node(target)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts]
    .map(([key, imports]) => {
      const [from, to] = key.split('\t') as [string, string];
      const backward = !rank.has(from) || !rank.has(to) || rank.get(to)! > rank.get(from)!;
      return { from, to, imports, backward };
    })
    .sort((a, b) => (rank.get(a.from) ?? -1) - (rank.get(b.from) ?? -1) || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

function filesAt(rev: string): Map<string, string> {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const paths = git('ls-tree', '-r', '--name-only', rev, 'src').split('\n').filter((p) => /\.(ts|mts|mjs|js)$/.test(p));
  return new Map(paths.map((p) => [p, git('show', `${rev}:${p}`)]));
}

/** The report's text for one revision. */
export function importGraphReport(rev: string, largest = 15): string {
  const files = filesAt(rev);
  const arrows = stageArrows(files);
  const backward = arrows.filter((a) => a.backward);
  const lines = [...files].map(([file, text]) => ({ file, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) }));
  const total = lines.reduce((sum, f) => sum + f.lines, 0);
  return [
    `# ${rev}: ${files.size} files, ${total} lines in src/`,
    `stage arrows (file imports between stages; "BACK" = imports a later stage or a file in no stage): ${arrows.length}, ${backward.length} back`,
    ...arrows.map((a) => `  ${a.from} -> ${a.to}  ${a.imports}${a.backward ? '  BACK' : ''}`),
    `${largest} largest files (lines):`,
    ...lines
      .sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file))
      .slice(0, largest)
      .map((f) => `  ${String(f.lines).padStart(5)}  ${f.file}`),
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(importGraphReport(process.argv[2] ?? 'HEAD'));
}
