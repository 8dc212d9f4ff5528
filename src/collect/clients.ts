import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AccountClient } from '@aws-sdk/client-account';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { ServiceName } from './aws-actions.ts';

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
  /** Defaults to process.env.AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_S3, which the SDK also reads. */
  endpointUrl?: string;
}

export function defaultClientFactory(options: ClientFactoryOptions): ClientFactory {
  const s3Endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  return {
    startingCredentials: () =>
      options.credentials ?? (fromNodeProviderChain(options.profile ? { profile: options.profile } : {}) as CredentialProvider),
    client(service, region, credentials) {
      const common = {
        region,
        credentials,
        // The call runner retries with the SDK's adaptive strategy itself (so it also covers its own
        // per-call timeout); a second retry layer in the client would multiply attempts.
        maxAttempts: 1,
        requestHandler: { requestTimeout: options.callTimeoutMs, connectionTimeout: Math.min(options.callTimeoutMs, 10_000) },
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
          return new S3Client({ ...common, forcePathStyle: Boolean(s3Endpoint), followRegionRedirects: true });
        case 's3control':
          // S3 Control prefixes the host with the account id, which an emulator's endpoint cannot resolve.
          return new S3ControlClient({ ...common, disableHostPrefix: Boolean(s3Endpoint) });
        case 'logs':
          return new CloudWatchLogsClient(common);
        case 'account':
          return new AccountClient(common);
      }
    },
  };
}
