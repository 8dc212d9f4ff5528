/** AWS Organizations: the organization, its tree, accounts and service control policies. Part of the snapshot schema's one source (../schema-source.ts). */
import { arrayOf, aws, awsTimestamp, bool, doc, fetched, named, nonEmpty, ref, type Schema, str } from './vocabulary.ts';

export const ORGANIZATIONS: Record<string, Schema> = {
  Organization: aws(
    { Id: nonEmpty, Arn: str, MasterAccountId: nonEmpty, MasterAccountEmail: str, FeatureSet: doc('ALL or CONSOLIDATED_BILLING.', nonEmpty) },
    ['Id', 'MasterAccountId', 'FeatureSet'],
  ),
  Root: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      PolicyTypes: arrayOf(
        named(
          'PolicyTypeSummary',
          aws(
            { Type: doc('SERVICE_CONTROL_POLICY, ...', nonEmpty), Status: doc('ENABLED, PENDING_ENABLE or PENDING_DISABLE.', nonEmpty) },
            ['Type', 'Status'],
          ),
        ),
      ),
    },
    ['Id', 'PolicyTypes'],
  ),
  OrganizationalUnit: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      ParentId: doc('Id of the root or OU this OU sits in (from ListOrganizationalUnitsForParent).', nonEmpty),
    },
    ['Id', 'Name', 'ParentId'],
  ),
  OrgAccount: aws(
    {
      Id: nonEmpty,
      Arn: str,
      Name: str,
      Email: str,
      Status: doc('ACTIVE, SUSPENDED or PENDING_CLOSURE.', nonEmpty),
      State: str,
      JoinedMethod: str,
      JoinedTimestamp: awsTimestamp,
      ParentId: doc('Id of the root or OU the account sits in (from ListAccountsForParent / ListParents).', nonEmpty),
      Tags: arrayOf(ref('Tag')),
    },
    ['Id', 'Name', 'Status', 'ParentId'],
  ),
  PolicyTarget: aws(
    { TargetId: nonEmpty, Arn: str, Name: str, Type: doc('ROOT, ORGANIZATIONAL_UNIT or ACCOUNT.', nonEmpty) },
    ['TargetId', 'Type'],
  ),
  ServiceControlPolicy: doc(
    'One service control policy, read once: ListPolicies → DescribePolicy + ListTargetsForPolicy.',
    aws(
      {
        Id: nonEmpty,
        Arn: str,
        Name: str,
        Description: str,
        AwsManaged: bool,
        Content: doc('The policy document as AWS returned it: a JSON string.', fetched(str)),
        Targets: fetched(arrayOf(ref('PolicyTarget'))),
      },
      ['Id', 'Name', 'Content', 'Targets'],
    ),
  ),
};
