// An Inspector finding as Inspector's integration imports it into Security Hub, in the AWS
// Security Finding Format (ASFF). Sources: Inspector's Security Hub integration page (the
// product ARN, the three Types it sends, "aws/inspector/ProductVersion": "2" in
// ProductFields), Security Hub's ASFF pages (Severity.Normalized from the label:
// INFORMATIONAL 0, LOW 1, MEDIUM 40, HIGH 70, CRITICAL 90; RecordState, Workflow), and
// findings Inspector wrote to Security Hub as exported by its users (GeneratorId
// "AWSInspector", Id the finding ARN, the ProductFields' keys, times without milliseconds,
// an EC2 instance's resource id arn:…:ec2:<region>:<account>:<instance id>).
// Choices where AWS documents nothing: a code finding's type is the namespace and category
// alone ("Software and Configuration Checks/Vulnerabilities"), its vulnerability id its
// detector's id; an UNTRIAGED finding is labelled INFORMATIONAL (ASFF has no such label)
// with the original kept in Severity.Original.
// A pure function of the finding document: it reads every optional member defensively.
import type { AwsSecurityFinding, Cvss, Resource as AsffResource, SeverityLabel, SoftwarePackage, Vulnerability } from '@aws-sdk/client-securityhub';
import type { Finding } from '../world/findings/documents.js';

type InspectorResource = Finding['resources'][number];

const SCHEMA_VERSION = '2018-10-08';
/** As Inspector writes it in every finding it sends. */
const GENERATOR_ID = 'AWSInspector';

const TYPES: Record<Finding['type'], string> = {
  PACKAGE_VULNERABILITY: 'Software and Configuration Checks/Vulnerabilities/CVE',
  NETWORK_REACHABILITY: 'Software and Configuration Checks/AWS Security Best Practices/Network Reachability',
  CODE_VULNERABILITY: 'Software and Configuration Checks/Vulnerabilities',
};

const NORMALIZED: Record<SeverityLabel, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

const RESOURCE_TYPES: Partial<Record<InspectorResource['type'], string>> = {
  AWS_EC2_INSTANCE: 'AwsEc2Instance',
  AWS_ECR_CONTAINER_IMAGE: 'AwsEcrContainerImage',
  AWS_ECR_REPOSITORY: 'AwsEcrRepository',
  AWS_LAMBDA_FUNCTION: 'AwsLambdaFunction',
};

// ASFF's limits on the strings Inspector's may exceed.
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;

/**
 * Whether Inspector sends the finding to Security Hub: findings of code repositories
 * (Amazon Inspector Code Security) are not part of the integration.
 */
export function sentToSecurityHub(finding: Finding): boolean {
  return !finding.resources?.some((resource) => resource.type === 'CODE_REPOSITORY');
}

/** The Security Hub product ARN of Inspector's findings in a region. */
export function inspectorProductArn(partition: string, region: string): string {
  return `arn:${partition}:securityhub:${region}::product/aws/inspector`;
}

/** The finding in ASFF, for BatchImportFindings in its account and region. */
export function toAsff(finding: Finding, region: string, partition: string): AwsSecurityFinding {
  const label: SeverityLabel = finding.severity === 'UNTRIAGED' ? 'INFORMATIONAL' : finding.severity;
  const type = TYPES[finding.type] ?? TYPES.PACKAGE_VULNERABILITY;
  const firstObservedAt = timestamp(finding.firstObservedAt);
  const lastObservedAt = timestamp(finding.lastObservedAt) ?? firstObservedAt;
  const status = finding.status;
  const vulnerability = vulnerabilityOf(finding);
  return {
    SchemaVersion: SCHEMA_VERSION,
    Id: finding.findingArn,
    ProductArn: inspectorProductArn(partition, region),
    ProductName: 'Inspector',
    CompanyName: 'Amazon',
    Region: region,
    GeneratorId: GENERATOR_ID,
    AwsAccountId: finding.awsAccountId,
    Types: [type],
    FirstObservedAt: firstObservedAt,
    LastObservedAt: lastObservedAt,
    CreatedAt: firstObservedAt,
    UpdatedAt: timestamp(finding.updatedAt) ?? lastObservedAt,
    Severity: { Label: label, Normalized: NORMALIZED[label] ?? 0, ...(finding.severity === 'UNTRIAGED' ? { Original: 'UNTRIAGED' } : {}) },
    Title: clip(finding.title || finding.description || finding.findingArn, MAX_TITLE),
    Description: clip(finding.description || finding.title || finding.findingArn, MAX_DESCRIPTION),
    Remediation: {
      Recommendation: {
        Text: finding.remediation?.recommendation?.text || 'None Provided',
        ...(finding.remediation?.recommendation?.Url ? { Url: finding.remediation.recommendation.Url } : {}),
      },
    },
    ProductFields: productFields(finding),
    Resources: (finding.resources ?? []).map((resource) => resourceOf(resource, finding.awsAccountId, region, partition)),
    ...(vulnerability ? { Vulnerabilities: [vulnerability] } : {}),
    FindingProviderFields: { Severity: { Label: label, ...(finding.severity === 'UNTRIAGED' ? { Original: 'UNTRIAGED' } : {}) }, Types: [type] },
    // A closed finding is archived and resolved; a suppressed one stays active, its workflow SUPPRESSED.
    RecordState: status === 'CLOSED' ? 'ARCHIVED' : 'ACTIVE',
    Workflow: { Status: status === 'CLOSED' ? 'RESOLVED' : status === 'SUPPRESSED' ? 'SUPPRESSED' : 'NEW' },
  };
}

