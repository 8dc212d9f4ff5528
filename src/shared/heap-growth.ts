/**
 * V8's heap growing factor, set for the process while a phase runs. After a full collection V8
 * lets an old generation grow to a factor of what it found live before the next one; for a heap
 * capped as a large organization's judging worker is (evaluate/parallel.ts workerHeapMb), V8 picks
 * at most 1.3-1.34 (its "conservative" growing: the cap leaves it less than 256 MB to grow), so
 * that worker ran a full collection every 1.5-2 s, marking its 100-180 MB live heap again each
 * time. `--heap-growing-percent` is the one setting of that factor, and it is the whole process's
 * (every thread's heap, as V8's flags are), read each time a collection sets its next limit: set
 * only while the threads judge, the report stage's threads grow as V8 chooses.
 */
import { setFlagsFromString } from 'node:v8';

/** Phases running with the factor set (evaluations in one process may overlap). */
let holders = 0;

/** Whether node was started with the factor set: then it is left as given. */
const setAtStart = process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));

/** Runs `phase` with V8's heap growing factor at 1 + `percent` / 100 for the process, as before once the last such phase is over. */
export async function withHeapGrowth<T>(percent: number, phase: () => Promise<T>): Promise<T> {
  if (setAtStart) return phase();
  if (holders++ === 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
  try {
    return await phase();
  } finally {
    if (--holders === 0) setFlagsFromString('--heap-growing-percent=0');
  }
}
