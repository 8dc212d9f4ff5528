import { describe, expect, it } from 'vitest';
import { isOwnedBy, trailOwner } from '../../src/model/model-index.ts';
import { detectiveInputs } from '../../src/model/detective-inputs.ts';
import type { AccountRecord } from '../../src/snapshot/types.ts';

describe('isOwnedBy', () => {
  const arns = [
    'arn:aws:cloudtrail:us-east-1:111111111111:trail/org',
    'arn:aws:cloudtrail:us-east-1:111111111111:eventdatastore/0b1c',
    'arn:aws:cloudtrail:us-east-1:1111111111112:trail/longer-id',
    'arn:aws:cloudtrail:us-east-1:11111111111:trail/shorter-id',
    'arn:aws:cloudtrail:us-east-1:111111111111',
    'arn:aws:cloudtrail:us-east-1',
    'not an arn',
    '',
  ];

  it('says what comparing trailOwner with the account says, for every shape of ARN', () => {
    for (const arn of arns) {
      for (const accountId of ['111111111111', '11111111111', '1111111111112', '']) {
        expect(isOwnedBy(arn, accountId), `${arn} / ${accountId}`).toBe(trailOwner(arn) === accountId);
      }
    }
  });

  it('does not take an account id that only begins the owner field for the owner', () => {
    expect(isOwnedBy('arn:aws:cloudtrail:us-east-1:1111111111112:trail/t', '111111111111')).toBe(false);
    expect(isOwnedBy('arn:aws:cloudtrail:us-east-1:111111111111:trail/t', '111111111111')).toBe(true);
  });
});

describe('detectiveInputs', () => {
  it('reads the first record of a region, as a search of the list would', () => {
    const first = { region: 'eu-west-1', trails: { value: [] }, detective: { marker: 1 } };
    const second = { region: 'eu-west-1', trails: { value: [] }, detective: { marker: 2 } };
    const record = { accountId: '111111111111', regions: [{ region: 'us-east-1', trails: { value: [] } }, first, second] } as unknown as AccountRecord;
    expect(detectiveInputs(record, 'eu-west-1').block).toBe(first.detective);
    expect(detectiveInputs(record, 'us-east-1').reason).toMatch(/no detective-control data/);
    expect(detectiveInputs(record, 'ap-south-1').reason).toBe('region ap-south-1 of account 111111111111 was not read');
  });
});
