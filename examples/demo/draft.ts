/**
 * The demo organization while it is being declared: the World's parts (test/fixtures/world/
 * world.ts) plus lookups, so each story module (trails, buckets, SCPs, detective controls) can
 * add to or amend what an earlier one declared. Nothing here reads the clock or random numbers.
 */
import type { DetectiveWorld } from '../../test/fixtures/world/detective.ts';
import type { WorldAccount, WorldBucket, WorldFault, WorldParts, WorldTrail } from '../../test/fixtures/world/world.ts';

export interface DemoDraft extends WorldParts {
  detective: DetectiveWorld;
}

export function accountOf(draft: DemoDraft, accountId: string): WorldAccount {
  const found = draft.accounts.find((a) => a.account.Id === accountId);
  if (!found) throw new Error(`the demo has no account ${accountId}`);
  return found;
}

/** A trail by ARN, in its owner's account. */
export function trailOf(draft: DemoDraft, arn: string): WorldTrail {
  const found = accountOf(draft, arn.split(':')[4] ?? '').trails.find((t) => t.trail.TrailARN === arn);
  if (!found) throw new Error(`the demo has no trail ${arn}`);
  return found;
}

export function bucketOf(draft: DemoDraft, name: string): WorldBucket {
  for (const a of draft.accounts) {
    const found = a.buckets.find((b) => b.Name === name);
    if (found) return found;
  }
  throw new Error(`the demo has no bucket ${name}`);
}

/** A call that fails in this account (what AWS answers, with its message). */
export function addFault(draft: DemoDraft, accountId: string, fault: WorldFault): void {
  accountOf(draft, accountId).faults.push(fault);
}

/** `arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`. */
export function trailArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** `[{Key, Value}]` from a plain object, in the object's key order. */
export function tags(map: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

/** "User: ... is not authorized to perform: ACTION ..." as AWS words a denial to the scanner's role. */
export function denied(accountId: string, action: string, rest: string): string {
  return `User: arn:aws:sts::${accountId}:assumed-role/TrailproofReadOnly/trailproof is not authorized to perform: ${action}${rest}`;
}
