/**
 * Round-trip times of AWS API calls as a runner in us-east-1 sees them: lognormal per region
 * (a long right tail, never below the network floor), with the median growing with distance.
 * Drawn from a seeded generator, so a run's latencies are the same sequence every time (which
 * call gets which draw depends on arrival order, the distribution does not).
 *
 * Medians are round figures of published inter-region RTTs plus ~10 ms of service time; sigma
 * 0.35 gives p99 ≈ 2.3 × median, the tail API calls show in practice.
 */
import { prng } from './generate-org.ts';

const MEDIAN_MS: Record<string, number> = {
  'us-east-1': 12, 'us-east-2': 22, 'ca-central-1': 28, 'us-west-1': 72, 'us-west-2': 78,
  'eu-west-1': 80, 'eu-west-2': 86, 'eu-west-3': 90, 'eu-central-1': 96, 'eu-north-1': 110,
  'sa-east-1': 125, 'ap-northeast-1': 160, 'ap-northeast-2': 185, 'ap-northeast-3': 165,
  'ap-south-1': 195, 'ap-southeast-1': 220, 'ap-southeast-2': 205, 'ap-east-1': 210,
  'af-south-1': 235, 'me-south-1': 175,
};
const SIGMA = 0.35;
/** Global services (Organizations, IAM) and STS's global endpoint answer from us-east-1. */
const GLOBAL = new Set(['organizations', 'sts']);

export interface LatencyModel {
  /** One call's round trip, in milliseconds. */
  draw(service: string, region: string): number;
  /** Mean of the draws so far (for the lower bound). */
  readonly meanMs: number;
  readonly draws: number;
}

export function lognormalLatency(seed: number, scale = 1): LatencyModel {
  const uniform = prng(seed ^ 0x5eed);
  let sum = 0;
  let draws = 0;
  return {
    draw(service, region) {
      const median = MEDIAN_MS[GLOBAL.has(service) ? 'us-east-1' : region] ?? 150;
      // Box–Muller: a standard normal from two uniforms.
      const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
      const ms = median * scale * Math.exp(SIGMA * z);
      sum += ms;
      draws++;
      return ms;
    },
    get meanMs() {
      return draws === 0 ? 0 : sum / draws;
    },
    get draws() {
      return draws;
    },
  };
}
