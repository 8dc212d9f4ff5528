/**
 * Client-side pacing of calls whose quota is too small for the adaptive retry to find on its own
 * without a storm of throttled attempts: CloudTrail LookupEvents allows 2 requests per second per
 * account and region. A pacer hands out turns at least 1/rate apart, in arrival order (`turn`,
 * waited outside the session's bound on calls in flight, so a paced call holds no slot while it
 * waits), and then spaces the actual sends (`beforeSend`, inside the slot): calls that queued for
 * a slot past their turn would otherwise go out together, as a burst the quota refuses.
 */
export class Pacer {
  private nextStart = 0;
  private lastSend = -Infinity;
  private readonly intervalMs: number;

  constructor(
    requestsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!(requestsPerSecond > 0)) throw new Error(`a pacing rate must be above 0 requests per second, got ${requestsPerSecond}`);
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves at this caller's turn; the turn after it is one interval later. */
  async turn(): Promise<void> {
    const now = this.now();
    const start = Math.max(now, this.nextStart);
    this.nextStart = start + this.intervalMs;
    if (start > now) await this.sleep(start - now);
  }

  /** Right before the request goes out: at least one interval after the previous send. */
  async beforeSend(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.lastSend + this.intervalMs);
    this.lastSend = at;
    if (at > now) await this.sleep(at - now);
  }
}

/** Operations paced client-side, in requests per second per account and region (AWS's documented quota). */
export const DEFAULT_PACING: Readonly<Record<string, number>> = { 'cloudtrail:LookupEvents': 2 };
