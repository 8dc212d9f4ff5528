// Starts a worker thread from the TypeScript sources (tests, `npm run cli`; the compiled dist/
// needs no shim): see worker-thread.ts. Loader hooks registered in code do not reach worker
// threads, and Node 20 ignores --import in a worker's execArgv, so the worker registers tsx
// itself, then loads the module named by its first argument.
import { register } from 'tsx/esm/api';

register();
await import(process.argv[2]);
