/**
 * The GitHub Actions example (examples/ci/github-actions.yml), checked offline: actions pinned to
 * commits, each job with only the permissions it needs, and the scheduled history and trend.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const FILE = new URL('../../examples/ci/github-actions.yml', import.meta.url);
type Json = Record<string, any>;
const workflow = (): Json => parse(readFileSync(FILE, 'utf8'));
const steps = (job: string): Json[] => workflow().jobs[job].steps;

describe('the GitHub Actions scheduled audit', () => {
  it('pins every action to a full commit SHA, with the release in a comment', () => {
    const lines = readFileSync(FILE, 'utf8').split('\n').filter((l) => /^\s*(- )?uses:/.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('grants the AWS token to the scan only, and the write to the repository to the history job only', () => {
    const { permissions, jobs, on } = workflow();
    expect(permissions).toEqual({});
    expect(jobs.scan.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
    expect(jobs.history.permissions).toEqual({ contents: 'write' });
    expect(on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
  });

  it('keeps the JSON reports on a history branch and runs `report trend` over it after every scheduled scan', () => {
    const { jobs } = workflow();
    expect(jobs.history.needs).toBe('scan');
    expect(jobs.history.if).toContain("github.event_name == 'schedule'");
    const scripts = steps('history').map((s) => String(s.run ?? '')).join('\n');
    expect(scripts).toContain('npx trailproof report trend "$dir" --out "trend/$name" --format md,json,svg,html');
    expect(scripts).toContain('git push origin "HEAD:refs/heads/$HISTORY_BRANCH"');
    const upload = steps('scan').find((s) => s.name === 'Upload reports and evidence')!;
    expect(upload.with.path).toContain('reports/trailproof.json');
    expect(upload.with.name).toBe('trailproof-${{ matrix.name }}');
  });
});
