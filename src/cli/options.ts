import { Option } from 'commander';
import { SEVERITIES, type Severity } from '../contracts/verdict.ts';
import { UserError } from '../shared/errors.ts';
import type { TrailproofConfig } from '../config/types.ts';

/** Options shared by every command that evaluates rules and writes reports. */
export interface ReportFlags {
  config?: string;
  rules?: string[];
  out?: string;
  format?: string;
  failOn?: string;
  asOf?: string;
  shard?: string;
  quiet?: boolean;
  verbose?: boolean;
  sarifIncludeSuppressed?: boolean;
}

export function reportOptions(): Option[] {
  return [
    new Option('-c, --config <file>', 'config file (default: ./config.yaml when present)'),
    new Option('-r, --rules <path...>', 'rule files or folders instead of config rules.paths ("builtin" = the bundled pack)'),
    new Option('-o, --out <dir>', 'report folder (default: config output.dir, "reports")'),
    new Option('-f, --format <list>', 'comma-separated formats (default: config output.formats, "json,sarif")'),
    new Option('--fail-on <severity>', 'exit 1 when an unsuppressed FAIL is at least this severe').choices([...SEVERITIES]),
    new Option('--as-of <date>', 'judge exception expiry on this day (YYYY-MM-DD; default: the snapshot\'s collection day)'),
    new Option('--shard <K/N>', 'evaluate only the accounts of shard K of N (merge with `report merge`)'),
    new Option('--sarif-include-suppressed', 'keep suppressed results in SARIF, marked as suppressed'),
    new Option('-q, --quiet', 'print nothing but errors'),
    new Option('-v, --verbose', 'print every non-passing verdict'),
  ];
}

/** Flags override config.yaml. */
export function applyReportFlags(config: TrailproofConfig, flags: ReportFlags): TrailproofConfig {
  const formats = flags.format?.split(',').map((f) => f.trim()).filter(Boolean);
  if (flags.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.asOf)) throw new UserError(`--as-of "${flags.asOf}": expected YYYY-MM-DD`);
  return {
    ...config,
    rules: { ...config.rules, paths: flags.rules ?? config.rules.paths },
    output: {
      ...config.output,
      dir: flags.out ?? config.output.dir,
      formats: formats ?? config.output.formats,
      failOn: (flags.failOn as Severity | undefined) ?? config.output.failOn,
      sarifIncludeSuppressed: flags.sarifIncludeSuppressed ?? config.output.sarifIncludeSuppressed,
    },
  };
}
