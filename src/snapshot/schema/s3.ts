/** Amazon S3: the bucket listing and the configuration read of a bucket. Part of the snapshot schema's one source (../schema-source.ts). */
import { arrayOf, aws, awsEnum, awsTimestamp, bool, doc, fetched, int, nonEmpty, ref, type Schema, str, strict } from './vocabulary.ts';

export const S3: Record<string, Schema> = {
  BucketListing: aws({ Name: nonEmpty, CreationDate: awsTimestamp, BucketRegion: str }, ['Name']),
  PublicAccessBlock: aws({ BlockPublicAcls: bool, IgnorePublicAcls: bool, BlockPublicPolicy: bool, RestrictPublicBuckets: bool }),
  // Enumerations the model decides by are closed: a value AWS adds later is kept as it came and
  // makes the facts built from it unknown, rather than being read as "not COMPLIANCE", "not Enabled".
  ObjectLockConfiguration: aws({
    ObjectLockEnabled: awsEnum('Enabled'),
    Rule: aws({ DefaultRetention: aws({ Mode: awsEnum('GOVERNANCE', 'COMPLIANCE'), Days: int, Years: int }) }),
  }),
  LifecycleFilter: aws({
    Prefix: str,
    Tag: ref('Tag'),
    ObjectSizeGreaterThan: int,
    ObjectSizeLessThan: int,
    And: aws({ Prefix: str, Tags: arrayOf(ref('Tag')), ObjectSizeGreaterThan: int, ObjectSizeLessThan: int }),
  }),
  LifecycleRule: aws(
    {
      ID: str,
      Status: awsEnum('Enabled', 'Disabled'),
      Filter: ref('LifecycleFilter'),
      Prefix: doc('Legacy top-level prefix.', str),
      Expiration: aws({ Days: int, Date: awsTimestamp, ExpiredObjectDeleteMarker: bool }),
      NoncurrentVersionExpiration: aws({ NoncurrentDays: int, NewerNoncurrentVersions: int }),
      Transitions: arrayOf(aws({ Days: int, Date: awsTimestamp, StorageClass: str })),
      NoncurrentVersionTransitions: arrayOf(aws({ NoncurrentDays: int, StorageClass: str })),
    },
    ['Status'],
  ),
  BucketVersioning: aws({
    Status: doc('Absent: never enabled.', awsEnum('Enabled', 'Suspended')),
    MFADelete: awsEnum('Enabled', 'Disabled'),
  }),
  BucketEncryption: aws(
    {
      Rules: arrayOf(
        aws({
          ApplyServerSideEncryptionByDefault: aws({ SSEAlgorithm: awsEnum('AES256', 'aws:kms', 'aws:kms:dsse'), KMSMasterKeyID: str }, ['SSEAlgorithm']),
          BucketKeyEnabled: bool,
        }),
      ),
    },
    ['Rules'],
  ),
  BucketLogging: aws({ LoggingEnabled: aws({ TargetBucket: nonEmpty, TargetPrefix: str }, ['TargetBucket']) }),
  BucketPolicyStatus: doc('GetBucketPolicyStatus.', aws({ IsPublic: bool }, ['IsPublic'])),
  BucketRecord: doc(
    "What was read about one bucket, with its owner's credentials. Only `region` and `tags` are " +
      'read for every bucket; the rest only for buckets that matter (trail destinations, PII candidates).',
    strict(
      {
        Name: nonEmpty,
        region: fetched(nonEmpty),
        tags: fetched(arrayOf(ref('Tag'))),
        objectLock: fetched(ref('ObjectLockConfiguration')),
        lifecycle: fetched(arrayOf(ref('LifecycleRule'))),
        versioning: fetched(ref('BucketVersioning')),
        publicAccessBlock: fetched(ref('PublicAccessBlock')),
        policyStatus: fetched(ref('BucketPolicyStatus')),
        policy: doc('The bucket policy JSON string.', fetched(str)),
        encryption: fetched(ref('BucketEncryption')),
        logging: fetched(ref('BucketLogging')),
      },
      ['Name', 'region', 'tags'],
    ),
  ),
};
