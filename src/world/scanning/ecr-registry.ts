// ECR's side of enhanced scanning: a registry's repositories and images are the inventory's,
// its scanning configuration follows Inspector's ECR enablement, and an image's scan is its
// coverage row and its findings (read through the findings' query engine). Read-only: ECR's
// view never changes the world (and never creates an account-region).
import type { EcrImage, EcrRepository } from '../inventory/inventory.js';
import type { Finding } from '../findings/documents.js';
import { findingOrder, visibleFindings, type FindingPosition } from '../findings/query.js';
import { decodeToken, encodeToken, type Page, type PageRequest } from '../findings/paging.js';
import { arnOf, partitionOf } from '../platform/partition.js';
import type { AccountRegion, World } from '../world.js';
import { coverageOf } from './coverage.js';

type ScanFrequency = EcrRepository['scanFrequency'];

interface RepositoryFilter {
  filter: string;
  filterType: 'WILDCARD';
}

interface ScanningRule {
  scanFrequency: Exclude<ScanFrequency, 'MANUAL'>;
  repositoryFilters: RepositoryFilter[];
}

/** An account's private registry in a region, as ECR sees it. */
export interface Registry {
  accountId: string;
  region: string;
  /** Enhanced scanning: Inspector scans the account's ECR images in this region. */
  enhanced: boolean;
  repositories: readonly EcrRepository[];
  state?: AccountRegion;
}

/** The registry of an account in a region (empty when Inspector has never seen the account there). */
export function registryOf(world: World, accountId: string, region: string): Registry {
  const state = world.existingAccountRegion(accountId, region);
  // Enabling Inspector's ECR scanning switches the registry to enhanced scanning; it stays so until disabling completes.
  const status = state?.enablement.status('ECR');
  const enhanced = status === 'ENABLED' || status === 'DISABLING';
  return { accountId, region, enhanced, repositories: state?.inventory?.ecrRepositories ?? [], ...(state ? { state } : {}) };
}

export function repositoryArn(registry: Registry, name: string): string {
  return arnOf('ecr', registry.region, registry.accountId, `repository/${name}`);
}

/** The DNS suffix of the region's partition (the AWS SDK's partition data, @aws-sdk/core 3.1085.0). */
const DNS_SUFFIXES: Readonly<Record<string, string>> = {
  'aws-cn': 'amazonaws.com.cn',
  'aws-eusc': 'amazonaws.eu',
  'aws-iso': 'c2s.ic.gov',
  'aws-iso-b': 'sc2s.sgov.gov',
  'aws-iso-e': 'cloud.adc-e.uk',
  'aws-iso-f': 'csp.hci.ic.gov',
};

export function repositoryUri(registry: Registry, name: string): string {
  const suffix = DNS_SUFFIXES[partitionOf(registry.region)] ?? 'amazonaws.com';
  return `${registry.accountId}.dkr.ecr.${registry.region}.${suffix}/${name}`;
}

/** ECR's limit of filters in one rule. */
const MAX_FILTERS = 100;

/**
 * A WILDCARD filter that, among the registry's repository names, matches `name` only. ECR
 * matches a filter without `*` against any name that contains it, and one with `*` against
 * whole names (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html).
 */
function filterFor(name: string, names: readonly string[]): string {
  const others = names.filter((other) => other !== name);
  if (!others.some((other) => other.includes(name))) return name;
  for (let at = name.length; at >= 0; at--) {
    const glob = `${name.slice(0, at)}*${name.slice(at)}`;
    if (!others.some((other) => wildcardMatches(glob, other))) return glob;
  }
  return name;
}

function wildcardMatches(filter: string, name: string): boolean {
  if (!filter.includes('*')) return name.includes(filter);
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

/**
 * The registry's enhanced scanning rules, drawn from its repositories' scan frequencies: one
 * rule per frequency in use, `*` where every repository (or every one not scanned
 * continuously) shares it — ECR applies the continuous rule where both match — and otherwise
 * a filter per repository. A rule holds 100 filters at most: beyond that the first 100
 * names (in order) are listed.
 */
export function scanningRules(registry: Registry): ScanningRule[] {
  const names = registry.repositories.map((r) => r.name);
  const named = (frequency: ScanFrequency) =>
    registry.repositories
      .filter((r) => r.scanFrequency === frequency)
      .map((r) => r.name)
      .sort()
      .slice(0, MAX_FILTERS)
      .map((name): RepositoryFilter => ({ filter: filterFor(name, names), filterType: 'WILDCARD' }));
  const all: RepositoryFilter[] = [{ filter: '*', filterType: 'WILDCARD' }];
  const has = (frequency: ScanFrequency) => registry.repositories.some((r) => r.scanFrequency === frequency);
  if (!has('SCAN_ON_PUSH') && !has('MANUAL')) return [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: all }];
  if (!has('MANUAL')) {
    const continuous = named('CONTINUOUS_SCAN');
    return [
      ...(continuous.length ? [{ scanFrequency: 'CONTINUOUS_SCAN' as const, repositoryFilters: continuous }] : []),
      { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: all },
    ];
  }
  return (['CONTINUOUS_SCAN', 'SCAN_ON_PUSH'] as const).filter(has).map((scanFrequency) => ({ scanFrequency, repositoryFilters: named(scanFrequency) }));
}

/**
 * A repository's scanning as ECR reports it: its frequency (the inventory's, under enhanced
 * scanning; a BASIC registry here has no scan-on-push rules, so MANUAL) and the filters of
 * that frequency's rule that match it.
 */
