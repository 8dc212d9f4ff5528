import { Option, type Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../../config/load.ts';
import { diffReports, renderDiffMarkdown, renderDiffText } from '../../report/diff.ts';
import { readJsonReport } from '../../report/json.ts';
import { mergeShardReports } from '../../evaluate/merge.ts';
import { writeReports } from '../../report/write.ts';
import { buildTrend, renderTrend, TREND_FILE_STEM, TREND_FORMATS, type TrendFormat } from '../../report/trend/index.ts';
import type { ScanResult } from '../../contracts/result.ts';
import { UserError } from '../../shared/errors.ts';
import type { SetExit } from '../register.ts';
import { printSummary } from '../summary.ts';
import { formatsOption, wholeNumberParser } from '../options.ts';

interface OutputFlags {
  config?: string;
  out?: string;
  format?: string[];
  sarifIncludeSuppressed?: boolean;
  quiet?: boolean;
  workers?: number;
}

function outputOptions(): Option[] {
  return [
    new Option('-c, --config <file>', 'config file (default: ./config.yaml when present): output folder and formats'),
    new Option('-o, --out <dir>', 'report folder (default: config output.dir, "reports")'),
    formatsOption('comma-separated formats (default: config output.formats, "json,sarif")'),
    new Option('--sarif-include-suppressed', 'keep suppressed results in SARIF, marked as suppressed'),
    new Option('-q, --quiet', 'print nothing but errors'),
    new Option('--workers <n>', 'threads that write the report formats when the verdicts are spooled to disk (more than 50,000) or several costly formats are asked for (default: one per core; 1 is the memory-lean choice)').argParser(
      wholeNumberParser('--workers', 1),
    ),
  ];
}

async function writeFrom(result: ScanResult, flags: OutputFlags) {
  const config = loadConfig(flags.config);
  return writeReports(
    result,
    flags.format ?? config.output.formats,
    flags.out ?? config.output.dir,
    { sarifIncludeSuppressed: flags.sarifIncludeSuppressed ?? config.output.sarifIncludeSuppressed },
    flags.workers ? { threads: flags.workers } : {},
  );
}

function writeText(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (err) {
    throw new UserError(`${file}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function trendFormats(text: string): TrendFormat[] {
  const formats = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = formats.find((f) => !(TREND_FORMATS as readonly string[]).includes(f));
  if (formats.length === 0 || unknown !== undefined) throw new UserError(`--format "${text}": expected a comma-separated list of ${TREND_FORMATS.join(', ')}`);
  return formats as TrendFormat[];
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
      if (flags.out) writeText(flags.out, text);
      else process.stdout.write(text);
      setExit(diff.new.length > 0 ? 1 : 0);
    });

  report
    .command('trend')
    .description('reports over time: pass rate per rule, control and OU, first-seen and fixed dates of each failure, days each control was out of compliance (ordered by snapshot time)')
    .argument('<reports...>', 'trailproof.json files, or folders searched recursively for them')
    .addOption(new Option('--format <list>', `comma-separated: ${TREND_FORMATS.join(', ')} (default: md on stdout; with --out, all of them)`).argParser(trendFormats))
    .option('-o, --out <dir>', `write ${TREND_FILE_STEM}.<format> files into this folder`)
    .option('-q, --quiet', 'with --out: print nothing but errors')
    .action((inputs: string[], flags: { format?: TrendFormat[]; out?: string; quiet?: boolean }) => {
      const trend = buildTrend(inputs);
      if (!flags.out) {
        const formats = flags.format ?? ['md'];
        if (formats.length > 1) throw new UserError(`--format ${formats.join(',')}: several formats need --out <dir>`);
        process.stdout.write(renderTrend(trend, formats[0]!));
      } else {
        for (const format of flags.format ?? TREND_FORMATS) {
          const file = join(flags.out, `${TREND_FILE_STEM}.${format}`);
          const text = renderTrend(trend, format);
          writeText(file, text);
          if (!flags.quiet) process.stdout.write(`wrote ${file} (${Buffer.byteLength(text)} bytes)\n`);
        }
      }
      setExit(0);
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
