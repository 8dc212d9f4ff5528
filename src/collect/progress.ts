import { describeApiError } from './describe.ts';
import type { CallEvent } from './session.ts';

/** What a collection reports as it goes: every call, and each account as it is finished. */
export type CollectEvent =
  | CallEvent
  | { type: 'accounts'; total: number }
  | { type: 'account-done'; accountId: string; done: number; total: number };

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressOptions {
  verbosity: Verbosity;
  stream?: ProgressStream;
  env?: NodeJS.ProcessEnv;
  /** Monotonic milliseconds (elapsed and estimate only; never written to the snapshot). */
  clock?: () => number;
}

/**
 * Live status on an interactive terminal (one line redrawn in place, at most ~10 times a second);
 * nothing in CI or when stderr is redirected, where a redrawn line would only litter the log.
 * --verbose adds a line per failed call wherever stderr goes; --quiet prints nothing.
 */
export function progressReporter(options: ProgressOptions): { onEvent: (event: CollectEvent) => void; finish: () => void } {
  const stream = options.stream ?? process.stderr;
  const env = options.env ?? process.env;
  const clock = options.clock ?? (() => performance.now());
  const live = options.verbosity !== 'quiet' && stream.isTTY === true && !env.CI;
  const start = clock();
  let total = 0;
  let done = 0;
  let calls = 0;
  let errors = 0;
  let lastDraw = -Infinity;
  let drawn = false;

  const draw = (force = false) => {
    if (!live) return;
    const now = clock();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    drawn = true;
    stream.write(`\r\x1b[K${statusLine({ done, total, calls, errors, elapsedMs: now - start })}`);
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'accounts':
          total = event.total;
          break;
        case 'account-done':
          done = event.done;
          break;
        case 'call':
          calls++;
          break;
        case 'call-failed':
          errors++;
          if (options.verbosity === 'verbose') {
            if (drawn) stream.write('\r\x1b[K');
            stream.write(`trailproof: ${describeApiError(event.error)}\n`);
          }
          break;
      }
      draw(event.type === 'account-done');
    },
    finish() {
      if (live && drawn) stream.write('\r\x1b[K');
      if (options.verbosity !== 'quiet' && (live || options.verbosity === 'verbose')) {
        stream.write(`${statusLine({ done, total, calls, errors, elapsedMs: clock() - start })}\n`);
      }
    },
  };
}

export function statusLine(s: { done: number; total: number; calls: number; errors: number; elapsedMs: number }): string {
  const elapsed = formatDuration(s.elapsedMs);
  const estimate = s.done > 0 && s.done < s.total ? `, about ${formatDuration((s.elapsedMs / s.done) * (s.total - s.done))} left` : '';
  return `accounts ${s.done}/${s.total}, ${s.calls} calls, ${s.errors} errors, ${elapsed} elapsed${estimate}`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
}
