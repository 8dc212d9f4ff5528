/**
 * The lower bound of a collection's wall time: what no collector, however it orders its calls,
 * can beat under the simulated latency, the configured concurrency and the quotas.
 *
 *   bound = latency + max(T_org, T_tree + T_chain, T_work, T_throttle)
 *
 *   T_org      = (organizations calls − burst) / organizations rate: the shared Organizations
 *                quota must let every organization call through
 *   T_tree     = the same for the calls that list the tree (DescribeOrganization, ListRoots,
 *                ListOrganizationalUnitsForParent, ListAccountsForParent): the last account is
 *                not known before, and then still needs
 *   T_chain    = CHAIN × latency: AssumeRole → ListRegions → DescribeTrails → GetBucketTagging →
 *                bucket configuration, the calls of one account that wait on each other
 *   T_work     = account calls × latency / (accountConcurrency × callConcurrency)
 *   T_throttle = max over the per-account-and-region quota buckets b of (calls_b − burst_b) / rate_b
 *
 * The leading latency is sts:GetCallerIdentity, which every other call waits on. Calls are the
 * ones the quotas admitted (what the collection needed): a throttled attempt is a cost the bound
 * does not charge. SCP reads (ListPolicies, DescribePolicy, ListTargetsForPolicy) need not wait
 * for the accounts, nor the accounts for them, so the terms overlap (max), they do not add.
 *
 * `phased` is the same organization read strictly before any account (what the collector did
 * before it overlapped the two): latency + T_org + max(T_work, T_chain, T_throttle). A ratio
 * below 1 against it shows the overlap at work.
 */
import type { BucketTraffic, Family, Quota } from './simulated-aws.ts';

export const CHAIN = 5;
const TREE_CALLS = ['organizations:DescribeOrganization', 'organizations:ListRoots', 'organizations:ListOrganizationalUnitsForParent', 'organizations:ListAccountsForParent', 'organizations:ListAccounts'];

export interface BoundInput {
  latencyMs: number;
  accountConcurrency: number;
  callConcurrency: number;
  traffic: BucketTraffic[];
  admittedByOperation: Map<string, number>;
  quota: (family: Family) => Quota;
}

export interface Bound {
  seconds: number;
  phased: number;
  explain: string[];
}

export function lowerBound(input: BoundInput): Bound {
  const latency = input.latencyMs / 1000;
  const orgQuota = input.quota('organizations');
  const admitted = (ops: (op: string) => boolean) => [...input.admittedByOperation].filter(([op]) => ops(op)).reduce((n, [, c]) => n + c, 0);
  const orgCalls = admitted((op) => op.startsWith('organizations:'));
  const treeCalls = admitted((op) => TREE_CALLS.includes(op));
  const throughOrgQuota = (calls: number) => Math.max(0, calls - orgQuota.burst) / orgQuota.rate;
  const tOrg = Math.max(latency, throughOrgQuota(orgCalls));
  const tTree = Math.max(latency, throughOrgQuota(treeCalls));

  // GetCallerIdentity is the one call before everything else.
  const accountCalls = admitted((op) => !op.startsWith('organizations:')) - 1;
  const inFlight = input.accountConcurrency * input.callConcurrency;
  const tWork = (accountCalls * latency) / inFlight;
  const tChain = CHAIN * latency;
  let tThrottle = 0;
  let throttleKey = 'none';
  for (const t of input.traffic) {
    if (t.family === 'organizations') continue;
    const q = input.quota(t.family);
    const need = Math.max(0, t.accepted - q.burst) / q.rate;
    if (need > tThrottle) {
      tThrottle = need;
      throttleKey = t.key;
    }
  }
  const seconds = latency + Math.max(tOrg, tTree + tChain, tWork, tThrottle);
  const phased = latency + tOrg + Math.max(tWork, tChain, tThrottle);
  const f = (x: number) => x.toFixed(2);
  return {
    seconds,
    phased,
    explain: [
      `lower bound = latency + max(T_org, T_tree + T_chain, T_work, T_throttle) = ${f(latency)} + max(${f(tOrg)}, ${f(tTree)} + ${f(tChain)}, ${f(tWork)}, ${f(tThrottle)}) = ${f(seconds)} s`,
      `  T_org      = (${orgCalls} organizations calls − burst ${orgQuota.burst}) / ${orgQuota.rate} per s = ${f(tOrg)} s`,
      `  T_tree     = (${treeCalls} tree-listing calls − burst ${orgQuota.burst}) / ${orgQuota.rate} per s = ${f(tTree)} s`,
      `  T_chain    = ${CHAIN} dependent calls × ${input.latencyMs.toFixed(0)} ms = ${f(tChain)} s`,
      `  T_work     = ${accountCalls} account calls × ${input.latencyMs.toFixed(0)} ms / (${input.accountConcurrency} accounts × ${input.callConcurrency} calls in flight) = ${f(tWork)} s`,
      `  T_throttle = busiest per-account quota bucket (${throttleKey}) = ${f(tThrottle)} s`,
      `  with the organization read before any account (latency + T_org + max(T_work, T_chain, T_throttle)): ${f(phased)} s`,
    ],
  };
}