/** Inspector's own fields, flattened under aws/inspector/ as its findings in Security Hub carry them. */
function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string> = { 'aws/inspector/ProductVersion': '2', 'aws/inspector/FindingStatus': finding.status };
  if (typeof finding.inspectorScore === 'number' && Number.isFinite(finding.inspectorScore)) {
    fields['aws/inspector/inspectorScore'] = finding.inspectorScore.toFixed(1);
  }
  const resource = finding.resources?.[0];
  const ec2 = resource?.details?.awsEc2Instance;
  const ecr = resource?.details?.awsEcrContainerImage;
  if (ec2?.platform) fields['aws/inspector/resources/1/resourceDetails/awsEc2InstanceDetails/platform'] = ec2.platform;
  if (resource?.type === 'AWS_EC2_INSTANCE') fields['aws/inspector/instanceId'] = resource.id;
  if (ecr?.platform) fields['aws/inspector/resources/1/resourceDetails/awsEcrContainerImageDetails/platform'] = ecr.platform;
  const layers = (finding.packageVulnerabilityDetails?.vulnerablePackages ?? []).flatMap((p) => (p.sourceLayerHash ? [p.sourceLayerHash] : []));
  if (layers.length) fields['aws/inspector/packageVulnerabilityDetails/vulnerablePackages/sourceLayerHashes'] = layers.join(',');
  return fields;
}

function resourceOf(resource: InspectorResource, accountId: string, region: string, partition: string): AsffResource {
  const type = RESOURCE_TYPES[resource.type] ?? 'Other';
  const details = resource.details;
  const ec2 = details?.awsEc2Instance;
  const ecr = details?.awsEcrContainerImage;
  const lambda = details?.awsLambdaFunction;
  return {
    Type: type,
    // Inspector names an instance by its id; Security Hub's resource id is an ARN.
    Id:
      resource.type === 'AWS_EC2_INSTANCE' && !resource.id.startsWith('arn:')
        ? `arn:${partition}:ec2:${resource.region ?? region}:${accountId}:${resource.id}`
        : resource.id,
    Partition: (resource.partition ?? partition) as AsffResource['Partition'],
    Region: resource.region ?? region,
    ...(resource.tags ? { Tags: { ...resource.tags } } : {}),
    ...(ec2
      ? {
          Details: {
            AwsEc2Instance: defined({
              Type: ec2.type,
              ImageId: ec2.imageId,
              IpV4Addresses: nonEmpty(ec2.ipV4Addresses),
              IpV6Addresses: nonEmpty(ec2.ipV6Addresses),
              KeyName: ec2.keyName,
              IamInstanceProfileArn: ec2.iamInstanceProfileArn,
              VpcId: ec2.vpcId,
              SubnetId: ec2.subnetId,
              LaunchedAt: timestamp(ec2.launchedAt),
            }),
          },
        }
      : ecr
        ? {
            Details: {
              AwsEcrContainerImage: defined({
                RegistryId: ecr.registry,
                RepositoryName: ecr.repositoryName,
                Architecture: ecr.architecture,
                ImageDigest: ecr.imageHash,
                ImageTags: nonEmpty(ecr.imageTags),
                ImagePublishedAt: timestamp(ecr.pushedAt),
              }),
            },
          }
        : lambda
          ? {
              Details: {
                AwsLambdaFunction: defined({
                  FunctionName: lambda.functionName,
                  Runtime: lambda.runtime,
                  CodeSha256: lambda.codeSha256,
                  Version: lambda.version,
                  Role: lambda.executionRoleArn,
                  Layers: nonEmpty(lambda.layers)?.map((arn) => ({ Arn: arn })),
                  VpcConfig: lambda.vpcConfig
                    ? defined({
                        SecurityGroupIds: nonEmpty(lambda.vpcConfig.securityGroupIds),
                        SubnetIds: nonEmpty(lambda.vpcConfig.subnetIds),
                        VpcId: lambda.vpcConfig.vpcId,
                      })
                    : undefined,
                  PackageType: lambda.packageType,
                  Architectures: nonEmpty(lambda.architectures),
                  LastModified: timestamp(lambda.lastModifiedAt),
                }),
              },
            }
          : {}),
  };
}

