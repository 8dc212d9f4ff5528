/**
 * compareVerdicts and compareErrors are written out field by field (src/contracts/order.ts) for
 * speed; they must order exactly as `byKeys` over the same keys, the order every report promises.
 */
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../src/contracts/api-error.ts';
import { byKeys, compareErrors, compareVerdicts } from '../../src/contracts/order.ts';
import type { Verdict } from '../../src/contracts/verdict.ts';
import { prng } from '../bench/generate-org.ts';

/** Few distinct values per field (undefined and '' among them, which compare equal), so ties reach every later field. */
const VALUES = [undefined, '', 'a', 'B', 'ab', 'é', '\u{1F600}', 'z'];


const random = prng(22);
const pick = () => VALUES[Math.floor(random() * 3) + Math.floor(random() * (VALUES.length - 2))];

const verdicts = Array.from({ length: 600 }, (_, i) => ({
  ruleId: pick(),
  resource: { id: pick(), type: pick(), accountId: '111111111111' },
  status: pick(),
  message: pick(),
  seq: i,
})) as unknown as (Verdict & { seq: number })[];

const errors = Array.from({ length: 600 }, (_, i) => ({ accountId: pick(), region: pick(), operation: pick(), code: pick(), message: pick(), seq: i })) as unknown as (ApiError & {
  seq: number;
})[];

const sign = (n: number) => Math.sign(n);

describe('the canonical order written out', () => {
  it('compares verdicts as byKeys over rule, resource id, resource type, status and message', () => {
    const reference = byKeys<Verdict>((v) => v.ruleId, (v) => v.resource.id, (v) => v.resource.type, (v) => v.status, (v) => v.message);
    for (let i = 0; i < verdicts.length; i++) {
      for (let j = 0; j < 40; j++) {
        const [a, b] = [verdicts[i]!, verdicts[(i * 7 + j) % verdicts.length]!];
        expect(sign(compareVerdicts(a, b)), `${i} ${j}`).toBe(sign(reference(a, b)));
      }
    }
    expect([...verdicts].sort(compareVerdicts).map((v) => v.seq)).toEqual([...verdicts].sort(reference).map((v) => v.seq));
  });

  it('compares errors as byKeys over account, region, operation, code and message', () => {
    const reference = byKeys<ApiError>((e) => e.accountId, (e) => e.region, (e) => e.operation, (e) => e.code, (e) => e.message);
    for (let i = 0; i < errors.length; i++) {
      for (let j = 0; j < 40; j++) {
        const [a, b] = [errors[i]!, errors[(i * 7 + j) % errors.length]!];
        expect(sign(compareErrors(a, b)), `${i} ${j}`).toBe(sign(reference(a, b)));
      }
    }
    expect([...errors].sort(compareErrors).map((e) => e.seq)).toEqual([...errors].sort(reference).map((e) => e.seq));
  });
});
