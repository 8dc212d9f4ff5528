import type { TrailproofConfig } from './types.ts';

/** Defaults for every config.yaml field; the shipped config.yaml documents each one. */
export const DEFAULT_CONFIG: TrailproofConfig = {
  source: '(defaults)',
  organization: {
    memberRoleName: 'TrailproofReadOnly',
    sessionName: 'trailproof',
    homeRegion: 'us-east-1',
  },
  scope: { accounts: [], excludeAccounts: [], ous: [], excludeOus: [], accountTags: [], regions: [] },
  collection: { accountConcurrency: 16, callConcurrency: 8, callTimeoutMs: 15_000, maxAttempts: 8, detective: true, historyDays: 90, lookupEventsPerSecond: 2 },
  rules: { paths: ['builtin'], disabled: [], disabledTags: [], params: {} },
  pii: { tags: [{ key: 'DataClassification', values: ['PII'] }], namePatterns: [], buckets: [] },
  exceptions: [],
  output: { dir: 'reports', formats: ['json', 'sarif'], failOn: 'high', sarifIncludeSuppressed: false },
};
