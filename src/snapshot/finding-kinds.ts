/**
 * What the log-integrity verifier can find, in one list (the snapshot schema's FindingKind and the
 * model's reading of a report both come from here). A string in the schema (a snapshot written by
 * a newer verifier still reads), a closed union in TypeScript (the verifier writes only these).
 */

/** Findings that break the digest chain (as opposed to a log file's own problem, or staleness). */
export const CHAIN_BREAK_KINDS = [
  'digest-missing',
  'digest-signature-invalid',
  'digest-unknown-key',
  'digest-key-outside-validity',
  'digest-misplaced',
  'digest-unreadable-content',
  'chain-previous-hash-mismatch',
  'chain-previous-signature-mismatch',
  'chain-previous-mismatch',
] as const;

export const FINDING_KINDS = [...CHAIN_BREAK_KINDS, 'digest-stale', 'log-modified', 'log-missing', 'log-unlisted'] as const;
