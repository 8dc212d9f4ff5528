/**
 * Why the first call (sts:GetCallerIdentity) failed, said so that the operator looks in the right
 * place: an endpoint that cannot be reached or does not answer is not a credentials problem, and a
 * profile that gives no credentials is named.
 */
import type { ApiError } from '../snapshot/types.ts';

/** Network failures: the request never got an answer. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);
const NOT_ANSWERING = new Set(['TimeoutError', 'RequestTimeout', 'AbortError']);

export interface IdentityContext {
  profile?: string;
  /** The endpoint every client was pointed at, when one was (AWS_ENDPOINT_URL and friends). */
  endpoint?: string;
  callTimeoutMs: number;
  attempts: number;
}

export function identityFailureMessage(error: ApiError, ctx: IdentityContext): string {
  const where = ctx.endpoint ? `the endpoint ${ctx.endpoint}` : 'the AWS STS endpoint';
  const said = `sts:GetCallerIdentity ${error.code}: ${error.message}`;
  if (NOT_ANSWERING.has(error.code)) {
    return `${where} accepts connections but is not answering (no answer within ${ctx.callTimeoutMs} ms, ${ctx.attempts} attempts); this is not a credentials problem: check the endpoint (AWS_ENDPOINT_URL, the profile's endpoint_url) or the network, or raise collection.callTimeoutMs`;
  }
  if (UNREACHABLE.has(error.code)) {
    return `${where} is unreachable (${said}); this is not a credentials problem: check the endpoint (AWS_ENDPOINT_URL, the profile's endpoint_url) or the network`;
  }
  if (error.code === 'CredentialsProviderError' || /credential/i.test(error.code)) {
    if (ctx.profile) {
      return `the AWS profile "${ctx.profile}" gives no credentials: is it defined in ${process.env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${process.env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}, with keys, SSO or a role? (${error.message})`;
    }
    return `no AWS credentials found (environment, AWS_PROFILE, ~/.aws files, SSO, instance or container role): pass --profile or set AWS_PROFILE (${error.message})`;
  }
  return `cannot read the starting AWS credentials (${said}); check --profile, AWS_PROFILE or the environment`;
}
