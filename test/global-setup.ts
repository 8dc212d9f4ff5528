import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary folder a test (or a CLI it spawns) makes goes under one folder per run, removed
 * at the end, so test runs leave nothing behind in the machine's temp directory.
 *
 * The AWS settings of the machine running the tests are not the tests': the SDK reads AWS_* variables
 * and ~/.aws/ in every test that builds real clients (in-process or in a spawned CLI), and a
 * developer's AWS_PROFILE, a CI's injected credentials, AWS_ENDPOINT_URL or AWS_USE_FIPS_ENDPOINT
 * changed what those tests saw (credentials skipped, warnings on stderr, endpoints refused). Each test
 * sets what it needs; the rest of the AWS environment is empty. (Worker processes and the CLIs they
 * spawn inherit this environment, as they inherit TMPDIR.)
 */
export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'trailproof-tests-'));
  process.env.TMPDIR = root;
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  process.env.AWS_CONFIG_FILE = join(root, 'no-aws-config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(root, 'no-aws-credentials');
  return () => rmSync(root, { recursive: true, force: true });
}
