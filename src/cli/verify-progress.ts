import type { VerifyProgress } from '../collect/integrity/run.ts';
import { formatDuration, type ProgressStream } from '../collect/progress.ts';

/**
 * One status line redrawn on an interactive terminal during verify-logs; nothing in CI or when
 * stderr is not a terminal, where a redrawn line would only litter the log.
 */
export function verifyProgress(options: { quiet: boolean; stream?: ProgressStream; env?: NodeJS.ProcessEnv; clock?: () => number }) {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => performance.now());
  const live = !options.quiet && stream.isTTY === true && !env.CI;
  const start = clock();
  const s = { total: 0, done: 0, digests: 0, logs: 0, bytes: 0 };
  let lastDraw = -Infinity;
  let drawn = false;
  const line = () =>
    `trail-regions ${s.done}/${s.total}, ${s.digests} digests, ${s.logs} log files (${(s.bytes / 1e6).toFixed(1)} MB), ${formatDuration(clock() - start)} elapsed`;
  return {
    onEvent(e: VerifyProgress) {
      if (e.type === 'targets') s.total = e.total;
      else if (e.type === 'target-done') s.done++;
      else {
        if (e.kind === 'digest') s.digests++;
        else s.logs++;
        s.bytes += e.bytes;
      }
      if (!live) return;
      const now = clock();
      if (now - lastDraw < 100 && e.type !== 'target-done') return;
      lastDraw = now;
      drawn = true;
      stream.write(`\r\x1b[K${line()}`);
    },
    finish() {
      if (live && drawn) stream.write(`\r\x1b[K${line()}\n`);
    },
  };
}
