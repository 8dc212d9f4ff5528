import type { DemoOrg } from './builder.ts';

/** Hook of the demo organization (see build.ts): adds its part of the demo through the DemoOrg API. */
export function addDemoPiiBuckets(_demo: DemoOrg): void {
  // Intentionally empty until its owner fills it in.
}
