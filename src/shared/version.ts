import { readFileSync } from 'node:fs';

let cachedVersion: string | undefined;

/** trailproof's own version, from package.json (read once). */
export function toolVersion(): string {
  cachedVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cachedVersion;
}
