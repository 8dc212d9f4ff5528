/**
 * One scale measurement through the CLI, alone in its process so its peak RSS is its own:
 * `trailproof evaluate SNAPSHOT --format FORMATS --out OUT_DIR -q` run by the compiled CLI's
 * main() (dist/, which `npm run bench` builds; the sources when dist/ is absent).
 * Usage: node --import tsx test/bench/cli-child.ts SNAPSHOT OUT_DIR FORMATS [CLI_ARGS...]
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report, startMeasure } from './measure.ts';

const [file, outDir, formats, ...cliArgs] = process.argv.slice(2);
if (!file || !outDir || !formats) throw new Error('usage: cli-child.ts SNAPSHOT OUT_DIR FORMATS');
const compiled = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const { main } = (await import(existsSync(compiled) ? compiled : '../../src/cli/main.ts')) as { main: (argv: string[]) => Promise<number> };
const done = startMeasure();
const exitCode = await main(['evaluate', file, '--format', formats, '--out', outDir, '-q', ...cliArgs]);
const measured = done();
const files = existsSync(outDir) ? readdirSync(outDir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()) : [];
const reportBytes = files.reduce((n, d) => n + statSync(join(d.parentPath, d.name)).size, 0);
report({ ...measured, exitCode, compiled: existsSync(compiled), reportFiles: files.length, reportBytes });
