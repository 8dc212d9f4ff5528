/**
 * The floor of writing reports: how many megabytes of JSON this machine serialises and writes per
 * second of CPU with nothing but V8's own JSON.stringify, item by item into a 1 MB buffer and out to
 * a file, the way the report writer does. Calibrated on the snapshot's own records (AWS answers,
 * nested objects of strings, like report evidence), parsed beforehand and not timed: no format can
 * produce its bytes faster than this, so `report bytes ÷ rate` is a lower bound of the report phase
 * on one core. Usage: output-floor-child.ts SNAPSHOT SCRATCH_FILE
 */
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { reopenSnapshot } from '../../src/snapshot/read.ts';
import { report } from './measure.ts';

const [file, scratch] = process.argv.slice(2);
if (!file || !scratch) throw new Error('usage: output-floor-child.ts SNAPSHOT SCRATCH_FILE');

/** Enough records for a stable rate (~100–200 MB of text), few enough to hold parsed. */
const SAMPLE_RECORDS = 4_000;
const ROUNDS = 3;

const source = await reopenSnapshot(file);
const records: unknown[] = [];
for await (const record of source.records()) {
  records.push(record);
  if (records.length >= SAMPLE_RECORDS) break;
}

/** MB per CPU second, the best of ROUNDS (the floor is what the machine can do, not its noise). */
function rate(indent: number | undefined): number {
  let best = 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let round = 0; round < ROUNDS; round++) {
    const fd = openSync(scratch!, 'w');
    const cpu = process.cpuUsage();
    let bytes = 0;
    let used = 0;
    for (const record of records) {
      const text = `${JSON.stringify(record, null, indent)}\n`;
      if (text.length * 3 > buffer.length - used) {
        writeSync(fd, buffer, 0, used);
        bytes += used;
        used = 0;
      }
      if (text.length * 3 > buffer.length) {
        const whole = Buffer.from(text, 'utf8');
        writeSync(fd, whole);
        bytes += whole.length;
      } else used += buffer.write(text, used, 'utf8');
    }
    writeSync(fd, buffer, 0, used);
    bytes += used;
    closeSync(fd);
    const spent = process.cpuUsage(cpu);
    best = Math.max(best, bytes / 1e6 / ((spent.user + spent.system) / 1e6));
  }
  rmSync(scratch!, { force: true });
  return best;
}

report({ records: records.length, pretty_mb_per_cpu_s: rate(2), compact_mb_per_cpu_s: rate(undefined) });
