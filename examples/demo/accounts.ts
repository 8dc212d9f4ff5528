/**
 * The demo organization's fixed identifiers, in a module of their own so the hook modules can
 * import them without importing build.ts (which imports the hooks).
 */
import { trailArn } from './draft.ts';

export const DEMO_COLLECTED_AT = '2026-11-02T09:00:00.000Z';
export const DEMO_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];

export const ORG_ID = 'o-7k2m9x4q1z';
export const ROOT_ID = 'r-7k2m';
export const MANAGEMENT = '111111111111';

/** Account ids of the demo, by role; hooks can use them instead of repeating the literals. */
export const DEMO_ACCOUNTS = {
  management: MANAGEMENT,
  logArchive: '222222222222',
  audit: '333333333333',
  network: '444444444444',
  /** Its DescribeTrails does not show the organization trail at all (as some emulators answer). */
  sharedServices: '555555555555',
  /** Advanced selectors named "Log all management events" that record only S3 data events. */
  paymentsProd: '666666666666',
  /** Its own trail excludes kms.amazonaws.com management events. */
  dataProd: '777777777777',
  /** Its own multi-region trail stopped logging. */
  webDev: '888888888888',
  /** A WriteOnly trail plus a ReadOnly trail. */
  analyticsDev: '999999999999',
  /** GetTrailStatus on its own trail was denied. */
  mlResearch: '141414141414',
  /** Its own single-region trail (us-west-2), log file validation off. */
  sandboxAlice: '101010101010',
  /** AssumeRole into it was denied: nothing is known about it. */
  sandboxBob: '121212121212',
  /** SUSPENDED: listed by Organizations, skipped by the collector. */
  closedProject: '131313131313',
} as const;

/** OU ids by name. */
export const DEMO_OUS = {
  security: 'ou-7k2m-5c8d1f3a',
  infrastructure: 'ou-7k2m-9e4b7h2k',
  workloads: 'ou-7k2m-2p6s8v1w',
  prod: 'ou-7k2m-4t9y3n6r',
  dev: 'ou-7k2m-8j1q5x7c',
  sandbox: 'ou-7k2m-3m7z2g9b',
} as const;

export const ORG_TRAIL_ARN = trailArn('us-east-1', MANAGEMENT, 'org-trail');
export const ORG_TRAIL_BUCKET = 'acme-org-cloudtrail-logs';

