#!/usr/bin/env node
// Runs the TypeScript sources through tsx so a fresh clone needs no build step.
// The AWS SDK's Node-version notice is a maintenance warning for operators, not scan output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`trailproof rules list | head`) is not an error of ours. Any other
// write error (a full disk, `> /dev/full`) means the output is lost: say so, and exit 2.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) process.stderr.write(`trailproof: cannot write to standard output: ${err.message}\n`);
    process.exit(2);
  });
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
