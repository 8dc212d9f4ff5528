import { AdaptiveRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import type { ApiError } from '../snapshot/types.ts';
import { listedAction, type ServiceName } from './aws-actions.ts';
import type { AwsClient, ClientFactory, CredentialProvider } from './clients.ts';
import { Limiter } from './limit.ts';
import type { Pacer } from './pace.ts';
import { deterministicFailure } from './non-aws-answers.ts';

export type CallEvent =
  | { type: 'call'; accountId: string; region: string; operation: string }
  | { type: 'call-failed'; error: ApiError };

/** Knobs shared by every session of one collection. */
export interface CallSettings {
  factory: ClientFactory;
  callConcurrency: number;
  callTimeoutMs: number;
  maxAttempts: number;
  /** Tests shrink the backoff; production keeps the SDK's (exponential with jitter, 1 s base when throttled). */
  retryBackoffMs?: number;
  /** Tests replace the adaptive rate limiter, whose token bucket would otherwise pace them for seconds. */
  rateLimiter?: { getSendToken(): Promise<void>; updateClientSendingRate(info: unknown): void };
  /** Client-side pacing per service (shared by every session), for quotas known in advance. */
  pacers?: Partial<Record<ServiceName, Pacer>>;
  onEvent?: (event: CallEvent) => void;
}

export type CallOutcome<O> = { ok: true; output: O } | { ok: false; error: ApiError };

type RetryToken = Parameters<AdaptiveRetryStrategy['recordSuccess']>[0];

type CommandLike = { input: unknown; constructor: { name: string } };

/**
 * Everything one account is read with: its credentials, one client per (service, region), one
 * adaptive retry strategy per client (as the SDK would have), and a bound on calls in flight.
 */
export class AccountSession {
  private readonly clients = new Map<string, { client: AwsClient; retry: AdaptiveRetryStrategy }>();
  private readonly limiter: Limiter;

  constructor(
    /** Empty until sts:GetCallerIdentity names the starting account. */
    public accountId: string,
    private readonly credentials: CredentialProvider,
    private readonly settings: CallSettings,
  ) {
    this.limiter = new Limiter(settings.callConcurrency);
  }

  /**
   * Sends one command; never throws for an AWS failure, which comes back as an ApiError.
   * `notConfigured` codes are answers ("no lifecycle configuration"), not failures: they are not
   * retried by the strategy's judgement alone and not reported as failed calls. `maxAttempts`
   * lowers the strategy's attempts for one call.
   */
  async call<O>(service: ServiceName, region: string, command: CommandLike, notConfigured: readonly string[] = [], maxAttempts = Infinity): Promise<CallOutcome<O>> {
    const operationName = command.constructor.name.replace(/Command$/, '');
    if (!listedAction(service, operationName)) {
      // A programming error, not an AWS answer: the IAM policy we publish would not allow it.
      throw new Error(`${service}:${operationName} is not in src/collect/aws-actions.ts`);
    }
    const operation = `${service}:${operationName}`;
    const { client, retry } = this.clientFor(service, region);
    // Pacing (the adaptive rate limiter's send token) and backoff pauses happen outside the
    // limiter: a slot is a call in flight, so a throttled service waiting for its turn does not
    // hold slots that another service or region of the same session could use.
    // The strategy hands back the StandardRetryToken its own methods expect; its interface just types it wider.
    let token = (await retry.acquireInitialRetryToken(`${service}:${region}`)) as RetryToken;
    const pacer = this.settings.pacers?.[service];
    for (let attempt = 1; ; attempt++) {
      try {
        await pacer?.take();
        const output = (await this.limiter.run(() => {
          this.settings.onEvent?.({ type: 'call', accountId: this.accountId, region, operation });
          return this.sendWithTimeout(client, attempt === 1 ? command : freshCopy(command));
        })) as O;
        retry.recordSuccess(token);
        return { ok: true as const, output };
      } catch (err) {
        const sdkError = asSdkError(err);
        if (notConfigured.includes(sdkError.name)) return { ok: false as const, error: toApiError(sdkError, operation, this.accountId, region) };
        const deterministic = deterministicFailure(sdkError, operation);
        if (deterministic) {
          // Asking again would get the same page: recorded at once, in plain words.
          const error: ApiError = { operation, ...deterministic, accountId: this.accountId, region };
          this.settings.onEvent?.({ type: 'call-failed', error });
          return { ok: false as const, error };
        }
        try {
          if (attempt >= maxAttempts) throw sdkError;
          token = (await retry.refreshRetryTokenForRetry(token, { error: sdkError as never, errorType: errorType(sdkError) })) as RetryToken;
        } catch {
          const error = toApiError(sdkError, operation, this.accountId, region);
          this.settings.onEvent?.({ type: 'call-failed', error });
          return { ok: false as const, error };
        }
      }
    }
  }

  private clientFor(service: ServiceName, region: string) {
    const key = `${service}@${region}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const s = this.settings;
      const backoff = s.retryBackoffMs;
      entry = {
        client: s.factory.client(service, region, this.credentials),
        retry: new AdaptiveRetryStrategy(s.maxAttempts, {
          maxAttempts: s.maxAttempts,
          ...(backoff !== undefined ? { backoff: { setDelayBase: () => undefined, computeNextBackoffDelay: () => backoff } } : {}),
          ...(s.rateLimiter ? { rateLimiter: s.rateLimiter as never } : {}),
        }),
      };
      this.clients.set(key, entry);
    }
    return entry;
  }

  private async sendWithTimeout(client: AwsClient, command: CommandLike): Promise<unknown> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(Object.assign(new Error(`no answer within ${this.settings.callTimeoutMs} ms`), { name: 'TimeoutError' }));
      }, this.settings.callTimeoutMs);
    });
    try {
      return await Promise.race([client.send(command, { abortSignal: abort.signal }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  destroy(): void {
    for (const { client } of this.clients.values()) client.destroy?.();
    this.clients.clear();
  }
}

/**
 * A command for another attempt. An SDK command keeps the middleware its first send added, and
 * some clients (S3 Control: "Duplicate middleware name 'parseOutpostArnablesMiddleaware'") refuse
 * to add it twice, so a retried S3 Control call would fail for a reason of the SDK's own.
 */
function freshCopy(command: CommandLike): CommandLike {
  const Command = command.constructor as unknown as new (input: unknown) => CommandLike;
  return new Command(command.input);
}

type SdkError = Error & { $metadata?: { httpStatusCode?: number }; $fault?: string; Code?: string; code?: string };

function asSdkError(err: unknown): SdkError {
  if (err instanceof Error) return err as SdkError;
  return Object.assign(new Error(String(err)), { name: 'UnknownError' });
}

function errorType(e: SdkError): 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR' {
  const asArg = e as Parameters<typeof isThrottlingError>[0];
  if (isThrottlingError(asArg)) return 'THROTTLING';
  if (isTransientError(asArg)) return 'TRANSIENT';
  if (isServerError(asArg)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}

export function toApiError(e: Error & { Code?: string; code?: string }, operation: string, accountId: string, region: string): ApiError {
  // SDK service exceptions carry the AWS error code as their name; plain errors may carry Code/code.
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Error');
  return { operation, code, message: e.message || code, accountId, region };
}
