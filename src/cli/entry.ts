/**
 * The process around `main()`: what bin/trailproof.js runs (compiled, from dist/) and what the
 * CLI tests run (from source, through tsx), so both exercise the same start-up.
 */
import module from 'node:module';

// The AWS SDK's Node-version notice is a maintenance warning for operators, not scan output. It
// is read when an SDK client is built, which is after this line: main() loads the SDK lazily.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Node 22.1 and later keep the compiled code of every module in a cache on disk, so each later
// start skips parsing them again (as TypeScript's own CLI does). Node 20 has no such cache.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A reader that stops early (`trailproof rules list | head`) is not an error of ours. Any other
// write error (a full disk, `> /dev/full`) means the output is lost: say so, and exit 2.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) process.stderr.write(`trailproof: cannot write to standard output: ${err.message}\n`);
    process.exit(2);
  });
}

const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
