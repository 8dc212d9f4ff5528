// `npm run build`, after tsc: writes dist/validators/<name>.schema.cjs, our own schemas compiled
// ahead of time (see src/shared/bundled-schemas.ts), so the CLI starts without compiling them; and
// dist/validators/snapshot.cjs, the snapshot schema's validators (src/snapshot/schema.ts).
import { mkdirSync, writeFileSync } from 'node:fs';

const { BUNDLED_SCHEMAS, standaloneValidatorCode } = await import('../dist/shared/bundled-schemas.js');
const out = new URL('../dist/validators/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const name of BUNDLED_SCHEMAS) writeFileSync(new URL(`${name}.schema.cjs`, out), standaloneValidatorCode(name));
const { snapshotValidatorCode } = await import('../dist/snapshot/schema.js');
writeFileSync(new URL('snapshot.cjs', out), snapshotValidatorCode());
