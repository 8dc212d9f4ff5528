/**
 * The facts rules see. Plain JSON-like objects (CEL reads them as maps), built by pure functions
 * from a snapshot.
 *
 * Unknown facts: a fact that could not be established (its call failed, or it was never read) is
 * left OUT of its object, and the object's `unknown` map says why, keyed by the missing field's
 * name. A CEL expression that touches it fails with "No such key", which the engine turns into an
 * ERROR verdict carrying that reason. `has(x.field)` lets a rule ask explicitly.
 * The facts rules can read are declared once, with CEL types, in fact-declarations.ts (the type
 * checker, docs/model.md, the check of rule tests' facts and the interfaces re-exported here, in
 * fact-types.generated.ts by `npm run gen:facts`, come from it): the model computes into those
 * interfaces, so the compiler checks that it computes what is declared.
 */

import type { ResourceRef } from '../contracts/verdict.ts';
import type { AccountFacts, BucketFacts, OrganizationFacts, TrailFacts } from './fact-types.generated.ts';

export type * from './fact-types.generated.ts';

/**
 * One resource ready for evaluation: the CEL activation holds `organization` always, plus
 * `account` (for account, trail and bucket resources), and `trail` / `bucket` for those.
 */
export interface EvaluationSubject {
  resource: ResourceRef;
  activation: {
    organization: OrganizationFacts;
    account?: AccountFacts;
    trail?: TrailFacts;
    bucket?: BucketFacts;
  };
}

// ---- the model's own narrowings of the declared types (what it knows while computing) ----

/** The fields of a trail's definition (DescribeTrails, or the management account's view of an organization trail). */
type TrailDefinitionField =
  | 'homeRegion'
  | 'source'
  | 'isMultiRegion'
  | 'isOrganizationTrail'
  | 'includeGlobalServiceEvents'
  | 'logFileValidation'
  | 'kmsKeyId'
  | 'cloudWatchLogsLogGroupArn'
  | 'regions'
  | 'bucket';

/**
 * A trail whose definition was read: every trail the model lists. The declaration makes these
 * fields unknowable only for the stand-in of an account whose trails could not be listed
 * (subjects.ts), which has nothing but its ARN, name and owner.
 */
export type ListedTrailFacts = TrailFacts & Required<Pick<TrailFacts, TrailDefinitionField>>;

/** An account's facts as the model computes them: its trails, when known, were all listed. */
export type AccountWithListedTrails = Omit<AccountFacts, 'trails'> & { trails?: ListedTrailFacts[] };

/** The organization as Organizations answered; organizationWithGuardDuty adds GuardDuty's configuration. */
export type OrganizationBaseFacts = Omit<OrganizationFacts, 'guardDuty'>;
