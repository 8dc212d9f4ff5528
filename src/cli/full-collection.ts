/**
 * One full garbage collection, on demand, without starting Node with `--expose-gc`: the flag is
 * turned on just long enough to get `gc` in a fresh context (what Jest's leak detector does), and
 * off again so no other context gets it.
 *
 * Why the CLI asks for one between judging and the reports: V8 lets a heap grow to about four
 * times what its last full collection found live before the next one. Judging ends with a large
 * heap of its own garbage and a limit sized from what judging kept live (its working set: 264-271
 * MB at 100,000 accounts), so the reports first filled that room on top of it. Collected once when judging is over, the report stage's heap is sized
 * from what the reports need (~110 MB there). Measured at 100,000 accounts, JSON + SARIF + HTML:
 * report-stage peak RSS 990 MB without, 831 MB with (docs/operations/large-organizations.md, "Memory").
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function collectGarbageNow(): void {
  setFlagsFromString('--expose-gc');
  try {
    (runInNewContext('gc') as () => void)();
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
