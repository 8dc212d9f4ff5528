/**
 * Rewrites a snapshot through the reader and the writer, so in the format the writer writes now
 * (version 2: repeated region answers as references): for measuring one format against the other
 * on the same organization. `node --import tsx test/bench/rewrite-snapshot.ts IN OUT` (OUT.gz gzips).
 */
import { openSnapshot } from '../../src/snapshot/read.ts';
import { writeSnapshot } from '../../src/snapshot/write.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: rewrite-snapshot.ts IN OUT');
const source = await openSnapshot(input, { validate: 'first-pass' });
const written = await writeSnapshot(output, source.header, source.records());
console.log(`${output}: ${written.accounts} accounts, sha256 ${written.sha256}`);
