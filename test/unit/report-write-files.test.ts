import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { htmlFormatter } from '../../src/report/html.ts';
import type { ReportFile } from '../../src/report/types.ts';
import { writeReports } from '../../src/report/write.ts';
import { sampleResult } from '../fixtures/results/sample-result.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailproof-files-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under a folder, relative, "/"-separated. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}

describe('writeReports with a multi-file format (renderFiles)', () => {
  it('writes every file of the format under the output folder, sub-folders included, and reports each', async () => {
    const files: ReportFile[] = [
      { path: 'trailproof.html', chunks: ['<p>entry', '</p>'] },
      { path: 'trailproof-html/page-001.html', chunks: ['<p>é page</p>'] },
    ];
    vi.spyOn(htmlFormatter, 'renderFiles').mockReturnValue(files);
    const out = join(dir, 'reports');
    const written = await writeReports(sampleResult(), ['json', 'html'], out);
    expect(written.map((w) => [w.format, w.file, w.bytes])).toEqual([
      ['json', join(out, 'trailproof.json'), expect.any(Number)],
      ['html', join(out, 'trailproof.html'), Buffer.byteLength('<p>entry</p>')],
      ['html', join(out, 'trailproof-html', 'page-001.html'), Buffer.byteLength('<p>é page</p>')],
    ]);
    expect(readFileSync(join(out, 'trailproof-html', 'page-001.html'), 'utf8')).toBe('<p>é page</p>');
    expect(filesUnder(out)).toEqual(['trailproof-html/page-001.html', 'trailproof.html', 'trailproof.json']);
  });

  it.each(['../x.html', '/tmp/x.html', 'sub/../../x.html', '.'])('refuses the path %s (outside the output folder): no file of that format is put in place, the other formats are', async (path) => {
    vi.spyOn(htmlFormatter, 'renderFiles').mockReturnValue([
      { path: 'trailproof.html', chunks: ['entry'] },
      { path, chunks: ['escaped'] },
    ]);
    const out = join(dir, 'reports');
    const err = await writeReports(sampleResult(), ['json', 'html'], out).catch((e: unknown) => e);
    expect((err as Error).message).toContain(`format html: report file path "${path}" is outside the output folder`);
    // Formats are written independently: JSON is in place, no HTML page is, and no temporary file is left behind.
    expect(filesUnder(out)).toEqual(['trailproof.json']);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });
});
