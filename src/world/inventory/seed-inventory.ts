// The inventory part of a seed file: per account and region, the instances, images,
// functions, clusters and code repositories Inspector will find. Times are ISO 8601 or
// relative to the moment the seed is loaded ("-3d"). Most members have defaults so seeds
// stay short.
import { z } from 'zod';
import { ECOSYSTEMS } from '../scanning/ecosystems.js';
import type { Ec2Instance, EcrImage, Inventory, LambdaFunction } from './inventory.js';
import { instant } from '../platform/time.js';

const when = z.string().refine((text) => instant(text, 0) !== undefined, 'must be an ISO 8601 time or a time ago such as -3d');
const tags = z.record(z.string().min(1).max(128), z.string().max(256)).default({});

export const packageSchema = z
  .object({
    name: z.string().min(1),
    version: z.string().min(1),
    ecosystem: z.enum(ECOSYSTEMS),
    arch: z.string().optional(),
    filePath: z.string().optional(),
  })
  .strict();
const packages = z.array(packageSchema).default([]);

export const instanceSchema = z
  .object({
    instanceId: z.string().regex(/^i-([a-z0-9]{8}|[a-z0-9]{17})$/, 'must be an instance id such as i-0123456789abcdef0'),
    amiId: z.string().regex(/^ami-([a-z0-9]{8}|[a-z0-9]{17})$/, 'must be an AMI id such as ami-0123456789abcdef0'),
    platform: z.string().regex(/^[A-Z0-9_]+$/, 'must be a platform such as UBUNTU_22_04'),
    instanceType: z.string().default('t3.micro'),
    state: z.enum(['running', 'stopped', 'terminated']).default('running'),
    ssmManaged: z.boolean().default(true),
    tags,
    vpcId: z
      .string()
      .regex(/^vpc-[a-z0-9]+$/)
      .default('vpc-0a1b2c3d4e5f60718'),
    subnetId: z
      .string()
      .regex(/^subnet-[a-z0-9]+$/)
      .default('subnet-0a1b2c3d4e5f60718'),
    networkAclId: z
      .string()
      .regex(/^acl-[a-z0-9]+$/, 'must be a network ACL id such as acl-0123456789abcdef0')
      .optional(),
    networkInterfaceId: z
      .string()
      .regex(/^eni-[a-z0-9]+$/, 'must be a network interface id such as eni-0123456789abcdef0')
      .optional(),
    internetGatewayId: z
      .string()
      .regex(/^igw-[a-z0-9]+$/)
      .optional(),
    publicIp: z.string().optional(),
    privateIp: z.string().default('10.0.0.10'),
    securityGroups: z
      .array(
        z
          .object({
            groupId: z.string().regex(/^sg-[a-z0-9]+$/),
            ingress: z
              .array(
                z
                  .object({
                    protocol: z.enum(['TCP', 'UDP']),
                    fromPort: z.number().int().min(0).max(65535),
                    toPort: z.number().int().min(0).max(65535),
                    cidr: z.string().min(1),
                  })
                  .strict()
                  .refine((rule) => rule.fromPort <= rule.toPort, { message: 'fromPort must not exceed toPort', path: ['toPort'] }),
              )
              .default([]),
          })
          .strict(),
      )
      .default([]),
    iamInstanceProfileArn: z.string().optional(),
    keyName: z.string().optional(),
    launchedAt: when.default('-30d'),
    packages,
  })
  .strict();

export const imageSchema = z
  .object({
    digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be sha256: and 64 hex digits'),
    tags: z.array(z.string().min(1)).default([]),
    pushedAt: when,
    lastPulledAt: when.optional(),
    lastInUseAt: when.optional(),
    inUseCount: z.number().int().min(0).optional(),
    architecture: z.string().default('amd64'),
    platform: z.string().regex(/^[A-Z0-9_]+$/),
    author: z.string().optional(),
    layers: z.array(z.object({ digest: z.string().regex(/^sha256:[a-f0-9]{64}$/), packages }).strict()).min(1),
  })
  .strict();

const codeIssueSchema = z
  .object({
    detectorId: z.string().min(1),
    detectorName: z.string().min(1),
    ruleId: z.string().min(1),
    title: z.string().min(1),
    description: z.string().min(1),
    cwes: z
      .array(z.string().regex(/^CWE-\d+$/))
      .min(1)
      .max(10),
    severity: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
    detectorTags: z.array(z.string().min(1)).max(10).default([]),
    filePath: z.string().min(1),
    startLine: z.number().int().min(1),
    endLine: z.number().int().min(1),
    code: z.array(z.string()).min(1),
    suggestedFix: z.string().optional(),
    referenceUrls: z.array(z.string().url()).max(10).default([]),
  })
  .strict();

