/**
 * Temporary folders that a process removes however it ends: at `exit` (which a failure reaches
 * too) and on the signals that would otherwise end it without `exit` (Ctrl-C, `kill`, a closed
 * terminal). They hold a large organization's spooled verdicts or collected snapshot: hundreds of
 * megabytes each. After removing, the signal is raised again so the process ends as it would have.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ENDING_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const folders = new Set<string>();

function removeAll(): void {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  process.once('exit', removeAll);
  for (const signal of ENDING_SIGNALS) {
    process.once(signal, () => {
      removeAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/**
 * A new folder in the system's temporary directory, named `prefix` + random characters, removed
 * when the process ends. The listeners are in place before the folder exists: a signal that
 * arrived between the two would end the process by its default action and leave it behind.
 */
export function temporaryFolder(prefix: string): string {
  listen();
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.add(folder);
  return folder;
}
