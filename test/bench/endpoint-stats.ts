/** What the bench's HTTP endpoint (aws-server-child.ts) reports to the collection it served. */
import type { Family } from './simulated-aws.ts';

/** The starting credentials the endpoint knows as the management account's IAM user. */
export const BENCH_PROFILE = { accessKeyId: 'AKIABENCHPROFILE0001', secretAccessKey: 'bench/secret/key/0000000000000000000000' };

export interface ServerStats {
  counts: Record<string, { calls: number; throttled: number }>;
  admittedByOperation: Record<string, number>;
  traffic: { family: Family; key: string; accepted: number; throttled: number }[];
  connections: number;
  meanLatencyMs: number;
}

