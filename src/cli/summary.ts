import type { ScanResult } from '../contracts/result.ts';

const EXIT_MEANING: Record<number, string> = {
  0: 'no unsuppressed failure at or above the threshold',
  1: 'failures at or above the threshold',
  3: 'no gating failure, but the evidence is incomplete (ERROR verdicts or collection errors)',
};

/** The human summary on stdout after a scan. */
export function printSummary(
  result: ScanResult,
  written: { format: string; file: string; bytes: number }[],
  options: { seconds: number; verbose: boolean },
): void {
  const c = result.summary.counts;
  const out: string[] = [];
  out.push(
    `trailproof ${result.tool.version}: ${result.scope.accountIds.length} accounts, ${result.rules.length} rules, ${result.verdicts.length} verdicts in ${options.seconds.toFixed(2)} s`,
  );
  out.push(`  PASS ${c.PASS}  FAIL ${c.FAIL} (${c.suppressed} suppressed)  ERROR ${c.ERROR}  NOT_APPLICABLE ${c.NOT_APPLICABLE}  collection errors ${result.errors.length}`);
  if (options.verbose) {
    for (const v of result.verdicts) {
      if (v.status === 'PASS' || v.status === 'NOT_APPLICABLE') continue;
      const mark = v.suppressed ? ' (suppressed)' : '';
      out.push(`  ${v.status.padEnd(5)} ${v.severity.padEnd(8)} ${v.ruleId}  ${v.resource.name ?? v.resource.id}${mark}: ${v.message}`);
    }
  }
  for (const n of result.exceptionNotes) out.push(`  exception ${n.exceptionId} (${n.rule} ${n.resource}) is ${n.kind}${n.kind === 'expired' ? ` since ${n.expires}` : ''}`);
  for (const w of written) out.push(`  wrote ${w.file} (${w.bytes} bytes)`);
  out.push(`exit ${result.summary.exitCode}: ${EXIT_MEANING[result.summary.exitCode] ?? ''} (fail-on ${result.failOn}, ${result.summary.gatingFailures} gating)`);
  process.stdout.write(`${out.join('\n')}\n`);
}
