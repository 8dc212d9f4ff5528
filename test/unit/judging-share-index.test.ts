/**
 * What a judging thread beside workers holds of the organization (parallel.ts indexForShare): the
 * placements, header accounts and SCP targets of the accounts it judges, and the roots' and OUs'
 * targets, so that its model answers for them as the whole index does.
 */
import { describe, expect, it } from 'vitest';
import { indexForShare } from '../../src/evaluate/parallel.ts';
import { accountLinesPart, buildIndex } from '../../src/model/index.ts';
import { evaluateScpProtection } from '../../src/model/scp-evaluate.ts';
import { readSnapshotFully } from '../../src/snapshot/read.ts';

describe("a judging thread's index of its share", async () => {
  const demo = await readSnapshotFully('examples/demo-org.snapshot.jsonl');
  const whole = buildIndex(structuredClone(demo.header), demo.accounts);
  const judged = new Set(['111111111111', '555555555555']);
  const header = structuredClone(demo.header);
  const share = indexForShare(header, accountLinesPart(whole), judged);
  const treeIds = new Set([...demo.header.roots.value!, ...demo.header.organizationalUnits.value!].map((node) => node.Id));

  it("keeps of the header's accounts and SCP targets only the accounts it judges, and every root's and OU's targets", () => {
    expect(header.accounts.value!.map((a) => a.Id).sort()).toEqual([...judged]);
    const targets = (h: typeof header) => h.policies.value!.flatMap((p) => (p.Targets.value ?? []).map((t) => t.TargetId));
    const before = targets(demo.header);
    expect(before.filter((id) => !treeIds.has(id)).length).toBeGreaterThan(judged.size); // the demo attaches FullAWSAccess to every account
    expect(targets(header)).toEqual(before.filter((id) => treeIds.has(id) || judged.has(id)));
    expect([...share.placements.keys()].sort()).toEqual([...judged]);
  });

  it('answers for those accounts as the whole index does, and counts every account of the organization', () => {
    expect(share.organization).toEqual(whole.organization);
    for (const id of judged) {
      expect(share.placements.get(id)).toEqual(whole.placements.get(id));
      for (const action of ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail']) expect(evaluateScpProtection(share, id, action)).toEqual(evaluateScpProtection(whole, id, action));
    }
  });
});
