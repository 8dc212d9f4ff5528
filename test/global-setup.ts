import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder a test (or a CLI it spawns) makes goes under one folder per run, removed
 * at the end, so test runs leave nothing behind in the machine's temp directory.
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'trailproof-tests-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
