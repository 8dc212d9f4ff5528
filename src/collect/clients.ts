import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AccountClient } from '@aws-sdk/client-account';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ServiceName } from './aws-actions.ts';
import { refuseNonAwsAnswers } from './non-aws-answers.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type CredentialProvider = () => Promise<AwsCredentials>;

/** What the collector needs of an SDK client: send a command, with an abort signal. */
export interface AwsClient {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy?(): void;
}

/** Builds SDK clients; tests inject starting credentials, everything else is the real SDK. */
export interface ClientFactory {
  startingCredentials(): CredentialProvider;
  client(service: ServiceName, region: string, credentials: CredentialProvider): AwsClient;
}

export interface ClientFactoryOptions {
  profile?: string;
  callTimeoutMs: number;
  /** Overrides the default credential chain (tests). */
  credentials?: CredentialProvider;
  /** One endpoint for every client; without it the SDK reads AWS_ENDPOINT_URL(_<SERVICE>) and the profile's endpoint_url. */
  endpointUrl?: string;
  /** false: each client opens its own connections, as the SDK does by default (the bench's "before"). */
  shareConnections?: boolean;
}

export function defaultClientFactory(options: ClientFactoryOptions): ClientFactory {
  if (options.profile && !options.credentials) {
    // The SDK reads a profile's endpoint_url and services section from AWS_PROFILE only, never from
    // the profile a client was given; the AWS CLI's --profile selects them, and so must ours.
    process.env.AWS_PROFILE = options.profile;
  }
  const timeouts = { requestTimeout: options.callTimeoutMs, connectionTimeout: Math.min(options.callTimeoutMs, 10_000) };
  const requestHandler = options.shareConnections === false ? timeouts : sharedRequestHandler(timeouts);
  const settled = new Map<ServiceName, Promise<SettledSettings>>();
  return {
    startingCredentials: () =>
      options.credentials ?? (fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) as CredentialProvider),
    client(service, region, credentials) {
      return lazyClient(async () => {
        let settings = settled.get(service);
        if (!settings) {
          // The service's first client looks its settings up as the SDK does; every later one is handed them.
          const first = refuseNonAwsAnswers(sdkClient(service, region, credentials, {}));
          settled.set(service, (settings = settle(first.config)));
          return first;
        }
        return refuseNonAwsAnswers(sdkClient(service, region, credentials, await settings));
      });
    },
  };

  function sdkClient(service: ServiceName, region: string, credentials: CredentialProvider, settings: SettledSettings) {
    const common = {
      ...settings,
      region,
      credentials,
      // The call runner retries with the SDK's adaptive strategy itself (so it also covers its own
      // per-call timeout); a second retry layer in the client would multiply attempts.
      maxAttempts: 1,
      requestHandler,
      ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    };
    switch (service) {
      case 'organizations':
        return new OrganizationsClient(common);
      case 'sts':
        return new STSClient(common);
      case 'cloudtrail':
        return new CloudTrailClient(common);
      case 's3':
        // Emulators (LocalStack, MinIO) serve buckets by path, not by virtual host.
        return onCustomEndpoint(new S3Client({ ...common, followRegionRedirects: true }), (params) => ({ ...params, ForcePathStyle: true }));
      case 's3control':
        // S3 Control's endpoint rules put the account id in front of the host ({AccountId}.{endpoint}),
        // which an emulator address cannot take (127.0.0.1 even fails URL parsing; disableHostPrefix
        // does not reach the rules). The x-amz-account-id header still names the account.
        return onCustomEndpoint(new S3ControlClient(common), ({ AccountId: _, ...params }) => ({ ...params, RequiresAccountId: false }));
      case 'logs':
        return new CloudWatchLogsClient(common);
      case 'account':
        return new AccountClient(common);
      case 'ec2':
        return new EC2Client(common);
      case 'cloudwatch':
        return new CloudWatchClient(common);
      case 'sns':
        return new SNSClient(common);
      case 'events':
        return new EventBridgeClient(common);
      case 'guardduty':
        return new GuardDutyClient(common);
    }
  }
}

