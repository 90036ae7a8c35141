// SBOM exports: CreateSbomExport starts one (IN_PROGRESS); once the transition time has
// passed, every resource that Inspector actively scans for packages (EC2 instances, ECR
// container images, Lambda functions) of the caller — and of a delegated administrator's
// members — and that matches the export's resource filter gets one software bill of
// materials, written as JSON to the S3 destination where AWS writes it:
//
//   <keyPrefix>/<FORMAT>_outputs_<reportId>/account=<accountId>/resource=<resourceType>/<resourceId>_<FORMAT>.json
//
// (the resource id with "/" written as "_"). The export is then SUCCEEDED — or FAILED with
// AWS's error code (NO_FINDINGS_FOUND when no resource matches), or CANCELLED. A document
// is CycloneDX (specVersion 1.4, the format's name; it is valid CycloneDX 1.5 as well) with
// the vulnerabilities of the resource's ACTIVE findings, or SPDX 2.3. Everything in it is
// derived from the inventory, the findings and the virtual clock: the same world gives the
// same bytes.
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../world.js';
import { DEFAULT_DEEP_INSPECTION_PATHS } from '../accounts/configuration.js';
import type { CoveredResource, Finding } from './documents.js';
import { WorldError } from '../platform/errors.js';
import { sha256 } from '../platform/ids.js';
import type { InstalledPackage } from '../inventory/inventory.js';
import { resourceFilter, visibleAccountRegions } from './query.js';
import { ObjectStoreError } from '../platform/object-store.js';
import { fail, type ReportErrorCode, type ReportStatus } from './reports.js';
import { makeRoomForJob } from './retention.js';
import { findImage, lambdaFunctionArn } from '../scanning/resources.js';
import { splitOsVersion } from '../scanning/versions.js';
import type { AccountRegion, World } from '../world.js';
import { z } from 'zod';
import { declareState, savedCounter, savedRecords } from '../platform/state.js';
import { registerTask, taskAccountId, taskId, taskRegion } from '../platform/tasks.js';
import { standingOf } from '../accounts/organizations.js';

type Shapes = components['schemas'];
export type SbomFormat = Shapes['SbomReportFormat'];

export interface SbomExport {
  reportId: string;
  accountId: string;
  region: string;
  format: SbomFormat;
  s3Destination: Shapes['Destination'];
  filterCriteria?: Shapes['ResourceFilterCriteria'];
  status: ReportStatus;
  errorCode?: ReportErrorCode;
  errorMessage?: string;
}

