/**
 * The floor of an evaluation: the time to read (gunzip when gzipped) and JSON-parse every line of
 * the snapshot once, with no validation, model, rules or reports. Usage: floor-child.ts SNAPSHOT
 */
import { reopenSnapshot } from '../../src/snapshot/read.ts';
import { report, startMeasure } from './measure.ts';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: floor-child.ts SNAPSHOT');
const done = startMeasure();
const source = await reopenSnapshot(file);
let records = 0;
for await (const _ of source.records()) records++;
report({ ...done(), records });
