import { describe, expect, it } from 'vitest';
import { deterministicFailure } from '../../src/collect/non-aws-answers.ts';
import { identityFailureMessage } from '../../src/collect/starting-identity.ts';

const sdkError = (name: string, message: string, status?: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name, ...(status !== undefined ? { $metadata: { httpStatusCode: status } } : {}), ...extra });

describe('deterministicFailure: answers asking again cannot change', () => {
  const OP = 'cloudtrail:ListEventDataStores';
  it('words an emulator\'s "not implemented" 500 plainly', () => {
    const e = sdkError('InternalFailure', "API action 'ListEventDataStores' for service 'cloudtrail' not yet implemented", 500, { $fault: 'server' });
    expect(deterministicFailure(e, OP)).toEqual({
      code: 'NotImplemented',
      message: "the endpoint does not implement cloudtrail:ListEventDataStores (HTTP 500: API action 'ListEventDataStores' for service 'cloudtrail' not yet implemented)",
    });
  });
  it('takes a 501 and an HTML 404 as not implemented, without the SDK\'s parser text', () => {
    const parse = sdkError('SyntaxError', 'Unexpected token \'N\'\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', 501, { $response: { statusCode: 501 } });
    expect(deterministicFailure(parse, OP)).toEqual({ code: 'NotImplemented', message: 'the endpoint does not implement cloudtrail:ListEventDataStores (HTTP 501)' });
    expect(deterministicFailure(sdkError('NotAnAwsAnswer', 'an HTML page', 404), OP)?.message).toBe(
      'the endpoint does not implement cloudtrail:ListEventDataStores (HTTP 404 with an HTML page, not an AWS answer)',
    );
  });
  it('says an empty or unreadable 200 is not an AWS answer', () => {
    expect(deterministicFailure(sdkError('NotAnAwsAnswer', 'an empty body', 200), OP)).toEqual({
      code: 'NotAnAwsAnswer',
      message: 'the endpoint answered cloudtrail:ListEventDataStores with an empty body (HTTP 200), not an AWS answer',
    });
    const truncated = sdkError('SyntaxError', 'Unexpected end of JSON input\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', 200, { $response: { statusCode: 200 } });
    expect(deterministicFailure(truncated, OP)?.message).toBe("the endpoint's answer to cloudtrail:ListEventDataStores is not a readable AWS answer (HTTP 200: Unexpected end of JSON input)");
  });
  it('leaves AWS\'s own errors, throttling and timeouts to the retry policy', () => {
    expect(deterministicFailure(sdkError('InternalFailure', 'We encountered an internal error. Please try again.', 500, { $fault: 'server' }), OP)).toBeUndefined();
    expect(deterministicFailure(sdkError('ThrottlingException', 'Rate exceeded', 400, { $fault: 'client' }), OP)).toBeUndefined();
    expect(deterministicFailure(sdkError('TimeoutError', 'no answer within 1000 ms'), OP)).toBeUndefined();
    expect(deterministicFailure(sdkError('AccessDeniedException', 'not authorized', 400, { $fault: 'client' }), OP)).toBeUndefined();
  });
});

describe('identityFailureMessage: the first call says where to look', () => {
  const ctx = { callTimeoutMs: 1000, attempts: 2 };
  const err = (code: string, message: string) => ({ operation: 'sts:GetCallerIdentity', code, message });
  it('an endpoint that does not answer or cannot be reached is not a credentials problem', () => {
    expect(identityFailureMessage(err('TimeoutError', 'no answer'), { ...ctx, endpoint: 'http://127.0.0.1:4566' })).toMatch(
      /^the endpoint http:\/\/127\.0\.0\.1:4566 accepts connections but is not answering \(no answer within 1000 ms, 2 attempts\); this is not a credentials problem/,
    );
    expect(identityFailureMessage(err('ECONNREFUSED', 'connect ECONNREFUSED'), ctx)).toMatch(/^the AWS STS endpoint is unreachable .*not a credentials problem/);
  });
  it('names the profile that gave no credentials', () => {
    expect(identityFailureMessage(err('CredentialsProviderError', 'Could not load credentials from any providers'), { ...ctx, profile: 'nosuch' })).toMatch(/^the AWS profile "nosuch" gives no credentials/);
    expect(identityFailureMessage(err('CredentialsProviderError', 'Could not load credentials from any providers'), ctx)).toMatch(/^no AWS credentials found/);
  });
  it('keeps pointing at the credentials for what AWS refused', () => {
    expect(identityFailureMessage(err('InvalidClientTokenId', 'The security token included in the request is invalid.'), ctx)).toMatch(/check --profile/);
  });
});
