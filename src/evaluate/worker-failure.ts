/** A worker thread's error as its answer (plain data): what it was doing, and whether it is the user's. */
import { UserError } from '../shared/errors.ts';
import type { WorkerReply, WorkerStep } from './parallel.ts';

export function failureOf(err: unknown, step: WorkerStep): WorkerReply {
  const e = err instanceof Error ? err : new Error(String(err));
  return { ok: false, userError: e instanceof UserError, message: e.message, step, ...(e.stack ? { stack: e.stack } : {}) };
}
