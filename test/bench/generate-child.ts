/**
 * Writes a synthetic organization's snapshot: node --import tsx test/bench/generate-child.ts N SEED FILE
 * (also handy by hand, to get a large snapshot to try the CLI on).
 */
import { generateOrg } from './generate-org.ts';
import { writeSyntheticSnapshot } from './org-snapshot.ts';
import { report } from './measure.ts';

const [n, seed, file] = process.argv.slice(2);
if (!n || !seed || !file) throw new Error('usage: generate-child.ts ACCOUNTS SEED FILE');
const written = await writeSyntheticSnapshot(generateOrg({ accounts: Number(n), seed: Number(seed) }), file);
report({ file: written.file, accounts: written.accounts, sha256: written.sha256 });
