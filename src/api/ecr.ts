// ECR's view of enhanced scanning (JSON 1.1, signed for `ecr`): DescribeImageScanFindings,
// DescribeImages, DescribeRepositories, GetRegistryScanningConfiguration and
// BatchGetRepositoryScanningConfiguration, in ECR's shapes and with ECR's errors
// (https://docs.aws.amazon.com/AmazonECR/latest/APIReference/). The registry, its
// repositories and images are the inventory's; the scans are Inspector's coverage and findings.
import { AwsError } from '../protocol/errors.js';
import type { Caller } from '../protocol/identity.js';
import type { JsonInput, JsonOperation } from '../protocol/json.js';
import type { Finding } from '../world/findings/documents.js';
import { orderKey, pageByKey, PageTokenError } from '../world/findings/paging.js';
import type { EcrImage, EcrRepository } from '../world/inventory/inventory.js';
import {
  findImage,
  findRepository,
  imageScanOf,
  registryOf,
  repositoryArn,
  repositoryScanning,
  repositoryUri,
  scanFindingsPage,
  scanningRules,
  type Registry,
} from '../world/scanning/ecr-registry.js';
import type { World } from '../world/world.js';

// ---------------------------------------------------------------- errors and input

const invalid = (message: string) => new AwsError('InvalidParameterException', 400, message);
const constraint = (member: string, text: string) => invalid(`Invalid parameter at '${member}' failed to satisfy constraint: '${text}'`);

/** ECR's answer to a page token it did not issue; other world errors are bugs (ServerException). */
export function ecrErrorFor(error: unknown): AwsError | undefined {
  if (error instanceof PageTokenError) return invalid(`Invalid parameter at 'nextToken': ${error.message}`);
  return undefined;
}

export const ecrServerError = () => new AwsError('ServerException', 500, 'The request processing has failed because of an unknown error.');

const REGISTRY_ID = /^[0-9]{12}$/;
const REPOSITORY_NAME = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;

function repositoryName(value: string | undefined, member: string): string {
  if (value === undefined) throw constraint(member, 'Member must not be null');
  if (value.length < 2 || value.length > 256) throw constraint(member, 'Member must have length between 2 and 256');
  if (!REPOSITORY_NAME.test(value)) throw constraint(member, `must satisfy regular expression '${REPOSITORY_NAME.source.slice(1, -1)}'`);
  return value;
}

function names(input: JsonInput, member: string, max: number, required: boolean): string[] | undefined {
  const list = input.strings(member);
  if (list === undefined) {
    if (required) throw constraint(member, 'Member must not be null');
    return undefined;
  }
  if (list.length < 1 || list.length > max) throw constraint(member, `Member must have length between 1 and ${max}`);
  return [...new Set(list.map((name, index) => repositoryName(name, `${member}.${index + 1}`)))];
}

/** The registry the request names (the caller's by default). */
function registry(world: World, input: JsonInput, caller: Caller): Registry & { id: string } {
  const id = input.string('registryId') ?? caller.accountId;
  if (!REGISTRY_ID.test(id)) throw constraint('registryId', "must satisfy regular expression '[0-9]{12}'");
  // Another account's registry: no repository policy lets the caller in, so none of its repositories is found.
  const seen = id === caller.accountId ? registryOf(world, id, caller.region) : { accountId: id, region: caller.region, enhanced: false, repositories: [] };
  return { ...seen, id };
}

function maxResults(input: JsonInput): number | undefined {
  const value = input.integer('maxResults');
  if (value !== undefined && (value < 1 || value > 1000)) throw constraint('maxResults', 'Member must have value between 1 and 1000');
  return value;
}

interface ImageId {
  digest?: string;
  tag?: string;
}

function imageId(input: JsonInput, member: string): ImageId {
  const digest = input.string('imageDigest');
  const tag = input.string('imageTag');
  if (tag !== undefined && (tag.length < 1 || tag.length > 300)) throw constraint(`${member}.imageTag`, 'Member must have length between 1 and 300');
  if (digest === undefined && tag === undefined) throw invalid(`Invalid parameter at '${member}': an image digest or an image tag must be given.`);
  return { ...(digest !== undefined ? { digest } : {}), ...(tag !== undefined ? { tag } : {}) };
}

