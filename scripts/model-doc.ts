/** Writes docs/model.md from the fact declaration (`npm run docs:model`). */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderModelDoc } from '../src/model/fact-docs.ts';

writeFileSync(fileURLToPath(new URL('../docs/model.md', import.meta.url)), renderModelDoc());
