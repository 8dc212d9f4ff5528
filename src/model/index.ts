/**
 * Snapshot → facts. Pure functions, no I/O.
 *
 * Two passes so a large organization streams:
 *  1. `buildIndex(header, records)` walks every account record once and keeps only what crosses
 *     accounts (the OU tree, organization trails, trail destination buckets and their owners, SCPs).
 *  2. `subjectsForAccount(index, record)` turns one account record into the resources rules judge
 *     (the account, its trails, its buckets); the record can be dropped afterwards.
 */
export type { AccountLinesIndex, IndexBlockState, ModelIndex } from './model-index.ts';
export { accountLinesPart, buildIndex, indexOf, IndexBuilder, pathNodeIds, DEFAULT_MODEL_OPTIONS, type ModelOptions } from './model-index.ts';
export { subjectsForAccount, organizationSubject } from './subjects.ts';