/**
 * Client settings the SDK otherwise looks up again for every client it builds: each one a chain over
 * the environment and the shared config files (~/.aws/config), whose misses throw and catch an
 * error apiece. They cannot differ between clients of one service in one process (the profile is
 * the process's, AWS_PROFILE), so they are read once, from the service's first client, and handed
 * to the others as constants. The endpoint configured for the service (AWS_ENDPOINT_URL_<SERVICE>,
 * the profile's services section) is one of them.
 */
type SettledSettings = Record<string, unknown>;
const SETTLED_KEYS = [
  'useFipsEndpoint', 'useDualstackEndpoint', 'userAgentAppId', 'authSchemePreference', 'retryMode', 'defaultsMode',
  'requestChecksumCalculation', 'responseChecksumValidation', 'sigv4aSigningRegionSet', 'useArnRegion', 'disableS3ExpressSessionAuth',
] as const;

async function settle(config: object): Promise<SettledSettings> {
  const resolved = config as Record<string, unknown> & { isCustomEndpoint?: boolean; serviceConfiguredEndpoint?: () => Promise<string | undefined> };
  const settings: SettledSettings = {};
  for (const key of SETTLED_KEYS) {
    if (!(key in resolved)) continue;
    const setting = resolved[key];
    const value = typeof setting === 'function' ? await (setting as () => Promise<unknown>)() : setting;
    // A provider, not the bare value: a setting the SDK found unset (undefined) would otherwise be looked up again.
    settings[key] = () => Promise.resolve(value);
  }
  if (!resolved.isCustomEndpoint) {
    const configured = await resolved.serviceConfiguredEndpoint?.();
    if (configured) settings.endpoint = configured;
    else settings.ignoreConfiguredEndpointUrls = true;
  }
  return settings;
}

/** A client built on its first call, so building it may wait for the settled settings. */
function lazyClient(build: () => Promise<AwsClient>): AwsClient {
  let built: Promise<AwsClient> | undefined;
  return {
    send: async (command, options) => (await (built ??= build())).send(command, options),
    destroy: () => void built?.then((client) => client.destroy?.(), () => undefined),
  };
}

/**
 * One keep-alive connection pool for the whole process, shared by every SDK client. Left to
 * itself each client builds its own handler and agent, so the clients of every account, service
 * and region would open (and TLS-handshake) connections of their own; shared, a connection to an
 * endpoint is reused by whichever client calls it next, whatever credentials sign the request.
 * No socket cap: the collector's own limits (accounts × calls in flight) already bound them.
 */
const sharedAgents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** A client's destroy() destroys its handler's agents: the shared ones outlive every client. */
class SharedAgentHandler extends NodeHttpHandler {
  override destroy(): void {}
}

function sharedRequestHandler(timeouts: { requestTimeout: number; connectionTimeout: number }): NodeHttpHandler {
  return new SharedAgentHandler({ httpAgent: sharedAgents.http, httpsAgent: sharedAgents.https, ...timeouts });
}

type EndpointParams = Record<string, unknown> & { Endpoint?: string };
type EndpointProvider = (params: EndpointParams, context?: object) => unknown;

/**
 * Adjusts a client's endpoint-rule parameters when a custom endpoint is in use. The rules receive
 * `Endpoint` whatever set it (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, the profile's
 * endpoint_url, or the factory option), so this is the one place that sees every source.
 */
function onCustomEndpoint<C extends { config: object }>(client: C, adjust: (params: EndpointParams) => EndpointParams): C {
  const config = client.config as { endpointProvider: EndpointProvider };
  const resolve = config.endpointProvider;
  config.endpointProvider = (params, context) => resolve(params.Endpoint ? adjust(params) : params, context);
  return client;
}
