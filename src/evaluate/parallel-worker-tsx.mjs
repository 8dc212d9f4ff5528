// Starts a worker thread of parallel.ts from the TypeScript sources. Loader hooks registered in
// code (bin/trailproof.js registers tsx that way) do not reach worker threads, and Node 20 ignores
// --import in a worker's execArgv, so the worker registers tsx itself, then loads the module
// named by its first argument.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
