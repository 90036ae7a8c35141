// What Inspector scans in an account and region: EC2 instances, ECR repositories and their
// images, Lambda functions, the ECS/EKS clusters that run images, and the code repositories
// that code security integrations import. Each resource carries the packages installed in
// it; the scanner matches them against the vulnerability catalog.
import { z } from 'zod';
import { ECOSYSTEMS, type Ecosystem } from '../scanning/ecosystems.js';
import { declareState, intact } from '../platform/state.js';

export interface InstalledPackage {
  name: string;
  version: string;
  ecosystem: Ecosystem;
  arch?: string;
  /** Where a language package was found (a jar, a lock file, site-packages ...). */
  filePath?: string;
}

interface IngressRule {
  protocol: 'TCP' | 'UDP';
  fromPort: number;
  toPort: number;
  /** The source range; 0.0.0.0/0 or ::/0 is the internet. */
  cidr: string;
}

export interface SecurityGroup {
  groupId: string;
  ingress: IngressRule[];
}

type InstanceState = 'running' | 'stopped' | 'terminated';

export interface Ec2Instance {
  instanceId: string;
  amiId: string;
  /** The operating system, as AwsEc2InstanceDetails.platform names it: UBUNTU_22_04, AMAZON_LINUX_2023, WINDOWS_SERVER_2022 ... */
  platform: string;
  instanceType: string;
  state: InstanceState;
  /** Whether SSM manages the instance (agent-based scanning needs it). */
  ssmManaged: boolean;
  tags: Record<string, string>;
  vpcId: string;
  subnetId: string;
  /** The network ACL of the subnet (acl-...), on the path from the internet; derived from the subnet when absent. */
  networkAclId?: string;
  /** The instance's primary network interface (eni-...), which its security groups guard; derived from the instance when absent. */
  networkInterfaceId?: string;
  /** An internet gateway on the subnet's route: with a public IP, the internet reaches the instance. */
  internetGatewayId?: string;
  publicIp?: string;
  privateIp: string;
  securityGroups: SecurityGroup[];
  iamInstanceProfileArn?: string;
  keyName?: string;
  launchedAt: Date;
  packages: InstalledPackage[];
}

export interface ImageLayer {
  digest: string;
  packages: InstalledPackage[];
}

export interface EcrImage {
  digest: string;
  tags: string[];
  pushedAt: Date;
  lastPulledAt?: Date;
  lastInUseAt?: Date;
  inUseCount?: number;
  architecture: string;
  /** The image's operating system: DEBIAN_12, UBUNTU_22_04, AMAZON_LINUX_2023 ... */
  platform: string;
  author?: string;
  layers: ImageLayer[];
}

type ScanFrequency = 'CONTINUOUS_SCAN' | 'SCAN_ON_PUSH' | 'MANUAL';

export interface EcrRepository {
  name: string;
  scanFrequency: ScanFrequency;
  images: EcrImage[];
}

export interface CodeIssue {
  detectorId: string;
  detectorName: string;
  ruleId: string;
  title: string;
  description: string;
  cwes: string[];
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
  detectorTags: string[];
  filePath: string;
  startLine: number;
  endLine: number;
  /** The lines of code the issue points at, from startLine. */
  code: string[];
  suggestedFix?: string;
  referenceUrls: string[];
}

interface LambdaLayer {
  arn: string;
  packages: InstalledPackage[];
}

export interface LambdaFunction {
  name: string;
  /** The model's Runtime value: PYTHON_3_11, NODEJS_18_X, JAVA_17 ... */
  runtime: string;
  executionRoleArn: string;
  codeSha256: string;
  lastModifiedAt: Date;
  lastInvokedAt?: Date;
  tags: Record<string, string>;
  architectures: ('X86_64' | 'ARM64')[];
  packageType: 'ZIP' | 'IMAGE';
  layers: LambdaLayer[];
  packages: InstalledPackage[];
  codeIssues: CodeIssue[];
}

