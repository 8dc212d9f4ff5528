import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ORGANIZATIONS_PACE, Pacer } from '../../src/collect/pace.ts';

describe('Pacer: client-side pacing at a quota', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => vi.useRealTimers());

  /** Takes n tokens at once and returns the clock time each caller was let go. */
  async function release(pacer: Pacer, n: number): Promise<number[]> {
    const times: number[] = [];
    const all = Array.from({ length: n }, () => pacer.take().then(() => times.push(now)));
    for (let t = now; t < now + 10_000 && times.length < n; t += 10) {
      now = t;
      await vi.advanceTimersByTimeAsync(10);
    }
    await Promise.all(all);
    return times;
  }

  it('lets the burst go at once, then one caller per 1/rate seconds, in arrival order', async () => {
    const pacer = new Pacer({ ratePerSecond: 5, burst: 2 }, () => now);
    const times = await release(pacer, 6);
    expect(times.slice(0, 2)).toEqual([0, 0]);
    // Then every 200 ms (the fake clock moves in 10 ms steps).
    const gaps = times.slice(2).map((t, i) => t - (times[i + 1] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(190);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(210);
  });

  it('refills while idle, never beyond the burst', async () => {
    const pacer = new Pacer({ ratePerSecond: 5, burst: 1 }, () => now);
    await release(pacer, 1);
    now = 5_000; // long idle: still one token, not 25
    const times = await release(pacer, 2);
    expect(times[0]).toBe(5_000);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(190);
  });

  it('paces Organizations at 5 per second with a burst of 1 (the server keeps its burst for jitter)', () => {
    expect(ORGANIZATIONS_PACE).toEqual({ ratePerSecond: 5, burst: 1 });
  });

  it('refuses a quota it cannot pace at', () => {
    expect(() => new Pacer({ ratePerSecond: 0, burst: 1 })).toThrow(/positive rate/);
    expect(() => new Pacer({ ratePerSecond: 5, burst: 0 })).toThrow(/burst of at least 1/);
  });
});
