#!/usr/bin/env node
// Runs the TypeScript sources through tsx so a fresh clone needs no build step.
// The AWS SDK's Node-version notice is a maintenance warning for operators, not scan output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
