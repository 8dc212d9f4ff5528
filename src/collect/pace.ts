/**
 * Client-side pacing at a service's published request rate, so the collector stays under a
 * quota instead of finding it by being throttled and backing off (AWS Organizations: one quota
 * shared by every caller in the organization, low enough that 10,000 accounts' worth of list
 * pages would otherwise spend the collection in adaptive backoff).
 *
 * A token bucket with reservations: a call that finds no token takes one on credit and waits
 * until it would have been refilled, so callers leave in arrival order at the paced rate.
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

export class Pacer {
  private tokens: number;
  private last: number;

  constructor(
    private readonly quota: Quota,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(quota.ratePerSecond > 0) || !(quota.burst >= 1)) throw new Error(`pacing needs a positive rate and a burst of at least 1, got ${JSON.stringify(quota)}`);
    this.tokens = quota.burst;
    this.last = this.now();
  }

  /** Resolves when the caller may send. */
  take(): Promise<void> {
    const now = this.now();
    this.tokens = Math.min(this.quota.burst, this.tokens + ((now - this.last) / 1000) * this.quota.ratePerSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return Promise.resolve();
    const waitMs = (-this.tokens / this.quota.ratePerSecond) * 1000;
    return new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
