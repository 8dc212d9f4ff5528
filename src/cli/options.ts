import { Option } from 'commander';
import { SEVERITIES, type Severity } from '../contracts/verdict.ts';
import { listFormatters } from '../report/registry.ts';
import { isCalendarDate } from '../shared/dates.ts';
import { UserError } from '../shared/errors.ts';
import type { TrailproofConfig } from '../config/types.ts';

/** Options shared by every command that evaluates rules and writes reports. */
export interface ReportFlags {
  config?: string;
  rules?: string[];
  out?: string;
  format?: string[];
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
    formatsOption('comma-separated formats (default: config output.formats, "json,sarif")'),
    new Option('--fail-on <severity>', 'exit 1 when an unsuppressed FAIL is at least this severe').choices([...SEVERITIES]),
    asOfOption("judge exception expiry on this day (YYYY-MM-DD; default: the snapshot's collection day)"),
    new Option('--shard <K/N>', 'evaluate only the accounts of shard K of N (merge with `report merge`)'),
    new Option('--sarif-include-suppressed', 'keep suppressed results in SARIF, marked as suppressed'),
    new Option('-q, --quiet', 'print nothing but errors'),
    new Option('-v, --verbose', 'print every non-passing verdict'),
  ];
}

/*
 * Every flag value is checked when the command line is parsed, by one parser per kind of value,
 * so the same flag means and rejects the same thing in every command.
 */

/** `--as-of`: a calendar day. */
export function asOfOption(description: string): Option {
  return new Option('--as-of <date>', description).argParser((text) => {
    if (!isCalendarDate(text)) throw new UserError(`--as-of "${text}": expected a calendar date YYYY-MM-DD`);
    return text;
  });
}

/** `--format`: a non-empty comma-separated list of report formats, each one that exists. */
export function formatsOption(description: string): Option {
  return new Option('-f, --format <list>', description).argParser((text) => {
    const known = listFormatters().map((f) => f.name);
    const formats = text.split(',').map((f) => f.trim()).filter(Boolean);
    if (formats.length === 0) throw new UserError(`--format "${text}": expected a comma-separated list of formats (${known.join(', ')})`);
    const unknown = formats.find((f) => !known.includes(f));
    if (unknown) throw new UserError(`--format "${text}": unknown format "${unknown}"; expected one of: ${known.join(', ')}`);
    return formats;
  });
}

/** A flag that takes a whole number in [min, max]. */
export function wholeNumberParser(flag: string, min: number, max?: number): (text: string) => number {
  return (text) => {
    const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
      throw new UserError(`${flag} "${text}": expected a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}`);
    }
    return n;
  };
}

/** Flags override config.yaml. */
export function applyReportFlags(config: TrailproofConfig, flags: ReportFlags): TrailproofConfig {
  return {
    ...config,
    rules: { ...config.rules, paths: flags.rules ?? config.rules.paths },
    output: {
      ...config.output,
      dir: flags.out ?? config.output.dir,
      formats: flags.format ?? config.output.formats,
      failOn: (flags.failOn as Severity | undefined) ?? config.output.failOn,
      sarifIncludeSuppressed: flags.sarifIncludeSuppressed ?? config.output.sarifIncludeSuppressed,
    },
  };
}
