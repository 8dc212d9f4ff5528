import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { expect, it } from 'vitest';
import { AccountSession } from '../../src/collect/session.ts';

it('sends each retry as a fresh copy of the command (an S3 Control command refuses to be sent twice)', async () => {
  const sent: object[] = [];
  const session = new AccountSession('111111111111', async () => ({ accessKeyId: 'k', secretAccessKey: 's' }), {
    factory: {
      startingCredentials: () => async () => ({ accessKeyId: 'k', secretAccessKey: 's' }),
      client: () => ({
        send: async (command: object) => {
          sent.push(command);
          if (sent.length === 1) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
          return { PublicAccessBlockConfiguration: { BlockPublicAcls: true } };
        },
      }),
    },
    callConcurrency: 1,
    callTimeoutMs: 1_000,
    maxAttempts: 3,
    retryBackoffMs: 1,
    rateLimiter: { getSendToken: async () => undefined, updateClientSendingRate: () => undefined },
  });
  const command = new GetPublicAccessBlockCommand({ AccountId: '111111111111' });
  const outcome = await session.call('s3control', 'us-east-1', command);
  expect(outcome.ok).toBe(true);
  expect(sent).toHaveLength(2);
  expect(sent[0]).toBe(command);
  expect(sent[1]).not.toBe(command);
  expect(sent[1]).toBeInstanceOf(GetPublicAccessBlockCommand);
  expect((sent[1] as GetPublicAccessBlockCommand).input).toEqual(command.input);
});
