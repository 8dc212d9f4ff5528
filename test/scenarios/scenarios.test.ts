/**
 * Golden CLI scenarios: every *.scenario file under this folder (pending/ excepted) is run against
 * the real CLI and must exit and print exactly what it records. Format: scenario-file.ts.
 *
 *   npx vitest run test/scenarios                          check every scenario
 *   UPDATE_SCENARIOS=1 npx vitest run test/scenarios       rewrite stdout/stderr from the real run
 *   SCENARIOS_CHILD=1 npx vitest run test/scenarios        run each in a child process (slower)
 *
 * Update mode never changes a written ====status====: the exit code is the scenario's intent, so a
 * run that exits otherwise still fails. It fills the status only when the section is missing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, renderScenario } from './scenario-file.ts';
import { runScenario } from './run-scenario.ts';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const UPDATE = Boolean(process.env.UPDATE_SCENARIOS);
const CHILD = Boolean(process.env.SCENARIOS_CHILD);

const files = readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.scenario') && !f.startsWith('pending/'))
  .sort();

describe('golden CLI scenarios', () => {
  it('finds the scenarios, and the format reads back what update mode writes', () => {
    expect(files.length).toBeGreaterThan(0);
    const scenario = {
      test: 'two\nlines',
      files: [{ name: 'rules/a.yaml', text: 'id: a\n\nlist: [1]' }],
      command: "trailproof scan --format ''",
      status: 2,
      stdout: '',
      stderr: 'trailproof: no\n  indented',
    };
    expect(parseScenario(renderScenario(scenario), 'x')).toEqual(scenario);
    expect(() => parseScenario('====test====\nx\n====command====\ntrailproof\n====status====\ntwo\n', 'x')).toThrow('must be a number');
  });

  for (const file of files) {
    it(file, async () => {
      const path = join(ROOT, file);
      const scenario = parseScenario(readFileSync(path, 'utf8'), file);
      const outcome = await runScenario(scenario, { childProcess: CHILD });
      if (UPDATE) {
        writeFileSync(path, renderScenario({ ...scenario, status: scenario.status ?? outcome.status, stdout: outcome.stdout.trimEnd(), stderr: outcome.stderr.trimEnd() }));
        expect(outcome.status, `${file}: exit code`).toBe(scenario.status ?? outcome.status);
        return;
      }
      expect(scenario.status, `${file} has no ====status====; run with UPDATE_SCENARIOS=1`).toBeDefined();
      expect({ status: outcome.status, stdout: outcome.stdout.trimEnd(), stderr: outcome.stderr.trimEnd() }).toEqual({
        status: scenario.status,
        stdout: scenario.stdout ?? '',
        stderr: scenario.stderr ?? '',
      });
    });
  }
});
