import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AccountClient } from '@aws-sdk/client-account';
import { EC2Client } from '@aws-sdk/client-ec2';
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
  return {
    startingCredentials: () =>
      options.credentials ?? (fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) as CredentialProvider),
    client(service, region, credentials) {
      return refuseNonAwsAnswers(sdkClient(service, region, credentials));
    },
  };

  function sdkClient(service: ServiceName, region: string, credentials: CredentialProvider) {
    const common = {
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
    }
  }
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
