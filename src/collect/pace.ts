/**
 * Client-side pacing at a quota known in advance, so the collector stays under it instead of
 * finding it by being throttled and backing off. Two quotas need it:
 * - AWS Organizations: one quota shared by every caller in the organization, low enough that
 *   10,000 accounts' worth of list pages would otherwise spend the collection in adaptive backoff
 *   (one pacer for the whole collection);
 * - CloudTrail LookupEvents: 2 requests per second per account and region (one pacer per
 *   account-region), too small for the adaptive retry to find without a storm of throttled attempts.
 *
 * A pacer is two token buckets at the same quota, each with reservations (a caller that finds no
 * token takes one on credit and waits until it would have been refilled, so callers leave in
 * arrival order at the paced rate):
 * - `turn()` is waited OUTSIDE the session's bound on calls in flight, so a paced call holds no
 *   slot while it waits;
 * - `beforeSend()` is waited INSIDE the slot, right before the request goes out: calls that queued
 *   for a slot past their turn would otherwise go out together, as a burst the quota refuses
 *   (measured: without it, 1,600 throttled LookupEvents retries at 20 ms latency on 50 accounts).
 */
export interface Quota {
  /** Sustained requests per second. */
  ratePerSecond: number;
  /** Requests sent at once before pacing starts. */
  burst: number;
}

/**
 * AWS Organizations' request rate as this project assumes it (DESIGN.md, aws-semantics.md: "low
 * and shared by the whole organization"; the quota page publishes no per-API figure, so the
 * bench's simulated quota of 5 per second is the one paced to). The client keeps a burst of 1 so
 * the server's burst stays free to absorb network jitter.
 */
export const ORGANIZATIONS_PACE: Quota = { ratePerSecond: 5, burst: 1 };

/** CloudTrail's documented LookupEvents quota: 2 requests per second per account and region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;

/**
 * Operations paced per account and region ("service:Operation" → quota), from config.yaml
 * (collection.lookupEventsPerSecond, default AWS's quota).
 */
export function pacingOf(collection: { lookupEventsPerSecond: number }): Readonly<Record<string, Quota>> {
  return { 'cloudtrail:LookupEvents': { ratePerSecond: collection.lookupEventsPerSecond, burst: 1 } };
}

type Sleep = (ms: number) => Promise<void>;

/** A token bucket with reservations: `reserve()` says how long the caller must wait for its token. */
class ReservingBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly quota: Quota,
    private readonly now: () => number,
  ) {
    this.tokens = quota.burst;
    this.last = now();
  }

  reserve(): number {
    const now = this.now();
    this.tokens = Math.min(this.quota.burst, this.tokens + ((now - this.last) / 1000) * this.quota.ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.quota.ratePerSecond) * 1000;
  }
}

export class Pacer {
  private readonly turns: ReservingBucket;
  private readonly sends: ReservingBucket;

  constructor(
    quota: Quota,
    now: () => number = () => performance.now(),
    private readonly sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(quota.ratePerSecond > 0) || !(quota.burst >= 1)) throw new Error(`pacing needs a positive rate and a burst of at least 1, got ${JSON.stringify(quota)}`);
    this.turns = new ReservingBucket(quota, now);
    this.sends = new ReservingBucket(quota, now);
  }

  /** Resolves at this caller's turn, in arrival order (wait for it outside any slot). */
  turn(): Promise<void> {
    return this.wait(this.turns.reserve());
  }

  /** Right before the request goes out (inside the slot): sends keep to the quota even when their slots came late and together. */
  beforeSend(): Promise<void> {
    return this.wait(this.sends.reserve());
  }

  private wait(ms: number): Promise<void> {
    return ms > 0 ? this.sleep(ms) : Promise.resolve();
  }
}
