/**
 * The bundled demo organization ("Acme") as a World (test/fixtures/world/): about a dozen accounts
 * in nested OUs, with the situations a real audit meets — an organization trail to a log-archive
 * account that someone stopped shortly before the collection (stopped-organization-trail.ts), a
 * sandbox with its own single-region trail, a member trail that stopped logging weeks earlier, a
 * member that does not see the organization trail at all, misleading selector names, excluded
 * event sources, split read/write trails, an account that could not be entered and a trail whose
 * status could not be read. Each story module adds its part; collect.ts collects it.
 */
import { indexWorld, type World } from '../../test/fixtures/world/world.ts';
import type { DemoDraft } from './draft.ts';
import { addBuckets, addMemberTrails, addOrganizationTrail, demoOrganization } from './organization.ts';
import { addDemoScps } from './scps.ts';
import { addDemoPiiBuckets } from './pii-buckets.ts';
import { addDemoTrailBuckets } from './trail-buckets.ts';
import { addDemoDetective } from './detective.ts';
import { stopDemoOrganizationTrail } from './stopped-organization-trail.ts';

export { DEMO_ACCOUNTS, DEMO_COLLECTED_AT, DEMO_OUS, DEMO_REGIONS, ORG_TRAIL_ARN, ORG_TRAIL_BUCKET } from './accounts.ts';

export function demoWorld(): World {
  const draft: DemoDraft = demoOrganization();
  addOrganizationTrail(draft);
  addMemberTrails(draft);
  stopDemoOrganizationTrail(draft);
  addBuckets(draft);
  addDemoScps(draft);
  addDemoPiiBuckets(draft);
  addDemoTrailBuckets(draft);
  addDemoDetective(draft);
  return indexWorld(draft);
}