export function repositoryScanning(
  registry: Registry,
  repository: EcrRepository,
  rules: readonly ScanningRule[] = registry.enhanced ? scanningRules(registry) : [],
): { scanFrequency: ScanFrequency; scanOnPush: boolean; appliedScanFilters: RepositoryFilter[] } {
  const scanFrequency = registry.enhanced ? repository.scanFrequency : 'MANUAL';
  const rule = rules.find((r) => r.scanFrequency === scanFrequency);
  const appliedScanFilters = rule?.repositoryFilters.filter((f) => wildcardMatches(f.filter, repository.name)) ?? [];
  // An image pushed to a continuously scanned repository is scanned at push too.
  return { scanFrequency, scanOnPush: scanFrequency !== 'MANUAL', appliedScanFilters };
}

export function findRepository(registry: Registry, name: string): EcrRepository | undefined {
  return registry.repositories.find((r) => r.name === name);
}

/** The image a digest and/or a tag name (both must name the same image). */
export function findImage(repository: EcrRepository, id: { digest?: string; tag?: string }): EcrImage | undefined {
  return repository.images.find((i) => (id.digest === undefined || i.digest === id.digest) && (id.tag === undefined || i.tags.includes(id.tag)));
}

/** ECR's status of an image scan (the ImageScanStatus values enhanced scanning uses). */
type ImageScanStatus = 'ACTIVE' | 'COMPLETE' | 'PENDING' | 'SCAN_ELIGIBILITY_EXPIRED' | 'UNSUPPORTED_IMAGE' | 'FINDINGS_UNAVAILABLE' | 'IMAGE_ARCHIVED';

interface ImageScan {
  imageArn: string;
  status: ImageScanStatus;
  description: string;
  /** When the image was last scanned (absent before its first scan). */
  completedAt?: Date;
  /** The image's active findings, in ListFindings' default order (last observed first, then ARN). */
  findings: Finding[];
}

/**
 * The enhanced scan of an image, from its coverage row: undefined when there is no scan to
 * show (not enhanced, not covered yet, or its repository is not scanned: MANUAL).
 */
export function imageScanOf(world: World, registry: Registry, repository: EcrRepository, image: EcrImage): ImageScan | undefined {
  if (!registry.enhanced || !registry.state) return undefined;
  const imageArn = `${repositoryArn(registry, repository.name)}/${image.digest}`;
  const row = coverageOf(registry.state, imageArn, 'PACKAGE');
  const scanStatus = row?.resource.scanStatus;
  if (!row || !scanStatus || scanStatus.reason === 'SCAN_FREQUENCY_MANUAL') return undefined;
  const findings = findingOrder(undefined).sort(
    visibleFindings(world, registry.accountId, registry.region, {
      resourceId: [{ comparison: 'EQUALS', value: imageArn }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    }).filter((f) => f.awsAccountId === registry.accountId),
  );
  const completedAt = row.resource.lastScannedAt;
  return { imageArn, ...statusOf(scanStatus.statusCode, scanStatus.reason), ...(completedAt ? { completedAt } : {}), findings };
}

/** Inspector's coverage status of an image as ECR's scan status (descriptions as ECR words the first three). */
function statusOf(code: string, reason: string): { status: ImageScanStatus; description: string } {
  if (code === 'ACTIVE') {
    if (reason === 'SUCCESSFUL') return { status: 'ACTIVE', description: 'Continuous scan is selected for image.' };
    if (reason === 'SCAN_FREQUENCY_SCAN_ON_PUSH') return { status: 'COMPLETE', description: 'The scan was completed successfully.' };
    return { status: 'PENDING', description: 'Pending start of the image scan.' };
  }
  switch (reason) {
    case 'SCAN_ELIGIBILITY_EXPIRED':
      return {
        status: 'SCAN_ELIGIBILITY_EXPIRED',
        description: 'The image is outside the scan duration configured in Amazon Inspector; its findings are no longer updated.',
      };
    case 'UNSUPPORTED_OS':
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { status: 'UNSUPPORTED_IMAGE', description: 'Amazon Inspector does not support the operating system or media type of this image.' };
    case 'IMAGE_ARCHIVED':
      return { status: 'IMAGE_ARCHIVED', description: 'The image is archived and is not scanned.' };
    default:
      return { status: 'FINDINGS_UNAVAILABLE', description: `Findings are not available for this image (${reason}).` };
  }
}

const isPosition = (after: unknown): after is FindingPosition =>
  typeof after === 'object' &&
  after !== null &&
  typeof (after as { arn?: unknown }).arn === 'string' &&
  ['string', 'number', 'undefined'].includes(typeof (after as { key?: unknown }).key);

/**
 * A page of an image scan's findings, `size` at most. The token holds the last finding's
 * place in the order (as ListFindings' does) and is good for this image only: a page stays
 * right while findings come and go between calls.
 */
export function scanFindingsPage(scan: ImageScan, request: PageRequest, size: number): Page<Finding> {
  const scope = { op: 'DescribeImageScanFindings', sort: scan.imageArn };
  const order = findingOrder(undefined);
  let start = 0;
  if (request.nextToken !== undefined) {
    const after = decodeToken(scope, request.nextToken, isPosition);
    start = scan.findings.findIndex((f) => order.compare(order.position(f), after) > 0);
    if (start < 0) start = scan.findings.length;
  }
  const items = scan.findings.slice(start, start + size);
  if (start + size >= scan.findings.length) return { items };
  return { items, nextToken: encodeToken(scope, order.position(items.at(-1)!)) };
}
