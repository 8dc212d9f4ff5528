/**
 * Framework packs: one YAML file per framework version in frameworks/ (beside rules/, not inside
 * it: the rule loader searches rules/ recursively and would take a pack for a rule). A pack lists
 * the framework's controls about audit logging and, for each, the rules that satisfy it or what an
 * auditor checks by hand. Validated by schemas/framework-pack.schema.json; problems are reported
 * as "file:line:col: message".
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledSchemaValidator } from '../shared/bundled-schemas.ts';
import { closest } from '../shared/closest.ts';
import { UserError, UserErrors } from '../shared/errors.ts';
import { assertValid, readYamlFile, type YamlSource } from '../shared/yaml-source.ts';
import { at } from './load/parse.ts';

export const BUILTIN_FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks/', import.meta.url));

export interface FrameworkControl {
  id: string;
  title: string;
  /** Rules that together satisfy the control; absent for a manual control. */
  rules?: string[];
  /** What an auditor checks by hand when no rule decides the control. */
  manual?: string;
}

export interface FrameworkPack {
  /** The --framework id, equal to the key rules use in `frameworks:`. */
  id: string;
  title: string;
  version: string;
  publisher?: string;
  url?: string;
  scope?: string;
  controls: FrameworkControl[];
  /** Where the pack was read from, for messages. */
  source: string;
}

/** Every pack in `dir`, sorted by id; throws one UserErrors listing every problem of every file. */
export function loadFrameworkPacks(dir: string = BUILTIN_FRAMEWORKS_DIR): FrameworkPack[] {
  const problems: string[] = [];
  const packs: FrameworkPack[] = [];
  const files = readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort();
  for (const name of files) {
    const shown = dir === BUILTIN_FRAMEWORKS_DIR ? `frameworks/${name}` : join(dir, name);
    try {
      packs.push(readPack(join(dir, name), shown));
    } catch (err) {
      if (err instanceof UserErrors) problems.push(...err.problems);
      else if (err instanceof UserError) problems.push(err.message);
      else throw err;
    }
  }
  if (problems.length > 0) throw new UserErrors(problems);
  return packs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The packs `--framework` names, in the order given (each once); an unknown id lists the known ones. */
export function selectFrameworkPacks(ids: readonly string[], packs: readonly FrameworkPack[] = loadFrameworkPacks()): FrameworkPack[] {
  const byId = new Map(packs.map((p) => [p.id, p]));
  const known = [...byId.keys()];
  const unknown = ids.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new UserErrors(
      unknown.map((id) => {
        const near = closest(id, known);
        return `--framework "${id}": no such framework pack${near ? ` (did you mean "${near}"?)` : ''}; known: ${known.join(', ')}`;
      }),
    );
  }
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

function readPack(path: string, shown: string): FrameworkPack {
  const read = readYamlFile(path);
  const source: YamlSource = { ...read, file: shown };
  const pack = assertValid<Omit<FrameworkPack, 'source'>>(source, bundledSchemaValidator('framework-pack'), 'framework pack');
  const problems: string[] = [];
  const expected = basename(shown, '.yaml');
  if (pack.id !== expected) problems.push(at(source, ['id'], `pack id "${pack.id}" must match its file name (${expected}.yaml)`));
  const seen = new Set<string>();
  pack.controls.forEach((control, i) => {
    if (seen.has(control.id)) problems.push(at(source, ['controls', i, 'id'], `control "${control.id}" is listed twice`));
    seen.add(control.id);
  });
  if (problems.length > 0) throw new UserErrors(problems);
  return { ...pack, source: shown };
}

/**
 * The rules `--framework` runs: those a selected pack names, and any loaded rule whose own
 * `frameworks:` mapping names a selected pack. Rules the packs name but that are not loaded (not
 * on rules.paths, or disabled) leave their controls "not assessed (no verdicts)".
 */
export function rulesOfPacks<R extends { meta: { id: string; frameworks: Record<string, string[]> } }>(packs: readonly FrameworkPack[], rules: readonly R[]): R[] {
  const named = new Set(packs.flatMap((p) => p.controls.flatMap((c) => c.rules ?? [])));
  const ids = new Set(packs.map((p) => p.id));
  return rules.filter((r) => named.has(r.meta.id) || Object.keys(r.meta.frameworks).some((key) => ids.has(key)));
}

/** `trailproof frameworks list`: one line per pack, or JSON. */
export function renderPackList(packs: readonly FrameworkPack[], format: 'text' | 'json'): string {
  const rows = packs.map((p) => ({
    id: p.id,
    title: p.title,
    version: p.version,
    controls: p.controls.length,
    manual: p.controls.filter((c) => !c.rules).length,
    rules: [...new Set(p.controls.flatMap((c) => c.rules ?? []))].sort(),
  }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const width = Math.max(2, ...rows.map((r) => r.id.length));
  const lines = rows.map((r) => `${r.id.padEnd(width)}  ${String(r.controls).padStart(8)}  ${String(r.manual).padStart(6)}  ${r.title} ${r.version}`);
  return `${[`${'ID'.padEnd(width)}  CONTROLS  MANUAL  FRAMEWORK`, ...lines].join('\n')}\n`;
}

/** `trailproof frameworks show <id>`: the pack's controls, each with its rules or its manual check. */
export function renderPackControls(pack: FrameworkPack): string {
  const lines = [`${pack.title} ${pack.version} (${pack.id})`, ...(pack.scope ? [pack.scope] : []), ''];
  for (const c of pack.controls) {
    lines.push(`${c.id}  ${c.title}`);
    lines.push(c.rules ? `    rules: ${c.rules.join(', ')}` : `    manual: ${c.manual}`);
  }
  return `${lines.join('\n')}\n`;
}