/** Input shown in a message, cut to 100 characters (a digest has no length limit). */
const cut = (text: string) => (text.length > 100 ? `${text.slice(0, 100)}...` : text);
const shownId = (id: ImageId) =>
  `{imageDigest:'${id.digest === undefined ? 'null' : cut(id.digest)}', imageTag:'${id.tag === undefined ? 'null' : cut(id.tag)}'}`;

function repositoryOf(reg: Registry & { id: string }, name: string): EcrRepository {
  const repository = findRepository(reg, name);
  if (!repository)
    throw new AwsError('RepositoryNotFoundException', 400, `The repository with name '${name}' does not exist in the registry with id '${reg.id}'`);
  return repository;
}

function imageOf(reg: Registry & { id: string }, repository: EcrRepository, id: ImageId): EcrImage {
  const image = findImage(repository, id);
  if (!image) {
    throw new AwsError(
      'ImageNotFoundException',
      400,
      `The image with imageId ${shownId(id)} does not exist within the repository with name '${repository.name}' in the registry with id '${reg.id}'`,
    );
  }
  return image;
}

// ---------------------------------------------------------------- ECR's shapes

/** ECR's severity counts use UNDEFINED where Inspector says UNTRIAGED. */
const countedSeverity = (severity: string) => (severity === 'UNTRIAGED' ? 'UNDEFINED' : severity);

const present = <T>(list: T[] | undefined): T[] | undefined => (list && list.length ? list : undefined);

/** An Inspector finding as ECR's EnhancedImageScanFinding (its members only; anything the finding lacks is left out). */
function enhancedFinding(finding: Finding) {
  const details = finding.packageVulnerabilityDetails;
  const adjusted = finding.inspectorScoreDetails?.adjustedCvss;
  const recommendation = finding.remediation?.recommendation;
  return {
    awsAccountId: finding.awsAccountId,
    description: finding.description,
    findingArn: finding.findingArn,
    firstObservedAt: finding.firstObservedAt,
    lastObservedAt: finding.lastObservedAt,
    updatedAt: finding.updatedAt,
    severity: finding.severity,
    status: finding.status,
    title: finding.title,
    type: finding.type,
    fixAvailable: finding.fixAvailable,
    exploitAvailable: finding.exploitAvailable,
    score: finding.inspectorScore,
    ...(adjusted
      ? {
          scoreDetails: {
            cvss: {
              adjustments: (adjusted.adjustments ?? []).map((a) => ({ metric: a.metric, reason: a.reason })),
              score: adjusted.score,
              scoreSource: adjusted.scoreSource,
              scoringVector: adjusted.scoringVector,
              version: adjusted.version,
            },
          },
        }
      : {}),
    ...(details
      ? {
          packageVulnerabilityDetails: {
            cvss: details.cvss?.map((c) => ({ baseScore: c.baseScore, scoringVector: c.scoringVector, source: c.source, version: c.version })),
            referenceUrls: details.referenceUrls,
            relatedVulnerabilities: details.relatedVulnerabilities,
            source: details.source,
            sourceUrl: details.sourceUrl,
            vendorCreatedAt: details.vendorCreatedAt,
            vendorSeverity: details.vendorSeverity,
            vendorUpdatedAt: details.vendorUpdatedAt,
            vulnerabilityId: details.vulnerabilityId,
            vulnerablePackages: (details.vulnerablePackages ?? []).map((p) => ({
              arch: p.arch,
              epoch: p.epoch,
              filePath: p.filePath,
              name: p.name,
              packageManager: p.packageManager,
              release: p.release,
              sourceLayerHash: p.sourceLayerHash,
              version: p.version,
              fixedInVersion: p.fixedInVersion,
            })),
          },
        }
      : {}),
    ...(recommendation ? { remediation: { recommendation: { url: recommendation.Url, text: recommendation.text } } } : {}),
    resources: (finding.resources ?? []).map((r) => {
      const image = r.details?.awsEcrContainerImage;
      return {
        id: r.id,
        type: r.type,
        tags: r.tags ?? {},
        ...(image
          ? {
              details: {
                awsEcrContainerImage: {
                  architecture: image.architecture,
                  author: image.author,
                  imageHash: image.imageHash,
                  imageTags: image.imageTags,
                  platform: image.platform,
                  pushedAt: image.pushedAt,
                  lastInUseAt: image.lastInUseAt,
                  inUseCount: image.inUseCount,
                  registry: image.registry,
                  repositoryName: image.repositoryName,
                },
              },
            }
          : {}),
      };
    }),
  };
}

