/**
 * The pipeline's shape, kept by a test (DESIGN.md "The pipeline"): every source file sits in a stage
 * folder, a stage imports only the stages before it, and no modules import each other in a circle.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importsOf, stageArrows, stageOf, STAGE_ORDER } from '../../scripts/import-graph.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

// The stages and their order (STAGE_ORDER, with why each sits where it does): scripts/import-graph.ts.

interface Violation {
  file: string;
  specifier: string;
  problem: string;
}

/**
 * Everything wrong with the imports of `files` (repository-relative path → source text, paths
 * under src/ with forward slashes), each naming the file and the import.
 */
export function checkImports(files: ReadonlyMap<string, string>): Violation[] {
  const rank = new Map<string, number>(STAGE_ORDER.map((s, i) => [s, i]));
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, text] of files) {
    const from = stageOf(file);
    const placed = from !== undefined && rank.has(from);
    if (!placed) violations.push({ file, specifier: '', problem: `is not in a stage folder (src/${STAGE_ORDER.join('/, src/')}/)` });
    const targets: string[] = [];
    for (const specifier of importsOf(text)) {
      const target = posix.normalize(posix.join(posix.dirname(file), specifier));
      if (!target.startsWith('src/')) {
        // Data beside the code (schemas/*.json) may be read from anywhere; code may not.
        if (/\.(ts|mts|mjs|js)$/.test(target)) violations.push({ file, specifier, problem: `leaves src/ (${target})` });
        continue;
      }
      targets.push(target);
      const to = stageOf(target);
      if (!placed || to === from) continue;
      if (to === undefined || !rank.has(to)) {
        violations.push({ file, specifier, problem: `imports ${target}, which is in no stage folder` });
      } else if (rank.get(to)! > rank.get(from)!) {
        const allowed = STAGE_ORDER.slice(0, rank.get(from)!).join(', ');
        violations.push({ file, specifier, problem: `${from}/ imports the later stage ${to}/ (it may import only ${allowed})` });
      }
    }
    graph.set(file, targets);
  }
  for (const cycle of cycles(graph)) {
    violations.push({ file: cycle[0]!, specifier: '', problem: `is in an import cycle: ${[...cycle, cycle[0]].join(' → ')}` });
  }
  return violations;
}

