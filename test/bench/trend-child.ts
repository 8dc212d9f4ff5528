/**
 * Bench child for `report trend`.
 *   node --import tsx test/bench/trend-child.ts generate BASE_REPORT DAYS OUT_DIR
 *     writes DAYS daily reports derived from BASE_REPORT (a trailproof.json of the generated
 *     organization): each day's collection time, and ~2 % of verdicts flipped PASS↔FAIL by a
 *     deterministic pattern, so failures open and close over the period.
 *   node --import tsx test/bench/trend-child.ts measure DIR OUT_DIR
 *     what `trailproof report trend DIR --out OUT_DIR` does, minus argument parsing; prints RESULT {json}.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrend, renderTrend, TREND_FORMATS } from '../../src/report/trend/index.ts';
import { report, startMeasure } from './measure.ts';

const [mode, a, b, c] = process.argv.slice(2);

if (mode === 'generate') {
  const base = readFileSync(a!, 'utf8');
  const days = Number(b);
  const out = c!;
  mkdirSync(out, { recursive: true });
  const start = base.indexOf('\n  "verdicts": [\n');
  const end = base.indexOf('\n  ],\n  "errors": ', start);
  const head = base.slice(0, start);
  const tail = base.slice(end);
  const blocks = base.slice(start + '\n  "verdicts": [\n'.length - 1, end).split(/(?<=\n {4}\}),(?=\n {4}\{)/);
  const collectedAt = /"collectedAt": "([^"]+)"/.exec(head)![1]!;
  const t0 = Date.parse(collectedAt);
  let bytes = 0;
  for (let d = 0; d < days; d++) {
    const at = new Date(t0 + d * 86_400_000).toISOString();
    // A verdict fails on the days of its own 50-day cycle whose phase is under 1: about 2 % of them.
    const body = blocks.map((block, i) => ((i * 7919 + d) % 50 === 0 ? block.replace('\n      "status": "PASS",', '\n      "status": "FAIL",') : block)).join(',');
    const text = `${head.replace(`"collectedAt": "${collectedAt}"`, `"collectedAt": "${at}"`)}\n  "verdicts": [${body}${tail}`;
    writeFileSync(join(out, `report-${String(days - d).padStart(4, '0')}.json`), text);
    bytes += text.length;
  }
  report({ reports: days, verdicts: blocks.length, bytes });
} else if (mode === 'measure') {
  const floor_s = readEveryByte(a!);
  const done = startMeasure();
  const trend = buildTrend([a!]);
  mkdirSync(b!, { recursive: true });
  let written = 0;
  for (const format of TREND_FORMATS) {
    const text = renderTrend(trend, format);
    writeFileSync(join(b!, `trailproof-trend.${format}`), text);
    written += text.length;
  }
  report({ ...done(), floor_s, reports: trend.period.reports, failures: trend.failures.length, rules: trend.rules.length, ous: trend.ous.length, written });
} else {
  throw new Error('usage: trend-child.ts generate BASE DAYS OUT | measure DIR OUT');
}

/** Seconds to read every file of the series once into one buffer and find one marker in it: what no trend can avoid. */
function readEveryByte(dir: string): number {
  const started = performance.now();
  let buffer = Buffer.allocUnsafe(0);
  for (const name of readdirSync(dir)) {
    const fd = openSync(join(dir, name), 'r');
    const size = fstatSync(fd).size;
    if (buffer.length < size) buffer = Buffer.allocUnsafe(size);
    readSync(fd, buffer, 0, size, 0);
    closeSync(fd);
    buffer.subarray(0, size).indexOf('\n  "errors": ');
  }
  return (performance.now() - started) / 1000;
}