/** The finding's vulnerability: a package's (CVE, advisory) or a code finding's; none for network reachability. */
function vulnerabilityOf(finding: Finding): Vulnerability | undefined {
  const fix = finding.fixAvailable;
  const exploit = finding.exploitAvailable;
  const epss = typeof finding.epss?.score === 'number' ? finding.epss.score : undefined;
  const pkg = finding.packageVulnerabilityDetails;
  if (finding.type === 'PACKAGE_VULNERABILITY' && pkg?.vulnerabilityId) {
    const adjusted = finding.inspectorScoreDetails?.adjustedCvss;
    const cvss: Cvss[] = (pkg.cvss ?? []).map((score) =>
      defined({ Version: score.version, BaseScore: score.baseScore, BaseVector: score.scoringVector, Source: score.source }),
    );
    if (adjusted) {
      cvss.push(
        defined({
          Version: adjusted.version,
          BaseScore: adjusted.score,
          BaseVector: adjusted.scoringVector,
          Source: adjusted.scoreSource,
          Adjustments: (adjusted.adjustments ?? []).map((a) => ({ Metric: a.metric, Reason: a.reason })),
        }),
      );
    }
    return defined({
      Id: pkg.vulnerabilityId,
      VulnerablePackages: nonEmpty((pkg.vulnerablePackages ?? []).map(packageOf)),
      Cvss: nonEmpty(cvss),
      RelatedVulnerabilities: nonEmpty(pkg.relatedVulnerabilities),
      Vendor: pkg.source
        ? defined({
            Name: pkg.source,
            Url: pkg.sourceUrl,
            VendorSeverity: pkg.vendorSeverity,
            VendorCreatedAt: timestamp(pkg.vendorCreatedAt),
            VendorUpdatedAt: timestamp(pkg.vendorUpdatedAt),
          })
        : undefined,
      ReferenceUrls: nonEmpty(pkg.referenceUrls),
      FixAvailable: fix,
      ExploitAvailable: exploit,
      EpssScore: epss,
    });
  }
  const code = finding.codeVulnerabilityDetails;
  if (finding.type === 'CODE_VULNERABILITY' && code?.detectorId) {
    return defined({
      Id: code.detectorId,
      CodeVulnerabilities: [
        defined({
          Cwes: nonEmpty(code.cwes),
          FilePath: code.filePath
            ? defined({
                FileName: code.filePath.fileName,
                FilePath: code.filePath.filePath,
                StartLine: code.filePath.startLine,
                EndLine: code.filePath.endLine,
              })
            : undefined,
          SourceArn: code.sourceLambdaLayerArn,
        }),
      ],
      ReferenceUrls: nonEmpty(code.referenceUrls),
      FixAvailable: fix,
      ExploitAvailable: exploit,
      EpssScore: epss,
    });
  }
  return undefined;
}

type VulnerablePackage = NonNullable<NonNullable<Finding['packageVulnerabilityDetails']>['vulnerablePackages']>[number];

function packageOf(p: VulnerablePackage): SoftwarePackage {
  return defined({
    Name: p.name,
    Version: p.version,
    Epoch: p.epoch === undefined || p.epoch === null ? undefined : String(p.epoch),
    Release: p.release,
    Architecture: p.arch,
    PackageManager: p.packageManager,
    FilePath: p.filePath,
    FixedInVersion: p.fixedInVersion,
    Remediation: p.remediation,
    SourceLayerHash: p.sourceLayerHash,
    SourceLayerArn: p.sourceLambdaLayerArn,
  });
}

/** A time as ASFF writes it (ISO 8601, UTC, whole seconds, as Inspector's findings in Security Hub); nothing for a missing or bad value. */
function timestamp(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

function nonEmpty<T>(list: readonly T[] | undefined | null): T[] | undefined {
  return list && list.length ? [...list] : undefined;
}

/** The object without its undefined members (ASFF leaves absent what the finding does not say). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
