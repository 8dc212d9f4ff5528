/**
 * Worker threads started the same way by every stage that uses them (evaluation's judging
 * threads, the report's writing threads), whether this process runs the compiled dist/ or the
 * TypeScript sources through tsx.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The module `name` beside the caller (`from`: its import.meta.url), with the caller's own extension: .ts when run from source. */
export function moduleBeside(from: string, name: string): URL {
  return new URL(`./${name}${extname(fileURLToPath(from))}`, from);
}

const FROM_SOURCE_SHIM = new URL('./worker-from-source.mjs', import.meta.url);

/** A worker thread running `module`; a .ts module is loaded through tsx (worker-from-source.mjs). */
export function startWorkerThread(module: URL, options: Omit<WorkerOptions, 'execArgv' | 'argv'>): Worker {
  // Nothing of this process's execArgv (a test runner's, a profiler's) is passed on.
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { ...options, execArgv: [] });
  return new Worker(FROM_SOURCE_SHIM, { ...options, execArgv: [], argv: [module.href] });
}

/**
 * What a worker thread's capped heap (`resourceLimits`) ending it resolves to, in place of its
 * answer: no failure, the caller does that worker's part on its own thread.
 */
export const OUT_OF_MEMORY = Symbol('out of memory');

/** The worker ended because it ran out of the heap its `resourceLimits` gave it. */
export function ranOutOfHeap(err: NodeJS.ErrnoException): boolean {
  return err.code === 'ERR_WORKER_OUT_OF_MEMORY';
}
