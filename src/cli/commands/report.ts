import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.ts';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../../report/diff.ts';
import { readJsonReport } from '../../report/json.ts';
import { mergeShardReports } from '../../evaluate/merge.ts';
import { writeReports } from '../../report/write.ts';
import type { ScanResult } from '../../contracts/result.ts';
import { UserError } from '../../shared/errors.ts';
import type { SetExit } from '../register.ts';
import { printSummary } from '../summary.ts';
import { formatsOption } from '../options.ts';

interface OutputFlags {
  config?: string;
  out?: string;
  format?: string[];
  sarifIncludeSuppressed?: boolean;
  quiet?: boolean;
}

function outputOptions(): Option[] {
  return [
    new Option('-c, --config <file>', 'config file (default: ./config.yaml when present): output folder and formats'),
    new Option('-o, --out <dir>', 'report folder (default: config output.dir, "reports")'),
    formatsOption('comma-separated formats (default: config output.formats, "json,sarif")'),
    new Option('--sarif-include-suppressed', 'keep suppressed results in SARIF, marked as suppressed'),
    new Option('-q, --quiet', 'print nothing but errors'),
  ];
}

async function writeFrom(result: ScanResult, flags: OutputFlags) {
  const config = loadConfig(flags.config);
  return writeReports(result, flags.format ?? config.output.formats, flags.out ?? config.output.dir, {
    sarifIncludeSuppressed: flags.sarifIncludeSuppressed ?? config.output.sarifIncludeSuppressed,
  });
}

export function register(program: Command, setExit: SetExit): void {
  const report = program.command('report').description('re-render, compare and merge JSON reports (no AWS access, no snapshot needed)');

  const render = report
    .command('render')
    .description('write other formats from a JSON report (trailproof.json), exactly as the scan would have')
    .argument('<report>', 'a trailproof.json');
  for (const o of outputOptions()) render.addOption(o);
  render.action(async (file: string, flags: OutputFlags) => {
    const written = await writeFrom(readJsonReport(file), flags);
    if (!flags.quiet) for (const w of written) process.stdout.write(`wrote ${w.file} (${w.bytes} bytes)\n`);
    setExit(0);
  });

  report
    .command('diff')
    .description('new, fixed and unchanged failures between two JSON reports; exit 1 when there are new failures')
    .argument('<old>', 'the earlier trailproof.json')
    .argument('<new>', 'the later trailproof.json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('-o, --out <file>', 'write the diff to a file instead of stdout')
    .action((oldFile: string, newFile: string, flags: { format: 'text' | 'markdown' | 'json'; out?: string }) => {
      const diff = diffReports(readJsonReport(oldFile), readJsonReport(newFile));
      const text = flags.format === 'markdown' ? renderDiffMarkdown(diff) : flags.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderDiffText(diff);
      if (flags.out) {
        try {
          writeFileSync(flags.out, text);
        } catch (err) {
          throw new UserError(`${flags.out}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        }
      } else process.stdout.write(text);
      setExit(diff.new.length > 0 ? 1 : 0);
    });

  const merge = report
    .command('merge')
    .description('merge the JSON reports of `scan --shard K/N` (every K of one N) into the report of an unsharded scan; the exit code is its gate')
    .argument('<shards...>', 'one trailproof.json per shard');
  for (const o of outputOptions()) merge.addOption(o);
  merge.action(async (files: string[], flags: OutputFlags) => {
    const started = process.hrtime.bigint();
    const merged = mergeShardReports(files.map((file) => ({ file, result: readJsonReport(file) })));
    const written = await writeFrom(merged, flags);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!flags.quiet) printSummary(merged, written, { seconds, verbose: false });
    setExit(merged.summary.exitCode);
  });
}
