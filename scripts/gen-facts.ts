/**
 * `npm run gen:facts`: writes src/model/fact-types.generated.ts from the fact declaration
 * (src/model/fact-declarations.ts). test/unit/fact-declarations.test.ts fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { FACT_TYPES_FILE, renderFactTypes } from '../src/model/fact-typescript.ts';

writeFileSync(FACT_TYPES_FILE, renderFactTypes());
process.stdout.write(`wrote ${FACT_TYPES_FILE}\n`);