/**
 * A source code repository that a code security integration imported (a "project" to
 * Inspector). Inspector scans its default branch only: the code (SAST rules), the
 * infrastructure as code (IaC rules) and the dependencies its manifests declare (SCA rules).
 */
export interface CodeRepository {
  /** Inspector's id of the project: project-<uuid>. */
  projectId: string;
  /** The repository's path at the provider: <owner>/<name>. */
  name: string;
  /** The integration that imported it. */
  integrationArn: string;
  providerType: 'GITHUB' | 'GITLAB_SELF_MANAGED';
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  /** The latest commit of the default branch (40 hex digits). */
  headCommitId: string;
  /** Weaknesses in the code, found by the SAST rules. */
  codeIssues: CodeIssue[];
  /** Misconfigurations in infrastructure as code, found by the IaC rules. */
  iacIssues: CodeIssue[];
  /** The dependencies its manifests and lock files declare, matched by the SCA rules. */
  packages: InstalledPackage[];
}

interface Cluster {
  arn: string;
  /** Images that run in the cluster, as repository name and digest. */
  images: { repository: string; digest: string }[];
}

export interface Inventory {
  ec2Instances: Ec2Instance[];
  ecrRepositories: EcrRepository[];
  lambdaFunctions: LambdaFunction[];
  clusters: Cluster[];
  /** Code repositories (absent in inventories that have none). */
  codeRepositories?: CodeRepository[];
}

export function emptyInventory(): Inventory {
  return { ec2Instances: [], ecrRepositories: [], lambdaFunctions: [], clusters: [] };
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** The resources Inspector finds; undefined until seeded or generated. */
    inventory: Inventory | undefined;
  }
}

// What the scanner relies on in the inventory; the rest of each resource travels as it is.
const dated = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');
const name = z.string().min(1).max(2048);
const packages = z.array(z.looseObject({ name, version: z.string().max(256), ecosystem: z.enum(ECOSYSTEMS), filePath: z.string().max(4096).optional() }));
const tags = z.record(z.string().max(128), z.string().max(256));
const codeIssues = z.array(
  z.looseObject({
    ruleId: name,
    title: z.string(),
    severity: z.string(),
    filePath: z.string(),
    startLine: z.number().int(),
    endLine: z.number().int(),
    code: z.array(z.string()),
  }),
);
const inventorySchema = z.strictObject({
  ec2Instances: z.array(
    z.looseObject({
      instanceId: name,
      platform: name,
      state: z.enum(['running', 'stopped', 'terminated']),
      ssmManaged: z.boolean(),
      tags,
      securityGroups: z.array(
        z.looseObject({ groupId: name, ingress: z.array(z.looseObject({ fromPort: z.number().int(), toPort: z.number().int(), cidr: z.string() })) }),
      ),
      launchedAt: dated,
      packages,
    }),
  ),
  ecrRepositories: z.array(
    z.looseObject({
      name,
      scanFrequency: z.enum(['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL']),
      images: z.array(
        z.looseObject({
          digest: name,
          tags: z.array(z.string()),
          pushedAt: dated,
          lastPulledAt: dated.optional(),
          lastInUseAt: dated.optional(),
          platform: name,
          layers: z.array(z.looseObject({ digest: name, packages })),
        }),
      ),
    }),
  ),
  lambdaFunctions: z.array(
    z.looseObject({
      name,
      runtime: name,
      lastModifiedAt: dated,
      lastInvokedAt: dated.optional(),
      tags,
      layers: z.array(z.looseObject({ arn: name, packages })),
      packages,
      codeIssues,
    }),
  ),
  clusters: z.array(z.looseObject({ arn: name, images: z.array(z.looseObject({ repository: name, digest: name })) })),
  codeRepositories: z.array(z.looseObject({ projectId: name, name, integrationArn: name, codeIssues, iacIssues: codeIssues, packages })).optional(),
});

declareState('account-region', 'inventory', {
  empty: () => undefined,
  schema: intact<Inventory | undefined>(inventorySchema),
});