/** The media types of a single-platform image as `docker push` writes it (the inventory holds no others). */
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';

function imageDetail(reg: Registry & { id: string }, repository: EcrRepository, image: EcrImage) {
  // Enhanced scanning leaves imageScanStatus and imageScanFindingsSummary out: DescribeImageScanFindings tells them
  // (https://github.com/aws/containers-roadmap/issues/1662); basic scans are not emulated.
  return {
    registryId: reg.id,
    repositoryName: repository.name,
    imageDigest: image.digest,
    imageTags: present([...image.tags]),
    imagePushedAt: image.pushedAt,
    imageManifestMediaType: DOCKER_MANIFEST,
    artifactMediaType: DOCKER_CONFIG,
    lastRecordedPullTime: image.lastPulledAt,
    imageStatus: 'ACTIVE',
  };
}

const DEFAULT_PAGE = 100;

// ---------------------------------------------------------------- the operations

export function ecrOperations(world: World): Record<string, JsonOperation> {
  return {
    DescribeImageScanFindings(input, caller) {
      const reg = registry(world, input, caller);
      const name = repositoryName(input.string('repositoryName'), 'repositoryName');
      const idInput = input.object('imageId');
      if (!idInput) throw constraint('imageId', 'Member must not be null');
      const id = imageId(idInput, 'imageId');
      const size = maxResults(input) ?? DEFAULT_PAGE;
      const nextToken = input.string('nextToken');
      const repository = repositoryOf(reg, name);
      const image = imageOf(reg, repository, id);
      const scan = imageScanOf(world, reg, repository, image);
      if (!scan) {
        throw new AwsError(
          'ScanNotFoundException',
          400,
          `Image scan does not exist for the image with '${shownId(id)}' in the repository with name '${name}' in the registry with id '${reg.id}'`,
        );
      }
      const page = scanFindingsPage(scan, nextToken === undefined ? {} : { nextToken }, size);
      const counts: Record<string, number> = {};
      for (const finding of scan.findings) counts[countedSeverity(finding.severity)] = (counts[countedSeverity(finding.severity)] ?? 0) + 1;
      return {
        registryId: reg.id,
        repositoryName: repository.name,
        imageId: { imageDigest: image.digest, ...(id.tag !== undefined ? { imageTag: id.tag } : {}) },
        imageScanStatus: { status: scan.status, description: scan.description },
        imageScanFindings: {
          // Inspector's vulnerability data is as new as the image's last scan.
          ...(scan.completedAt ? { imageScanCompletedAt: scan.completedAt, vulnerabilitySourceUpdatedAt: scan.completedAt } : {}),
          ...(scan.findings.length ? { findingSeverityCounts: counts } : {}),
          enhancedFindings: page.items.map(enhancedFinding),
        },
        nextToken: page.nextToken,
      };
    },

    DescribeImages(input, caller) {
      const reg = registry(world, input, caller);
      const name = repositoryName(input.string('repositoryName'), 'repositoryName');
      const ids = input.objects('imageIds');
      if (ids !== undefined && (ids.length < 1 || ids.length > 100)) throw constraint('imageIds', 'Member must have length between 1 and 100');
      const wanted = ids?.map((item, index) => imageId(item, `imageIds.${index + 1}`));
      const size = maxResults(input);
      const nextToken = input.string('nextToken');
      const filter = input.object('filter');
      const tagStatus = filter?.string('tagStatus') ?? 'ANY';
      if (!['TAGGED', 'UNTAGGED', 'ANY'].includes(tagStatus))
        throw constraint('filter.tagStatus', 'Member must satisfy enum value set: [TAGGED, UNTAGGED, ANY]');
      const imageStatus = filter?.string('imageStatus') ?? 'ACTIVE';
      if (!['ACTIVE', 'ARCHIVED', 'ACTIVATING', 'ANY'].includes(imageStatus)) {
        throw constraint('filter.imageStatus', 'Member must satisfy enum value set: [ACTIVE, ARCHIVED, ACTIVATING, ANY]');
      }
      if (wanted && (size !== undefined || nextToken !== undefined)) throw invalid('maxResults and nextToken cannot be used when imageIds are given.');
      const repository = repositoryOf(reg, name);
      if (wanted) {
        // Each image once, however many of the ids name it.
        const found = new Set(wanted.map((id) => imageOf(reg, repository, id)));
        return { imageDetails: [...found].map((image) => imageDetail(reg, repository, image)) };
      }
      // Every image in the inventory is ACTIVE (none is archived).
      const listed = repository.images.filter(
        (i) => (tagStatus === 'ANY' || (tagStatus === 'TAGGED') === i.tags.length > 0) && (imageStatus === 'ANY' || imageStatus === 'ACTIVE'),
      );
      const scope = { op: 'DescribeImages', sort: `${reg.id}/${repository.name}/${tagStatus}/${imageStatus}` };
      const page = pageByKey(
        scope,
        listed,
        (i) => orderKey([i.pushedAt.getTime(), i.digest]),
        nextToken === undefined ? {} : { nextToken },
        size ?? DEFAULT_PAGE,
      );
      return { imageDetails: page.items.map((image) => imageDetail(reg, repository, image)), nextToken: page.nextToken };
    },

    DescribeRepositories(input, caller) {
      const reg = registry(world, input, caller);
      const wanted = names(input, 'repositoryNames', 100, false);
      const size = maxResults(input);
      const nextToken = input.string('nextToken');
      if (wanted && (size !== undefined || nextToken !== undefined)) throw invalid('maxResults and nextToken cannot be used when repositoryNames are given.');
      const rules = reg.enhanced ? scanningRules(reg) : [];
      const shape = (repository: EcrRepository) => {
        const pushed = repository.images.map((i) => i.pushedAt.getTime());
        return {
          repositoryArn: repositoryArn(reg, repository.name),
          registryId: reg.id,
          repositoryName: repository.name,
          repositoryUri: repositoryUri(reg, repository.name),
          // The inventory does not say when a repository was made: no later than its first push.
          ...(pushed.length ? { createdAt: new Date(Math.min(...pushed)) } : {}),
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: repositoryScanning(reg, repository, rules).scanOnPush },
          encryptionConfiguration: { encryptionType: 'AES256' },
        };
      };
      if (wanted) return { repositories: wanted.map((name) => shape(repositoryOf(reg, name))) };
      const page = pageByKey(
        { op: 'DescribeRepositories', sort: reg.id },
        reg.repositories,
        (r) => r.name,
        nextToken === undefined ? {} : { nextToken },
        size ?? DEFAULT_PAGE,
      );
      return { repositories: page.items.map(shape), nextToken: page.nextToken };
    },

    GetRegistryScanningConfiguration(_input, caller) {
      const reg = registryOf(world, caller.accountId, caller.region);
      return {
        registryId: caller.accountId,
        scanningConfiguration: reg.enhanced ? { scanType: 'ENHANCED', rules: scanningRules(reg) } : { scanType: 'BASIC', rules: [] },
      };
    },

    BatchGetRepositoryScanningConfiguration(input, caller) {
      const wanted = names(input, 'repositoryNames', 25, true)!;
      const reg = registryOf(world, caller.accountId, caller.region);
      const rules = reg.enhanced ? scanningRules(reg) : [];
      const scanningConfigurations = [];
      const failures = [];
      for (const name of wanted) {
        const repository = findRepository(reg, name);
        if (!repository) {
          failures.push({ repositoryName: name, failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' });
          continue;
        }
        scanningConfigurations.push({ repositoryArn: repositoryArn(reg, name), repositoryName: name, ...repositoryScanning(reg, repository, rules) });
      }
      return { scanningConfigurations, failures };
    },
  };
}