/** The import cycles of a module graph (strongly connected components of more than one module, or a self-import). */
function cycles(graph: ReadonlyMap<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)!.includes(node)) found.push(importPath(graph, new Set(component)));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** One circle through a strongly connected component, starting at its first module by name, following the imports. */
function importPath(graph: ReadonlyMap<string, string[]>, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (to === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return path;
      }
      if (component.has(to) && !previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [start];
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) files.set(relative(REPO, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(REPO, 'src'));
  return files;
}

const show = (violations: Violation[]) => violations.map((v) => `${v.file}${v.specifier ? ` imports '${v.specifier}'` : ''}: ${v.problem}`).join('\n');

describe('the stages of src/', () => {
  it('import only the contracts and the stages before them, with no cycles', () => {
    const files = sourceFiles();
    expect(files.size).toBeGreaterThan(50);
    expect(show(checkImports(files))).toBe('');
  });

  it('are each a folder that exists, so the order above names the real stages', () => {
    const folders = readdirSync(join(REPO, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect([...folders].sort()).toEqual([...STAGE_ORDER].sort());
  });
});

describe('stageArrows (scripts/import-graph.ts, for the before/after picture)', () => {
  it('counts the file imports between stages and marks those going back up the pipeline or to a loose file', () => {
    const files = new Map(
      Object.entries({
        'src/cli/main.ts': "import { a } from '../rules/a.ts';\nimport { b } from '../rules/b.ts';\nimport { p } from '../pipeline.ts';\n",
        'src/rules/a.ts': "import { b } from './b.ts';\nimport type { C } from '../report/c.ts';\n",
        'src/rules/b.ts': "import x from '../../schemas/x.json';\n",
        'src/pipeline.ts': "import { a } from './rules/a.ts';\n",
      }),
    );
    expect(stageArrows(files)).toEqual([
      { from: 'src/pipeline.ts', to: 'rules', imports: 1, backward: true },
      { from: 'rules', to: 'report', imports: 1, backward: true },
      { from: 'cli', to: 'rules', imports: 2, backward: false },
      { from: 'cli', to: 'src/pipeline.ts', imports: 1, backward: true },
    ]);
  });
});

describe('checkImports', () => {
  const check = (files: Record<string, string>) => show(checkImports(new Map(Object.entries(files))));

  it('names the file and the import that reaches a later stage', () => {
    expect(check({ 'src/evaluate/parallel.ts': "import { mergeShardResults } from '../report/merge.ts';\n", 'src/report/merge.ts': '' })).toBe(
      "src/evaluate/parallel.ts imports '../report/merge.ts': evaluate/ imports the later stage report/ (it may import only contracts, shared, snapshot, config, collect, model, rules)",
    );
  });

  it('allows earlier stages, the ground floor and the own folder', () => {
    expect(
      check({
        'src/evaluate/pipeline.ts': "import type { Verdict } from '../contracts/verdict.ts';\nimport { x } from '../model/index.ts';\nimport { y } from './gate.ts';\n",
        'src/contracts/verdict.ts': '',
        'src/model/index.ts': '',
        'src/evaluate/gate.ts': '',
      }),
    ).toBe('');
  });

  it('sees type-only imports, re-exports and dynamic imports', () => {
    const out = check({
      'src/config/types.ts': "import type { Severity } from '../rules/types.ts';\n",
      'src/model/index.ts': "export { thing } from '../report/x.ts';\n",
      'src/collect/live.ts': "const m = await import('../evaluate/pipeline.ts');\n",
    });
    expect(out).toContain("src/config/types.ts imports '../rules/types.ts': config/ imports the later stage rules/");
    expect(out).toContain("src/model/index.ts imports '../report/x.ts': model/ imports the later stage report/");
    expect(out).toContain("src/collect/live.ts imports '../evaluate/pipeline.ts': collect/ imports the later stage evaluate/");
  });

  it('finds a cycle inside one stage and names its modules', () => {
    const out = check({
      'src/evaluate/pipeline.ts': "import { threadsFor } from './parallel.ts';\n",
      'src/evaluate/parallel.ts': "import type { EvaluateOptions } from './pipeline.ts';\n",
    });
    expect(out).toBe('src/evaluate/parallel.ts: is in an import cycle: src/evaluate/parallel.ts → src/evaluate/pipeline.ts → src/evaluate/parallel.ts');
  });

  it('shows a cycle of three modules in the order they import each other', () => {
    const out = check({
      'src/model/a.ts': "import { c } from './c.ts';\n",
      'src/model/b.ts': "import { a } from './a.ts';\n",
      'src/model/c.ts': "import { b } from './b.ts';\nimport x from '../../schemas/x.json';\n",
    });
    expect(out).toBe('src/model/a.ts: is in an import cycle: src/model/a.ts → src/model/c.ts → src/model/b.ts → src/model/a.ts');
  });

  it('refuses a loose file in src/ and an import that leaves src/', () => {
    const out = check({ 'src/pipeline.ts': '', 'src/cli/main.ts': "import x from '../../test/helper.ts';\n" });
    expect(out).toContain('src/pipeline.ts: is not in a stage folder');
    expect(out).toContain("src/cli/main.ts imports '../../test/helper.ts': leaves src/ (test/helper.ts)");
    expect(check({ 'src/cli/main.ts': "import { evaluateSnapshot } from '../pipeline.ts';\n" })).toBe(
      "src/cli/main.ts imports '../pipeline.ts': imports src/pipeline.ts, which is in no stage folder",
    );
  });
});
