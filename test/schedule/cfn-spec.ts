/**
 * What the offline template check knows about CloudFormation: the resource types the scheduled-audit
 * template may use, with their properties (from the CloudFormation resource reference), the
 * properties CloudFormation requires (plus a few this project requires of a Fargate audit task),
 * and the attributes `!GetAtt` may read. A type, property or attribute that is not listed is an
 * error: extend the list from the reference when the template needs more.
 */
export interface ResourceSpec {
  required: string[];
  properties: string[];
  attributes: string[];
}

export const RESOURCE_SPECS: Record<string, ResourceSpec> = {
  'AWS::S3::Bucket': {
    required: [],
    properties: [
      'AccelerateConfiguration', 'AccessControl', 'AnalyticsConfigurations', 'BucketEncryption', 'BucketName',
      'CorsConfiguration', 'IntelligentTieringConfigurations', 'InventoryConfigurations', 'LifecycleConfiguration',
      'LoggingConfiguration', 'MetricsConfigurations', 'NotificationConfiguration', 'ObjectLockConfiguration',
      'ObjectLockEnabled', 'OwnershipControls', 'PublicAccessBlockConfiguration', 'ReplicationConfiguration', 'Tags',
      'VersioningConfiguration', 'WebsiteConfiguration',
    ],
    attributes: ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'],
  },
  'AWS::S3::BucketPolicy': { required: ['Bucket', 'PolicyDocument'], properties: ['Bucket', 'PolicyDocument'], attributes: [] },
  'AWS::KMS::Key': {
    // KeyPolicy is optional for CloudFormation (a default policy applies); this project wants it written down.
    required: ['KeyPolicy'],
    properties: [
      'BypassPolicyLockoutSafetyCheck', 'Description', 'EnableKeyRotation', 'Enabled', 'KeyPolicy', 'KeySpec', 'KeyUsage',
      'MultiRegion', 'Origin', 'PendingWindowInDays', 'RotationPeriodInDays', 'Tags',
    ],
    attributes: ['Arn', 'KeyId'],
  },
  'AWS::KMS::Alias': { required: ['AliasName', 'TargetKeyId'], properties: ['AliasName', 'TargetKeyId'], attributes: [] },
  'AWS::Logs::LogGroup': {
    required: [],
    properties: ['DataProtectionPolicy', 'FieldIndexPolicies', 'KmsKeyId', 'LogGroupClass', 'LogGroupName', 'RetentionInDays', 'Tags'],
    attributes: ['Arn'],
  },
  'AWS::ECS::Cluster': {
    required: [],
    properties: ['CapacityProviders', 'ClusterName', 'ClusterSettings', 'Configuration', 'DefaultCapacityProviderStrategy', 'ServiceConnectDefaults', 'Tags'],
    attributes: ['Arn'],
  },
  'AWS::ECS::TaskDefinition': {
    // None is required by CloudFormation; a Fargate task that runs the audit needs these.
    required: ['ContainerDefinitions', 'Cpu', 'Memory', 'NetworkMode', 'RequiresCompatibilities', 'ExecutionRoleArn', 'TaskRoleArn'],
    properties: [
      'ContainerDefinitions', 'Cpu', 'EnableFaultInjection', 'EphemeralStorage', 'ExecutionRoleArn', 'Family', 'InferenceAccelerators',
      'IpcMode', 'Memory', 'NetworkMode', 'PidMode', 'PlacementConstraints', 'ProxyConfiguration', 'RequiresCompatibilities',
      'RuntimePlatform', 'Tags', 'TaskRoleArn', 'Volumes',
    ],
    attributes: ['TaskDefinitionArn'],
  },
  'AWS::EC2::SecurityGroup': {
    required: ['GroupDescription'],
    properties: ['GroupDescription', 'GroupName', 'SecurityGroupEgress', 'SecurityGroupIngress', 'Tags', 'VpcId'],
    attributes: ['GroupId', 'VpcId'],
  },
  'AWS::IAM::Role': {
    required: ['AssumeRolePolicyDocument'],
    properties: ['AssumeRolePolicyDocument', 'Description', 'ManagedPolicyArns', 'MaxSessionDuration', 'Path', 'PermissionsBoundary', 'Policies', 'RoleName', 'Tags'],
    attributes: ['Arn', 'RoleId'],
  },
  'AWS::Scheduler::Schedule': {
    required: ['FlexibleTimeWindow', 'ScheduleExpression', 'Target'],
    properties: [
      'Description', 'EndDate', 'FlexibleTimeWindow', 'GroupName', 'KmsKeyArn', 'Name', 'ScheduleExpression',
      'ScheduleExpressionTimezone', 'StartDate', 'State', 'Target',
    ],
    attributes: ['Arn'],
  },
};

/** Nested shapes checked the same way: required and known keys. */
export const NESTED_SPECS = {
  containerDefinition: {
    required: ['Name', 'Image'],
    properties: [
      'Command', 'Cpu', 'DependsOn', 'DisableNetworking', 'EntryPoint', 'Environment', 'EnvironmentFiles', 'Essential',
      'HealthCheck', 'LinuxParameters', 'LogConfiguration', 'Memory', 'MemoryReservation', 'MountPoints', 'Name', 'Image',
      'PortMappings', 'ReadonlyRootFilesystem', 'Secrets', 'StartTimeout', 'StopTimeout', 'Ulimits', 'User', 'VolumesFrom',
      'WorkingDirectory',
    ],
  },
  scheduleTarget: {
    required: ['Arn', 'RoleArn'],
    properties: [
      'Arn', 'DeadLetterConfig', 'EcsParameters', 'EventBridgeParameters', 'Input', 'KinesisParameters', 'RetryPolicy', 'RoleArn',
      'SageMakerPipelineParameters', 'SqsParameters',
    ],
  },
  ecsParameters: {
    required: ['TaskDefinitionArn'],
    properties: [
      'CapacityProviderStrategy', 'EnableECSManagedTags', 'EnableExecuteCommand', 'Group', 'LaunchType', 'NetworkConfiguration',
      'PlacementConstraints', 'PlacementStrategy', 'PlatformVersion', 'PropagateTags', 'ReferenceId', 'Tags', 'TaskCount',
      'TaskDefinitionArn',
    ],
  },
} satisfies Record<string, { required: string[]; properties: string[] }>;

export const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);

export const PARAMETER_TYPES = new Set([
  'String', 'Number', 'List<Number>', 'CommaDelimitedList', 'AWS::EC2::VPC::Id', 'AWS::EC2::Subnet::Id', 'List<AWS::EC2::Subnet::Id>',
  'AWS::EC2::SecurityGroup::Id', 'List<AWS::EC2::SecurityGroup::Id>', 'AWS::SSM::Parameter::Value<String>',
]);

export const TEMPLATE_SECTIONS = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs',
]);

export const RESOURCE_KEYS = new Set([
  'Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition', 'Metadata', 'CreationPolicy', 'UpdatePolicy',
]);
