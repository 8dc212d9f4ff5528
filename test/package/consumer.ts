import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  [field: string]: unknown;
}

/**
 * Prepares `dir` as a fresh project that depends on the packed tarball, with a lockfile pinning
 * trailproof's production dependencies to the versions of the project's own lockfile, so that
 * `npm ci --offline` installs it from the npm cache that the project's `npm ci` filled. (A bare
 * `npm install <tarball> --offline` would need the registry's package metadata, which `npm ci`
 * never caches.) Dependencies hoist the same way under a consumer as under the project, so the
 * project's `node_modules/...` keys stay valid.
 */
export function writeConsumerProject(dir: string, repo: string, tarball: string): void {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string; license: string; dependencies: object; bin: object; engines: object };
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const production = Object.entries(lock.packages).filter(([key, entry]) => key !== '' && !entry.dev && !entry.link);
  const root = { name: 'trailproof-consumer', version: '1.0.0', private: true, dependencies: { trailproof: `file:${tarball}` } };
  const packages = {
    '': root,
    'node_modules/trailproof': { version: pkg.version, resolved: `file:${tarball}`, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
    ...Object.fromEntries(production),
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: root.name, version: root.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}
