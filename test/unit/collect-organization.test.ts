import { afterEach, describe, expect, it } from 'vitest';
import { FakeAws } from '../fixtures/aws/fake-aws.ts';
import { collect } from '../fixtures/aws/collect-run.ts';
import { writeSnapshot } from '../../src/snapshot/write.ts';

let fake: FakeAws | undefined;
afterEach(() => fake?.restore());

describe('collectOrganization', () => {
  it('smoke', async () => {
    fake = new FakeAws();
    const { header, records } = await collect();
    console.log(JSON.stringify(fake.counts(), null, 1));
    console.log(JSON.stringify(header.scope), JSON.stringify(header.errors));
    const errs = JSON.stringify(records).match(/"error":\{[^}]*\}/g);
    console.log(errs?.slice(0, 10));
    await writeSnapshot('/tmp/collect-smoke.jsonl', header, records);
  });
});
