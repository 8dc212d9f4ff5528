/**
 * `npm run gen:facts`: writes src/model/fact-types.generated.ts from the fact declaration
 * (src/model/fact-declarations.ts). test/unit/fact-declarations.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderFactTypes } from '../src/model/fact-typescript.ts';

export const FACT_TYPES_FILE = fileURLToPath(new URL('../src/model/fact-types.generated.ts', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FACT_TYPES_FILE, renderFactTypes());
  process.stdout.write(`wrote ${FACT_TYPES_FILE}\n`);
}
