import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderJsonReport } from '../../src/report/json.ts';
import { renderSarif, sarifFormatter } from '../../src/report/sarif.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { ReportsIncomplete, writeReports } from '../../src/report/write.ts';
import { UserError } from '../../src/shared/errors.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-write-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('creates the folder and writes each format under its file name, returning the byte counts', async () => {
    const out = join(dir, 'nested', 'reports');
    const result = sampleResult();
    const written = await writeReports(result, ['sarif', 'json'], out, { sarifIncludeSuppressed: true });
    expect(written.map((w) => [w.format, w.file])).toEqual([
      ['sarif', join(out, 'trailproof.sarif')],
      ['json', join(out, 'trailproof.json')],
    ]);
    const sarif = readFileSync(join(out, 'trailproof.sarif'), 'utf8');
    expect(sarif).toBe(renderSarif(result, { sarifIncludeSuppressed: true }));
    expect(readFileSync(join(out, 'trailproof.json'), 'utf8')).toBe(renderJsonReport(result));
    expect(written[0]!.bytes).toBe(Buffer.byteLength(sarif));
    expect(readdirSync(out).sort()).toEqual(['trailproof.json', 'trailproof.sarif']);
  });

  it('replaces a previous report and writes a repeated format once', async () => {
    writeFileSync(join(dir, 'trailproof.json'), 'old');
    const written = await writeReports(sampleResult(), ['json', 'json'], dir);
    expect(written).toHaveLength(1);
    expect(readFileSync(join(dir, 'trailproof.json'), 'utf8')).toBe(renderJsonReport(sampleResult()));
  });

  it('rejects an unknown format before writing anything', async () => {
    const err = await writeReports(sampleResult(), ['json', 'pdf'], join(dir, 'out')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/unknown format "pdf"/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports an output folder it cannot create as a UserError', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const err = await writeReports(sampleResult(), ['json'], join(dir, 'a-file', 'reports')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/a-file\/reports: cannot create output folder: ENOTDIR/);
  });

  it('reports a file it cannot put in place as a UserError naming it, leaving no temp file behind', async () => {
    // A non-empty directory where the report goes: the rename fails whatever the user's privileges.
    mkdirSync(join(dir, 'trailproof.json', 'inside'), { recursive: true });
    const err = await writeReports(sampleResult(), ['json'], dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`${join(dir, 'trailproof.json')}: cannot write report`);
    expect(readdirSync(dir)).toEqual(['trailproof.json']);
  });

  it('a format whose formatter throws loses no other format: they are written, and the error says what was', async () => {
    writeFileSync(join(dir, 'trailproof.sarif'), 'previous');
    const broken = vi.spyOn(sarifFormatter, 'renderChunks').mockImplementation(function* () {
      yield '{"partial": ';
      throw new Error('formatter bug');
    });
    try {
      const err = await writeReports(sampleResult(), ['json', 'sarif', 'md'], dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReportsIncomplete);
      expect(err).not.toBeInstanceOf(UserError); // a bug: the CLI exits 4
      expect((err as Error).message).toContain('format sarif failed: formatter bug');
      expect((err as Error).message).toContain(`${join(dir, 'trailproof.json')} (`);
      expect((err as ReportsIncomplete).written.map((w) => w.format)).toEqual(['json', 'md']);
    } finally {
      broken.mockRestore();
    }
    expect(readFileSync(join(dir, 'trailproof.json'), 'utf8')).toBe(renderJsonReport(sampleResult()));
    expect(readFileSync(join(dir, 'trailproof.md'), 'utf8')).toBe(renderMarkdown(sampleResult()));
    expect(readFileSync(join(dir, 'trailproof.sarif'), 'utf8')).toBe('previous'); // the failed format's old report is untouched
    expect(readdirSync(dir).sort()).toEqual(['trailproof.json', 'trailproof.md', 'trailproof.sarif']); // no temp file left
  });

  it('a format that cannot be written for the user\'s reasons is a UserError; the others are written', async () => {
    mkdirSync(join(dir, 'trailproof.sarif', 'inside'), { recursive: true });
    const err = await writeReports(sampleResult(), ['sarif', 'json'], dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(`format sarif failed: ${join(dir, 'trailproof.sarif')}: cannot write report`);
    expect(readFileSync(join(dir, 'trailproof.json'), 'utf8')).toBe(renderJsonReport(sampleResult()));
  });
});
