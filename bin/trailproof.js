#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`; `npm ci` and `npm pack` build it).
try {
  await import('../dist/cli/entry.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/cli/entry.js')) throw err;
  process.stderr.write('trailproof: dist/ is missing; run `npm run build` (or `npm ci`) in the project folder first\n');
  process.exitCode = 4;
}
