/**
 * Reading, selecting and listing framework packs (src/rules/framework-packs.ts): each problem of
 * a pack file, the order packs come in, which rules a selection runs, and the `frameworks list` /
 * `frameworks show` text.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFrameworkPacks, renderPackControls, renderPackList, rulesOfPacks, selectFrameworkPacks, type FrameworkPack } from '../../src/rules/framework-packs.ts';
import { problemsThrownBy } from '../fixtures/rule-load-problems.ts';

/** A folder of pack files: name → text. */
function packDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trailproof-packs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const packText = (id: string, controls = '  - id: "1"\n    title: One\n    rules: [r1]\n') => `id: ${id}\ntitle: Pack ${id}\nversion: "1"\ncontrols:\n${controls}`;

const pack = (id: string, controls: FrameworkPack['controls'], extra: Partial<FrameworkPack> = {}): FrameworkPack => ({ id, title: `Pack ${id}`, version: 'v1', controls, source: `${id}.yaml`, ...extra });

describe('loadFrameworkPacks', () => {
  it('reads every .yaml file of a folder, sorted by id, naming each by its path', () => {
    const dir = packDir({ 'b-pack.yaml': packText('b-pack'), 'a-pack.yaml': packText('a-pack'), 'notes.md': 'not a pack', 'c.yml': 'id: [' });
    const packs = loadFrameworkPacks(dir);
    expect(packs.map((p) => [p.id, p.source])).toEqual([
      ['a-pack', join(dir, 'a-pack.yaml')],
      ['b-pack', join(dir, 'b-pack.yaml')],
    ]);
    expect(packs[0]!.controls).toEqual([{ id: '1', title: 'One', rules: ['r1'] }]);
  });

  it('names the built-in packs frameworks/<file>, sorted by id', () => {
    const packs = loadFrameworkPacks();
    expect(packs.map((p) => p.source)).toContain('frameworks/soc2.yaml');
    const ids = packs.map((p) => p.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toContain('aws-securityhub');
  });

  it('lists every problem of every file: a file name that is not the id, a control listed twice, invalid YAML', () => {
    const dir = packDir({
      'named.yaml': packText('other'),
      'twice.yaml': packText('twice', '  - id: "1"\n    title: One\n    rules: [r1]\n  - id: "2"\n    title: Two\n    manual: look\n  - id: "1"\n    title: Again\n    manual: look\n'),
      'broken.yaml': 'id: [\n',
    });
    const problems = problemsThrownBy(() => loadFrameworkPacks(dir));
    expect(problems).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'broken.yaml')}:2:1: invalid YAML: `)),
      `${join(dir, 'named.yaml')}:1:1: pack id "other" must match its file name (named.yaml)`,
      `${join(dir, 'twice.yaml')}:11:5: control "1" is listed twice`,
    ]);
  });

  it('sorts packs by id, not by file name (`a-b.yaml` comes before `a.yaml`)', () => {
    const dir = packDir({ 'a-b.yaml': packText('a-b'), 'a.yaml': packText('a') });
    expect(loadFrameworkPacks(dir).map((p) => p.id)).toEqual(['a', 'a-b']);
  });

  it('lists each problem of one file, at its own line, and the files in name order', () => {
    const twoProblems = 'title: Two problems\nid: wrong\nversion: "1"\ncontrols:\n  - title: First\n    id: "1"\n    manual: look\n  - title: Again\n    id: "1"\n    manual: look\n';
    const broken = Object.fromEntries('hgfedcba'.split('').map((c) => [`${c}.yaml`, 'id: [\n']));
    const dir = packDir({ 'two.yaml': twoProblems, ...broken });
    const problems = problemsThrownBy(() => loadFrameworkPacks(dir));
    expect(problems.slice(0, 8).map((p) => p.slice(dir.length + 1, dir.length + 7))).toEqual(['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml', 'f.yaml', 'g.yaml', 'h.yaml']);
    expect(problems.slice(8)).toEqual([
      `${join(dir, 'two.yaml')}:2:1: pack id "wrong" must match its file name (two.yaml)`,
      `${join(dir, 'two.yaml')}:9:5: control "1" is listed twice`,
    ]);
  });

  it('reports an unreadable pack file (a folder named .yaml) as one problem', () => {
    const dir = packDir({ 'ok.yaml': packText('ok') });
    const bad = join(dir, 'dir.yaml');
    mkdirSync(bad);
    expect(problemsThrownBy(() => loadFrameworkPacks(dir))).toEqual([`${bad}: cannot read: EISDIR`]);
  });
});

describe('selectFrameworkPacks', () => {
  const packs = [pack('alpha', []), pack('beta', [])];

  it('gives the packs named, in the order given, each once', () => {
    expect(selectFrameworkPacks(['beta', 'alpha', 'beta'], packs).map((p) => p.id)).toEqual(['beta', 'alpha']);
    expect(selectFrameworkPacks([], packs)).toEqual([]);
  });

  it('refuses each unknown id, with a close one when there is one, and the known ones', () => {
    expect(problemsThrownBy(() => selectFrameworkPacks(['alpa', 'zzzzzz', 'beta'], packs))).toEqual([
      '--framework "alpa": no such framework pack (did you mean "alpha"?); known: alpha, beta',
      '--framework "zzzzzz": no such framework pack; known: alpha, beta',
    ]);
  });
});

describe('rulesOfPacks', () => {
  const rule = (id: string, frameworks: Record<string, string[]> = {}) => ({ meta: { id, frameworks } });

  it('takes the rules a selected pack names and those whose own mapping names a selected pack, in load order', () => {
    const packs = [pack('alpha', [{ id: 'A1', title: 'a', rules: ['named'] }, { id: 'A2', title: 'manual', manual: 'look' }])];
    const rules = [rule('mapped', { alpha: ['A2'] }), rule('other', { beta: ['B1'] }), rule('named'), rule('unrelated')];
    expect(rulesOfPacks(packs, rules).map((r) => r.meta.id)).toEqual(['mapped', 'named']);
    expect(rulesOfPacks([], rules)).toEqual([]);
  });
});

describe('renderPackList and renderPackControls', () => {
  const packs = [
    pack('a-very-long-id', [
      { id: 'C1', title: 'One', rules: ['r2', 'r1'] },
      { id: 'C2', title: 'Two', rules: ['r1'] },
      { id: 'C3', title: 'Three', manual: 'look at it' },
    ]),
    pack('x', [], { title: 'Ex', version: '2' }),
  ];

  it('lists the packs as a table, widened to the longest id', () => {
    expect(renderPackList(packs, 'text')).toBe(
      ['ID              CONTROLS  MANUAL  FRAMEWORK', 'a-very-long-id         3       1  Pack a-very-long-id v1', 'x                      0       0  Ex 2', ''].join('\n'),
    );
    expect(renderPackList([pack('x', [])], 'text')).toBe(['ID  CONTROLS  MANUAL  FRAMEWORK', 'x          0       0  Pack x v1', ''].join('\n'));
  });

  it('lists the packs as JSON: counts and the sorted rules they name', () => {
    expect(JSON.parse(renderPackList(packs, 'json'))).toEqual([
      { id: 'a-very-long-id', title: 'Pack a-very-long-id', version: 'v1', controls: 3, manual: 1, rules: ['r1', 'r2'] },
      { id: 'x', title: 'Ex', version: '2', controls: 0, manual: 0, rules: [] },
    ]);
    expect(renderPackList(packs, 'json').endsWith('}\n]\n')).toBe(true);
  });

  it("shows a pack's controls with their rules or manual check, and its scope when it has one", () => {
    expect(renderPackControls(packs[0]!)).toBe(
      ['Pack a-very-long-id v1 (a-very-long-id)', '', 'C1  One', '    rules: r2, r1', 'C2  Two', '    rules: r1', 'C3  Three', '    manual: look at it', ''].join('\n'),
    );
    expect(renderPackControls(pack('s', [], { scope: 'Only logging.' }))).toBe(['Pack s v1 (s)', 'Only logging.', '', ''].join('\n'));
  });
});
