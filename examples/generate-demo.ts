/**
 * Regenerates the bundled demo snapshot: `npx tsx examples/generate-demo.ts`. It collects the demo
 * World (examples/demo/world.ts) with trailproof's own collector, in-process (examples/demo/collect.ts).
 * The output is deterministic (fixed times, sorted keys), and a test fails when the committed
 * file differs from what this produces, so edit examples/demo/*.ts and run this again.
 */
import { DEMO_SNAPSHOT_FILE } from '../src/snapshot/demo.ts';
import { writeSnapshot } from '../src/snapshot/write.ts';
import { collectDemoSnapshot } from './demo/collect.ts';

const snapshot = await collectDemoSnapshot();
const written = await writeSnapshot(DEMO_SNAPSHOT_FILE, snapshot.header, snapshot.accounts);
process.stdout.write(`wrote ${written.file}: ${written.accounts} accounts, sha256 ${written.sha256}\n`);
