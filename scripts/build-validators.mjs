// `npm run build`, after tsc: writes dist/validators/<name>.schema.cjs, our own schemas compiled
// ahead of time (see src/shared/bundled-schemas.ts), so the CLI starts without compiling them.
import { mkdirSync, writeFileSync } from 'node:fs';

const { BUNDLED_SCHEMAS, standaloneValidatorCode } = await import('../dist/shared/bundled-schemas.js');
const out = new URL('../dist/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const name of BUNDLED_SCHEMAS) writeFileSync(new URL(`${name}.schema.cjs`, out), standaloneValidatorCode(name));