export const functionSchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9-_]{1,64}$/, 'must be a Lambda function name'),
    runtime: z.string().regex(/^[A-Z0-9_]+$/, 'must be a runtime as the model names it, such as PYTHON_3_11'),
    executionRoleArn: z.string().regex(/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+$/),
    codeSha256: z.string().default('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='),
    lastModifiedAt: when.default('-7d'),
    lastInvokedAt: when.optional(),
    tags,
    architectures: z
      .array(z.enum(['X86_64', 'ARM64']))
      .min(1)
      .default(['X86_64']),
    packageType: z.enum(['ZIP', 'IMAGE']).default('ZIP'),
    layers: z
      .array(z.object({ arn: z.string().regex(/^arn:aws(-[a-z]+)*:lambda:.+:layer:.+:\d+$/), packages }).strict())
      .max(5)
      .default([]),
    packages,
    codeIssues: z.array(codeIssueSchema).default([]),
  })
  .strict();

const codeRepositorySchema = z
  .object({
    projectId: z
      .string()
      .regex(
        /^project-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/,
        'must be a project id such as project-0123abcd-0123-4567-89ab-0123456789ab',
      ),
    name: z.string().min(1).max(300),
    integrationArn: z
      .string()
      .regex(/^arn:aws(-[a-z]+)*:inspector2:[a-z0-9-]+:\d{12}:codesecurity-integration\/[a-f0-9-]{36}$/, 'must be a code security integration ARN'),
    providerType: z.enum(['GITHUB', 'GITLAB_SELF_MANAGED']),
    visibility: z.enum(['PUBLIC', 'PRIVATE', 'INTERNAL']).default('PRIVATE'),
    headCommitId: z.string().regex(/^[a-f0-9]{40}$/, 'must be a commit id of 40 hex digits'),
    codeIssues: z.array(codeIssueSchema).default([]),
    iacIssues: z.array(codeIssueSchema).default([]),
    packages,
  })
  .strict();

export const accountInventorySchema = z
  .object({
    accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region such as eu-west-1'),
    ec2Instances: z.array(instanceSchema).default([]),
    ecrRepositories: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'must be an ECR repository name'),
            scanFrequency: z.enum(['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL']).default('CONTINUOUS_SCAN'),
            images: z.array(imageSchema).default([]),
          })
          .strict(),
      )
      .default([]),
    lambdaFunctions: z.array(functionSchema).default([]),
    clusters: z
      .array(
        z
          .object({
            arn: z.string().regex(/^arn:aws(-[a-z]+)*:(ecs|eks):[a-z0-9-]+:\d{12}:cluster\/[a-zA-Z0-9_-]+$/, 'must be an ECS or EKS cluster ARN'),
            images: z.array(z.object({ repository: z.string().min(1), digest: z.string().regex(/^sha256:[a-f0-9]{64}$/) }).strict()).default([]),
          })
          .strict(),
      )
      .default([]),
    codeRepositories: z.array(codeRepositorySchema).optional(),
  })
  .strict();

export type AccountInventorySeed = z.output<typeof accountInventorySchema>;

type Seeded<T extends z.ZodType> = z.output<T>;

const at = (text: string, now: number) => instant(text, now)!;

export function instanceFromSeed(seed: Seeded<typeof instanceSchema>, now: number): Ec2Instance {
  return { ...seed, launchedAt: at(seed.launchedAt, now) };
}

export function imageFromSeed(seed: Seeded<typeof imageSchema>, now: number): EcrImage {
  const { lastPulledAt, lastInUseAt, ...rest } = seed;
  return {
    ...rest,
    pushedAt: at(seed.pushedAt, now),
    ...(lastPulledAt ? { lastPulledAt: at(lastPulledAt, now) } : {}),
    ...(lastInUseAt ? { lastInUseAt: at(lastInUseAt, now) } : {}),
  };
}

export function functionFromSeed(seed: Seeded<typeof functionSchema>, now: number): LambdaFunction {
  const { lastInvokedAt, ...rest } = seed;
  return { ...rest, lastModifiedAt: at(seed.lastModifiedAt, now), ...(lastInvokedAt ? { lastInvokedAt: at(lastInvokedAt, now) } : {}) };
}

/** The inventory a seed entry describes, with relative times resolved against `now`. */
export function inventoryFromSeed(seed: AccountInventorySeed, now: number): Inventory {
  return {
    ec2Instances: seed.ec2Instances.map((i) => instanceFromSeed(i, now)),
    ecrRepositories: seed.ecrRepositories.map((r) => ({ ...r, images: r.images.map((i) => imageFromSeed(i, now)) })),
    lambdaFunctions: seed.lambdaFunctions.map((f) => functionFromSeed(f, now)),
    clusters: seed.clusters,
    ...(seed.codeRepositories ? { codeRepositories: seed.codeRepositories } : {}),
  };
}