/** A UUID named by a text (RFC 4122 layout, version 5 style: derived, not random). */
function uuidFrom(text: string): string {
  const hex = sha256(text);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function createSbomExport(
  world: World,
  caller: Caller,
  request: { format: SbomFormat; s3Destination: Shapes['Destination']; filterCriteria?: Shapes['ResourceFilterCriteria'] },
): SbomExport {
  const exports = world.accountRegion(caller.accountId, caller.region).sbomExports;
  makeRoomForJob(world, exports, (state) => state.sbomExports, 'SBOM exports');
  const exported: SbomExport = {
    reportId: uuidFrom(`sbom-export|${caller.accountId}|${caller.region}|${world.global.sbomSequence.sequence++}`),
    accountId: caller.accountId,
    region: caller.region,
    format: request.format,
    s3Destination: request.s3Destination,
    ...(request.filterCriteria ? { filterCriteria: request.filterCriteria } : {}),
    status: 'IN_PROGRESS',
  };
  exports.set(exported.reportId, exported);
  world.afterTransition({ kind: 'produce-sbom-export', accountId: exported.accountId, region: exported.region, reportId: exported.reportId });
  world.changed();
  return exported;
}

/** The caller's export; another account's (or region's) is not found, as if it did not exist. */
export function sbomExportOf(world: World, caller: Caller, reportId: string): SbomExport {
  const exported = world.existingAccountRegion(caller.accountId, caller.region)?.sbomExports.get(reportId);
  if (!exported) throw new WorldError('NotFound', `There is no SBOM export ${reportId}.`);
  return exported;
}

/** An export in progress stops (what it wrote stays); a finished one is left as it is. */
export function cancelSbomExport(world: World, caller: Caller, reportId: string): void {
  const exported = sbomExportOf(world, caller, reportId);
  if (exported.status === 'IN_PROGRESS') exported.status = 'CANCELLED';
  world.changed();
}

// The same test findings reports apply to the destination's key.
const KMS_KEY = /^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;

/** The export's task: its documents are built from the world as it is now, then written one by one. */
async function produceSbomExport(world: World, exported: SbomExport): Promise<void> {
  if (exported.status !== 'IN_PROGRESS') return;
  if (!KMS_KEY.test(exported.s3Destination.kmsKeyArn)) {
    fail(exported, 'MALFORMED_KMS_KEY', `${exported.s3Destination.kmsKeyArn} is not a KMS key ARN.`);
    world.changed();
    return;
  }
  const resources = exportedResources(world, exported);
  if (resources.length === 0) {
    fail(exported, 'NO_FINDINGS_FOUND', 'No resource that Amazon Inspector scans matches the SBOM export criteria.');
    world.changed();
    return;
  }
  const created = world.clock.now();
  const documents = resources.map((resource) => ({
    key: objectKey(exported, resource.row),
    body: `${JSON.stringify(documentOf(exported, resource, created), null, 2)}\n`,
  }));
  try {
    for (const document of documents) {
      // A cancelled export writes no more, nor one forgotten by a reset.
      if (
        exported.status !== 'IN_PROGRESS' ||
        world.existingAccountRegion(exported.accountId, exported.region)?.sbomExports.get(exported.reportId) !== exported
      )
        break;
      await world.objectStore.put(exported.s3Destination.bucketName, document.key, document.body, 'application/json');
    }
    if (exported.status === 'IN_PROGRESS') exported.status = 'SUCCEEDED';
  } catch (error) {
    if (error instanceof ObjectStoreError) fail(exported, error.code, error.message);
    else fail(exported, 'INTERNAL_ERROR', `The SBOM export could not be written: ${(error as Error).message}`);
  }
  // The outcome arrives after the request that started it: say so, for persistence.
  world.changed();
}

/** Where a resource's document goes, as AWS lays an export out. */
function objectKey(exported: SbomExport, row: CoveredResource): string {
  const prefix = exported.s3Destination.keyPrefix ? `${exported.s3Destination.keyPrefix.replace(/\/+$/, '')}/` : '';
  const format = exported.format;
  return `${prefix}${format}_outputs_${exported.reportId}/account=${row.accountId}/resource=${row.resourceType}/${row.resourceId.replace(/\//g, '_')}_${format}.json`;
}

// ---------------------------------------------------------------- what is exported

/** A package where the scan found it: an image layer or a Lambda layer, if not the resource itself. */
interface Located {
  pkg: InstalledPackage;
  sourceLayerHash?: string;
  sourceLambdaLayerArn?: string;
}

/** The operating system's packages' vendor and release, for package URLs. */
interface Distribution {
  namespace: string;
  distro: string;
}

interface ExportedResource {
  state: AccountRegion;
  row: CoveredResource;
  packages: Located[];
  /** What the document's metadata says of the resource (CycloneDX properties). */
  properties: { name: string; value: string }[];
  distribution?: Distribution;
}

const EXPORTED_TYPES = new Set<CoveredResource['resourceType']>(['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_LAMBDA_FUNCTION']);

/**
 * The resources an export covers: those Inspector actively scans for packages and has
 * scanned at least once (it knows their packages), matching the filter, in a stable order.
 */
function exportedResources(world: World, exported: SbomExport): ExportedResource[] {
  const matches = resourceFilter(exported.filterCriteria);
  const resources: ExportedResource[] = [];
  for (const state of visibleAccountRegions(world, exported.accountId, exported.region)) {
    for (const { resource: row } of state.coverage.values()) {
      if (row.scanType !== 'PACKAGE' || row.scanStatus?.statusCode !== 'ACTIVE' || !row.lastScannedAt) continue;
      if (!EXPORTED_TYPES.has(row.resourceType) || !matches(row)) continue;
      const resource = contentsOf(world, state, row);
      if (resource) resources.push(resource);
    }
  }
  const order = (r: ExportedResource) => `${r.row.accountId}|${r.row.resourceType}|${r.row.resourceId}`;
  return resources.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

const OS_VENDORS: [RegExp, string][] = [
  [/^UBUNTU_/, 'ubuntu'],
  [/^DEBIAN_/, 'debian'],
  [/^AMAZON_LINUX_/, 'amzn'],
  [/^RHEL_/, 'redhat'],
  [/^ROCKY_LINUX_/, 'rocky'],
  [/^ALMA_LINUX_/, 'almalinux'],
  [/^SUSE_/, 'suse'],
  [/^CENTOS_/, 'centos'],
  [/^ORACLE_LINUX_/, 'oracle'],
];

/** UBUNTU_22_04 → ubuntu, ubuntu-22.04. */
function distributionOf(platform: string): Distribution | undefined {
  for (const [pattern, namespace] of OS_VENDORS) {
    if (pattern.test(platform)) return { namespace, distro: `${namespace}-${platform.replace(pattern, '').replace(/_/g, '.')}` };
  }
  return undefined;
}

const isOsPackage = (pkg: InstalledPackage) => pkg.ecosystem === 'dpkg' || pkg.ecosystem === 'rpm' || pkg.ecosystem === 'apk';

/** A resource's packages as its scan saw them, and what the document says of it; undefined when it has no SBOM. */
function contentsOf(world: World, state: AccountRegion, row: CoveredResource): ExportedResource | undefined {
  const inventory = state.inventory;
  const base = (packages: Located[], properties: { name: string; value: string }[], distribution?: Distribution): ExportedResource => ({
    state,
    row,
    packages: distinct(packages),
    properties: [...properties, { name: 'accountId', value: row.accountId }, { name: 'resourceType', value: row.resourceType }],
    ...(distribution ? { distribution } : {}),
  });
  switch (row.resourceType) {
    case 'AWS_EC2_INSTANCE': {
      const instance = inventory?.ec2Instances.find((i) => i.instanceId === row.resourceId);
      if (!instance) return undefined;
      // AWS exports no SBOM of an agent-based Windows instance.
      if (instance.platform.startsWith('WINDOWS') && row.scanMode !== 'EC2_AGENTLESS') return undefined;
      // The packages the scan collects (as the scanner does): the OS's, and language packages
      // under the deep inspection paths when deep inspection runs (it needs the SSM agent).
      const deepInspection = state.configuration.deepInspection;
      const organizationPaths = standingOf(world, state.accountId, state.region).inspectorOrganization?.orgPackagePaths ?? [];
      const paths = [...DEFAULT_DEEP_INSPECTION_PATHS, ...deepInspection.packagePaths, ...organizationPaths];
      const deep = deepInspection.activated && row.scanMode === 'EC2_SSM_AGENT_BASED';
      const packages = instance.packages.filter(
        (p) => isOsPackage(p) || (deep && p.filePath !== undefined && paths.some((path) => p.filePath!.startsWith(path))),
      );
      return base(
        packages.map((pkg) => ({ pkg })),
        [
          { name: 'instanceId', value: instance.instanceId },
          { name: 'amiId', value: instance.amiId },
          { name: 'platform', value: instance.platform },
        ],
        distributionOf(instance.platform),
      );
    }
    case 'AWS_ECR_CONTAINER_IMAGE': {
      const found = findImage(state, row.resourceId);
      if (!found) return undefined;
      const { repository, image } = found;
      return base(
        image.layers.flatMap((layer) => layer.packages.map((pkg) => ({ pkg, sourceLayerHash: layer.digest }))),
        [
          { name: 'imageId', value: image.digest },
          { name: 'architecture', value: image.architecture },
          { name: 'repositoryName', value: repository.name },
          ...(image.tags.length ? [{ name: 'imageTags', value: image.tags.join(',') }] : []),
        ],
        distributionOf(image.platform),
      );
    }
    case 'AWS_LAMBDA_FUNCTION': {
      const fn = inventory?.lambdaFunctions.find((f) => lambdaFunctionArn(state, f.name) === row.resourceId);
      if (!fn) return undefined;
      return base(
        [...fn.packages.map((pkg) => ({ pkg })), ...fn.layers.flatMap((layer) => layer.packages.map((pkg) => ({ pkg, sourceLambdaLayerArn: layer.arn })))],
        [
          { name: 'functionName', value: fn.name },
          { name: 'runtime', value: fn.runtime },
          { name: 'architecture', value: fn.architectures.join(',') },
        ],
      );
    }
    default:
      return undefined;
  }
}

/** What tells two found packages apart, and a vulnerable package from a finding to its component. */
function locationKey(name: string, version: string, filePath: string | undefined, source: string | undefined): string {
  return [name, version, filePath ?? '', source ?? ''].join('|');
}

/**
 * A distribution package's version as one text whichever way it is written: the inventory
 * holds `[epoch:]version-release`, a finding the three apart (with the epoch always given).
 */
function osVersionKey(epoch: number, version: string, release: string): string {
  return `${epoch}:${version}-${release}`;
}

function inventoryVersionKey(pkg: InstalledPackage): string {
  if (!isOsPackage(pkg)) return pkg.version;
  const parts = splitOsVersion(pkg.ecosystem as 'dpkg' | 'rpm' | 'apk', pkg.version);
  return osVersionKey(parts.epoch, parts.version, parts.release);
}

const keyOf = (l: Located) => locationKey(l.pkg.name, inventoryVersionKey(l.pkg), l.pkg.filePath, l.sourceLayerHash ?? l.sourceLambdaLayerArn);

function distinct(packages: Located[]): Located[] {
  const seen = new Set<string>();
  return packages.filter((l) => {
    const key = `${l.pkg.ecosystem}|${keyOf(l)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- package URLs

const encode = (segment: string) => encodeURIComponent(segment);

/** pkg:type/namespace/name@version?qualifiers, each part percent-encoded, qualifiers sorted by key. */
function packageUrl(type: string, namespace: string[], name: string, version: string, qualifiers: Record<string, string> = {}): string {
  const path = [...namespace, name].map(encode).join('/');
  const query = Object.keys(qualifiers)
    .sort()
    .map((key) => `${key}=${encode(qualifiers[key]!)}`)
    .join('&');
  return `pkg:${type}/${path}@${encode(version)}${query ? `?${query}` : ''}`;
}

/** The package URL (purl) of a package, by its ecosystem's purl type. */
function purlOf(pkg: InstalledPackage, distribution?: Distribution): string {
  switch (pkg.ecosystem) {
    case 'dpkg':
    case 'rpm': {
      // An epoch goes into a qualifier, as the purl types of deb and rpm say.
      const epoch = /^(\d+):(.+)$/.exec(pkg.version);
      const qualifiers: Record<string, string> = {
        ...(pkg.arch ? { arch: pkg.arch } : {}),
        ...(epoch ? { epoch: epoch[1]! } : {}),
        ...(distribution ? { distro: distribution.distro } : {}),
      };
      // Without an operating system (a Lambda function), the vendor of the format's own distribution.
      const namespace = distribution?.namespace ?? (pkg.ecosystem === 'dpkg' ? 'debian' : 'amzn');
      return packageUrl(pkg.ecosystem === 'dpkg' ? 'deb' : 'rpm', [namespace], pkg.name, epoch ? epoch[2]! : pkg.version, qualifiers);
    }
    case 'apk':
      // The apk purl type: pkg:apk/alpine/<name>@<version>.
      return packageUrl('apk', ['alpine'], pkg.name, pkg.version, {
        ...(pkg.arch ? { arch: pkg.arch } : {}),
        ...(distribution ? { distro: distribution.distro } : {}),
      });
    case 'npm': {
      const scoped = /^(@[^/]+)\/(.+)$/.exec(pkg.name);
      return scoped ? packageUrl('npm', [scoped[1]!], scoped[2]!, pkg.version) : packageUrl('npm', [], pkg.name, pkg.version);
    }
    case 'pypi':
      // PEP 503 normalization, which the pypi purl type asks for.
      return packageUrl('pypi', [], pkg.name.toLowerCase().replace(/[-_.]+/g, '-'), pkg.version);
    case 'maven': {
      const [group, artifact] = pkg.name.includes(':') ? pkg.name.split(':', 2) : [undefined, pkg.name];
      return packageUrl('maven', group ? [group] : [], artifact, pkg.version);
    }
    case 'go': {
      const segments = pkg.name.split('/');
      return packageUrl('golang', segments.slice(0, -1), segments.at(-1)!, pkg.version);
    }
    case 'rubygems':
      return packageUrl('gem', [], pkg.name, pkg.version);
  }
}

// ---------------------------------------------------------------- documents

function documentOf(exported: SbomExport, resource: ExportedResource, created: Date): object {
  return exported.format === 'CYCLONEDX_1_4' ? cycloneDx(exported, resource, created) : spdx(exported, resource, created);
}

/** An ISO 8601 time in whole seconds, as both formats show it. */
const timestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const TOOL = 'inspector2-local';

/** The resource's findings that are ACTIVE package vulnerabilities. */
function activeVulnerabilities(resource: ExportedResource): Finding[] {
  const { state, row } = resource;
  return [...state.findings.arnsOf(row.resourceId)]
    .map((arn) => state.findings.get(arn))
    .filter((f): f is Finding => f !== undefined && f.status === 'ACTIVE' && f.type === 'PACKAGE_VULNERABILITY' && f.packageVulnerabilityDetails !== undefined)
    .sort((a, b) => (a.findingArn < b.findingArn ? -1 : a.findingArn > b.findingArn ? 1 : 0));
}

const INSPECTOR_SEVERITY: Record<Finding['severity'], string> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFORMATIONAL: 'info',
  UNTRIAGED: 'unknown',
};

/** CVSS's qualitative rating of a base score (v2 has no "critical"). */
function cvssSeverity(score: number, version: string): string {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  return version.startsWith('2') || score < 9 ? 'high' : 'critical';
}

/** CycloneDX 1.4's scoring methods; CVSS v4 arrived in 1.5, so it is "other" here. */
function cvssMethod(version: string): string {
  if (version.startsWith('2')) return 'CVSSv2';
  if (version === '3.0') return 'CVSSv3';
  if (version.startsWith('3')) return 'CVSSv31';
  return 'other';
}

function cycloneDx(exported: SbomExport, resource: ExportedResource, created: Date): object {
  const { row } = resource;
  const refOf = new Map<string, string>();
  const components = resource.packages.map((located) => {
    const ref = sha256(`${row.resourceId}|${located.pkg.ecosystem}|${keyOf(located)}`).slice(0, 32);
    refOf.set(keyOf(located), ref);
    return {
      // AWS's exports type the operating system's packages as applications, language packages as libraries.
      type: isOsPackage(located.pkg) ? 'application' : 'library',
      name: located.pkg.name,
      version: located.pkg.version,
      purl: purlOf(located.pkg, resource.distribution),
      'bom-ref': ref,
    };
  });
  const vulnerabilities = activeVulnerabilities(resource).flatMap((finding) => {
    const details = finding.packageVulnerabilityDetails!;
    const affected = [
      ...new Set(
        (details.vulnerablePackages ?? [])
          .map((p) => {
            const version = p.epoch !== undefined ? osVersionKey(p.epoch, p.version, p.release ?? '') : p.version;
            return refOf.get(locationKey(p.name, version, p.filePath, p.sourceLayerHash ?? p.sourceLambdaLayerArn));
          })
          .filter((ref): ref is string => ref !== undefined),
      ),
    ];
    // A finding on a package the SBOM does not list (deep inspection turned off since) is left out.
    if (affected.length === 0) return [];
    const references = [...new Set(details.referenceUrls ?? [])];
    return [
      {
        'bom-ref': sha256(finding.findingArn).slice(0, 32),
        id: details.vulnerabilityId,
        source: { name: details.source, ...(details.sourceUrl ? { url: details.sourceUrl } : {}) },
        ratings: [
          ...(details.cvss ?? []).map((cvss) => ({
            source: { name: cvss.source },
            score: cvss.baseScore,
            severity: cvssSeverity(cvss.baseScore, cvss.version),
            method: cvssMethod(cvss.version),
            vector: cvss.scoringVector,
          })),
          {
            source: { name: 'AMAZON_INSPECTOR' },
            ...(finding.inspectorScore !== undefined ? { score: finding.inspectorScore } : {}),
            severity: INSPECTOR_SEVERITY[finding.severity],
            method: 'other',
          },
        ],
        ...(finding.description ? { description: finding.description } : {}),
        ...(references.length ? { advisories: references.map((url) => ({ url })) } : {}),
        ...(details.vendorCreatedAt ? { published: timestamp(details.vendorCreatedAt) } : {}),
        ...(details.vendorUpdatedAt ? { updated: timestamp(details.vendorUpdatedAt) } : {}),
        affects: affected.map((ref) => ({ ref })),
      },
    ];
  });
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.4',
    serialNumber: `urn:uuid:${uuidFrom(`${exported.reportId}|${row.accountId}|${row.resourceId}`)}`,
    version: 1,
    metadata: {
      timestamp: timestamp(created),
      tools: [{ vendor: TOOL, name: TOOL }],
      properties: resource.properties,
    },
    components,
    ...(vulnerabilities.length ? { vulnerabilities } : {}),
  };
}

const ROOT_PURPOSE: Partial<Record<CoveredResource['resourceType'], string>> = {
  AWS_EC2_INSTANCE: 'OTHER',
  AWS_ECR_CONTAINER_IMAGE: 'CONTAINER',
  AWS_LAMBDA_FUNCTION: 'APPLICATION',
};

function spdx(exported: SbomExport, resource: ExportedResource, created: Date): object {
  const { row } = resource;
  const root = 'SPDXRef-Resource';
  const image = row.resourceType === 'AWS_ECR_CONTAINER_IMAGE' ? resource.properties.find((p) => p.name === 'imageId')?.value : undefined;
  const packages = resource.packages.map((located) => {
    const where = located.sourceLayerHash
      ? `image layer ${located.sourceLayerHash}`
      : located.sourceLambdaLayerArn
        ? `Lambda layer ${located.sourceLambdaLayerArn}`
        : located.pkg.filePath;
    return {
      SPDXID: `SPDXRef-Package-${sha256(`${row.resourceId}|${located.pkg.ecosystem}|${keyOf(located)}`).slice(0, 32)}`,
      name: located.pkg.name,
      versionInfo: located.pkg.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      licenseDeclared: 'NOASSERTION',
      copyrightText: 'NOASSERTION',
      ...(where ? { sourceInfo: `found in ${where}` } : {}),
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purlOf(located.pkg, resource.distribution) }],
      primaryPackagePurpose: isOsPackage(located.pkg) ? 'APPLICATION' : 'LIBRARY',
    };
  });
  return {
    spdxVersion: 'SPDX-2.3',
    // SPDX requires the member; AWS's exports grant no CC0 license on their data, so it asserts none.
    dataLicense: 'NOASSERTION',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: row.resourceId,
    documentNamespace: `https://${TOOL}/sbom-export/${exported.reportId}/${uuidFrom(`${exported.reportId}|${row.accountId}|${row.resourceId}`)}`,
    creationInfo: { created: timestamp(created), creators: [`Tool: ${TOOL}`] },
    packages: [
      {
        SPDXID: root,
        name: row.resourceId,
        ...(image ? { versionInfo: image } : {}),
        downloadLocation: 'NOASSERTION',
        filesAnalyzed: false,
        comment: resource.properties.map((p) => `${p.name}=${p.value}`).join('; '),
        primaryPackagePurpose: ROOT_PURPOSE[row.resourceType] ?? 'OTHER',
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root },
      ...packages.map((p) => ({ spdxElementId: root, relationshipType: 'CONTAINS', relatedSpdxElement: p.SPDXID })),
    ],
  };
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** The account's SBOM exports in the region, by report id, oldest first. */
    sbomExports: Map<string, SbomExport>;
  }
  interface GlobalState {
    /** How many SBOM exports were created: report ids derive from it, never from chance. */
    sbomSequence: { sequence: number };
  }
}

declareState('account-region', 'sbomExports', {
  empty: () => new Map(),
  schema: savedRecords<SbomExport>({
    reportId: z.string(),
    format: z.enum(['CYCLONEDX_1_4', 'SPDX_2_3']),
    s3Destination: z.looseObject({ bucketName: z.string(), keyPrefix: z.string().optional() }),
    status: z.enum(['SUCCEEDED', 'IN_PROGRESS', 'CANCELLED', 'FAILED']),
  }),
});

declareState('global', 'sbomSequence', {
  empty: () => ({ sequence: 0 }),
  schema: z.strictObject({ sequence: savedCounter }),
});

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** An SBOM export writes its documents. */
    'produce-sbom-export': { accountId: string; region: string; reportId: string };
  }
}

registerTask('produce-sbom-export', z.strictObject({ accountId: taskAccountId, region: taskRegion, reportId: taskId }), (world, task) => {
  const exported = world.existingAccountRegion(task.accountId, task.region)?.sbomExports.get(task.reportId);
  if (exported) void produceSbomExport(world, exported);
});
