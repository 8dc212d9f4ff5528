/** Log integrity (verify-logs; the verifier is src/collect/integrity, its other contracts src/snapshot/log-integrity.ts). Part of the snapshot schema's one source (../schema-source.ts). */
import { FINDING_KINDS } from '../finding-kinds.ts';
import { arrayOf, doc, int, isoTime, named, nonEmpty, ref, type Schema, str, strict, strings } from './vocabulary.ts';

export const LOG_INTEGRITY: Record<string, Schema> = {
  LogIntegrityWindow: named('VerifyWindow', strict({ from: doc('ISO-8601, inclusive.', isoTime), to: doc('ISO-8601, exclusive.', isoTime) }, ['from', 'to'])),
  LogIntegrityRun: doc(
    'How the log-integrity verification recorded in this snapshot was run.',
    strict(
      {
        verifiedAt: isoTime,
        window: ref('LogIntegrityWindow'),
        hashLogs: doc('all | none | sample:N', { type: 'string', pattern: '^(all|none|sample:[1-9][0-9]*)$' }),
        sampleSeed: str,
        maxDigestAgeHours: { type: 'number', exclusiveMinimum: 0 },
      },
      ['verifiedAt', 'window', 'hashLogs', 'maxDigestAgeHours'],
    ),
  ),
  LogIntegrityReport: named(
    'TrailRegionReport',
    strict(
      {
        target: named(
          'IntegrityTarget',
          doc(
            "One trail's delivery into one region's digest chain, for one account.",
            strict(
              {
                trailArn: nonEmpty,
                trailName: nonEmpty,
                accountId: doc('The account whose logs these are (a member account for an organization trail).', nonEmpty),
                region: nonEmpty,
                bucket: nonEmpty,
                keyPrefix: doc("The trail's S3KeyPrefix, without the trailing slash; empty when none.", str),
                organizationId: doc('Set for organization trails: their objects sit under AWSLogs/<org-id>/<account>/.', str),
              },
              ['trailArn', 'trailName', 'accountId', 'region', 'bucket', 'keyPrefix'],
            ),
          ),
        ),
        window: ref('LogIntegrityWindow'),
        outcome: named('IntegrityOutcome', { enum: ['verified', 'failed', 'incomplete'] }),
        digests: strict(
          {
            expected: int,
            found: int,
            signatureValid: int,
            chained: int,
            missing: int,
            restarts: doc('Chains that start inside the window after StopLogging/StartLogging (not breaks).', strings),
          },
          ['expected', 'found', 'signatureValid', 'chained', 'missing', 'restarts'],
        ),
        logs: strict(
          {
            listed: int,
            hashed: int,
            valid: int,
            modified: int,
            missing: int,
            unreadable: int,
            presentNotHashed: doc('Present in the listing, not hashed (sampling or --hash-logs none).', int),
            unlisted: int,
            bytesHashed: int,
          },
          ['listed', 'hashed', 'valid', 'modified', 'missing', 'unreadable', 'presentNotHashed', 'unlisted', 'bytesHashed'],
        ),
        newestDigest: strict({ key: str, endTime: str, ageHours: { type: 'number' }, latestDigestDeliveryTime: str, latestDigestDeliveryError: str }),
        findings: doc(
          'Integrity problems, in hour order; the first one is the evidence a report leads with.',
          arrayOf(
            named(
              'Finding',
              strict(
                {
                  kind: named('FindingKind', {
                    ...nonEmpty,
                    tsType: FINDING_KINDS.map((kind) => `'${kind}'`).join(' | '),
                  }),
                  object: doc('The S3 key of the object concerned (bucket-relative); for a missing digest, the key expected.', str),
                  hour: doc("The digest hour (digestStartTime) or the log file's time, ISO.", str),
                  detail: str,
                },
                ['kind', 'object', 'hour', 'detail'],
              ),
            ),
          ),
        ),
        unreadable: doc(
          'What could not be read: the reason the outcome is incomplete.',
          arrayOf(
            named(
              'ReadFailure',
              strict(
                {
                  operation: doc('"s3:GetObject", "s3:ListObjectsV2", "cloudtrail:ListPublicKeys", "kms:Decrypt"...', nonEmpty),
                  code: nonEmpty,
                  message: str,
                  object: str,
                  accountId: str,
                  region: str,
                },
                ['operation', 'code', 'message'],
              ),
            ),
          ),
        ),
      },
      ['target', 'window', 'outcome', 'digests', 'logs', 'newestDigest', 'findings', 'unreadable'],
    ),
  ),
};
