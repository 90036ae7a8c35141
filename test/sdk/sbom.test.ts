// SBOM exports through the SDK v3: one CycloneDX or SPDX document per actively scanned
// resource, written to a folder (or an S3 endpoint) where AWS lays exports out, each
// validated against the published JSON schema of its format (test/fixtures/sbom).
// Every emulator here runs a manual clock: an export completes when the clock has passed its
// transition time (none, or what the test moves it by), never because wall-clock time went by.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  AssociateMemberCommand,
  CancelSbomExportCommand,
  CreateFilterCommand,
  CreateSbomExportCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetSbomExportCommand,
  ListCoverageCommand,
  ListFindingsCommand,
  ResourceNotFoundException,
  ValidationException,
  type CreateSbomExportCommandInput,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { advanceClock, inspectorClient, jobOutcome, listAllFindings, ORG, rejection, startTestServer, useTempDirs } from '../helpers.js';
import { classicSeedFile } from '../fixtures/classic-world.js';

const ACCOUNT = '790000000021';
const OTHER = '790000000022';
const KMS = (account: string) => `arn:aws:kms:us-east-1:${account}:key/01234567-89ab-cdef-0123-456789abcdef`;
const CLOCK = '2026-05-01T10:00:00Z';
const tempDir = useTempDirs('inspector2-sbom-');

// ---------------------------------------------------------------- the published schemas

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/sbom/${name}`, import.meta.url), 'utf8'));

// ajv-formats is CommonJS: its plugin is the module itself and its `default`.
const addFormats = ajvFormats.default;

function validators(): { cycloneDx: ValidateFunction; spdx: ValidateFunction } {
  // CycloneDX 1.5 is draft-07 and $refs its SPDX license list and JSF by file name (their $id).
  const cycloneDx = new Ajv({ strict: false, allErrors: true });
  addFormats(cycloneDx);
  // Formats ajv-formats lacks: an IRI is a URI once its non-ASCII characters are percent-encoded.
  const uriReference = new Ajv({ strict: false }).addFormat('x', true);
  addFormats(uriReference, ['uri-reference', 'email']);
  const isUriReference = uriReference.compile({ type: 'string', format: 'uri-reference' });
  const isEmail = uriReference.compile({ type: 'string', format: 'email' });
  cycloneDx.addFormat('iri-reference', (value: string) => isUriReference(encodeURI(value)));
  cycloneDx.addFormat('idn-email', (value: string) => isEmail(value));
  cycloneDx.addSchema(fixture('spdx.schema.json'));
  cycloneDx.addSchema(fixture('jsf-0.82.schema.json'));
  // The SPDX 2.3 schema declares JSON Schema draft 2019-09.
  const spdx = new Ajv2019({ strict: false, allErrors: true });
  addFormats(spdx);
  return { cycloneDx: cycloneDx.compile(fixture('bom-1.5.schema.json')), spdx: spdx.compile(fixture('spdx-schema.json')) };
}

const schemas = validators();

function expectValid(validate: ValidateFunction, document: unknown, file: string): void {
  const valid = validate(document);
  expect(valid ? [] : (validate.errors ?? []).map((e) => `${file}: ${e.instancePath} ${e.message}`)).toEqual([]);
}

// ---------------------------------------------------------------- helpers

/** An export's outcome, once the clock has started it (the object store's writes are awaited). */
function finished(client: Inspector2Client, reportId: string) {
  return jobOutcome(() => client.send(new GetSbomExportCommand({ reportId })), `SBOM export ${reportId}`);
}

/** The files under a folder, by their path relative to it. */
function filesUnder(folder: string): string[] {
  try {
    return (readdirSync(folder, { recursive: true }) as string[]).filter((path) => path.endsWith('.json')).sort();
  } catch {
    return [];
  }
}

/** The documents of an export, by their key below `<bucket>/<prefix>`. */
function documents(dataDir: string, bucket: string, prefix: string): Map<string, any> {
  const root = join(dataDir, 's3', bucket, prefix);
  return new Map(filesUnder(root).map((path) => [path, JSON.parse(readFileSync(join(root, path), 'utf8'))]));
}

/** Resources Inspector actively scans for packages: what an export must cover. */
async function packageScanned(client: Inspector2Client, accountId?: string): Promise<{ resourceId: string; resourceType: string; accountId: string }[]> {
  const rows = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListCoverageCommand({
        nextToken,
        filterCriteria: {
          scanType: [{ comparison: 'EQUALS', value: 'PACKAGE' }],
          scanStatusCode: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
          resourceType: ['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_LAMBDA_FUNCTION'].map((value) => ({ comparison: 'EQUALS' as const, value })),
          ...(accountId ? { accountId: [{ comparison: 'EQUALS' as const, value: accountId }] } : {}),
        },
      }),
    );
    rows.push(...page.coveredResources!.map((r) => ({ resourceId: r.resourceId!, resourceType: r.resourceType!, accountId: r.accountId! })));
    nextToken = page.nextToken;
  } while (nextToken);
  return rows;
}

/** Where AWS writes a resource's document below the export's folder. */
const keyOf = (format: string, r: { resourceId: string; resourceType: string; accountId: string }) =>
  join(`account=${r.accountId}`, `resource=${r.resourceType}`, `${r.resourceId.replace(/\//g, '_')}_${format}.json`);

const property = (doc: any, name: string) => doc.metadata.properties.find((p: { name: string }) => p.name === name)?.value;

async function exportSbom(
  client: Inspector2Client,
  input: Omit<CreateSbomExportCommandInput, 's3Destination'> & { bucketName?: string; keyPrefix?: string; kmsKeyArn?: string },
) {
  const { bucketName = 'sbom', keyPrefix, kmsKeyArn, ...rest } = input;
  const accountId = (await client.config.credentials()).accessKeyId;
  const { reportId } = await client.send(
    new CreateSbomExportCommand({ ...rest, s3Destination: { bucketName, ...(keyPrefix ? { keyPrefix } : {}), kmsKeyArn: kmsKeyArn ?? KMS(accountId) } }),
  );
  expect(reportId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  return { reportId: reportId!, result: await finished(client, reportId!) };
}

// ---------------------------------------------------------------- tests

describe('the shipped schemas', () => {
  it('reject documents that break them (so a passing validation means something)', () => {
    expect(schemas.cycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.4', version: 1, serialNumber: 'not-a-urn' })).toBe(false);
    expect(schemas.cycloneDx({ bomFormat: 'CycloneDX', specVersion: '1.4', components: [{ type: 'library' }] })).toBe(false);
    expect(
      schemas.cycloneDx({
        bomFormat: 'CycloneDX',
        specVersion: '1.4',
        components: [{ type: 'library', name: 'x', licenses: [{ license: { id: 'no-such-license' } }] }],
      }),
    ).toBe(false);
    expect(
      schemas.spdx({
        spdxVersion: 'SPDX-2.3',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: 'x',
        documentNamespace: 'https://x',
        creationInfo: { created: CLOCK, creators: ['Tool: x'] },
      }),
    ).toBe(false);
    expect(
      schemas.spdx({
        spdxVersion: 'SPDX-2.3',
        dataLicense: 'CC0-1.0',
        SPDXID: 'SPDXRef-DOCUMENT',
        name: 'x',
        documentNamespace: 'https://x',
        creationInfo: { created: CLOCK, creators: ['Tool: x'] },
        relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'IS_ABOUT', relatedSpdxElement: 'SPDXRef-x' }],
      }),
    ).toBe(false);
  });
});

describe('SBOM exports to a folder', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir();
    // No transition time: an export is due at once, and starts at the next request, with the clock still at CLOCK.
    // The account has a fixed inventory (each account's default world differs), so that documents can be pinned.
    server = await startTestServer({ dataDir, manualClock: true, clockStart: new Date(CLOCK), seed: classicSeedFile(tempDir(), [ACCOUNT]) });
    client = inspectorClient(server.url, { accountId: ACCOUNT });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await client.send(new ListFindingsCommand({}));
  });
  afterAll(() => server.close());

  it('writes one valid CycloneDX document per actively scanned resource, where AWS puts it', async () => {
    const { reportId, result } = await exportSbom(client, { reportFormat: 'CYCLONEDX_1_4', keyPrefix: 'exports/' });
    expect(result).toMatchObject({
      reportId,
      format: 'CYCLONEDX_1_4',
      status: 'SUCCEEDED',
      s3Destination: { bucketName: 'sbom', keyPrefix: 'exports/', kmsKeyArn: KMS(ACCOUNT) },
    });
    expect(result.errorCode).toBeUndefined();
    expect(result.filterCriteria).toBeUndefined();

    const folder = `exports/CYCLONEDX_1_4_outputs_${reportId}`;
    const docs = documents(dataDir, 'sbom', folder);
    const scanned = await packageScanned(client);
    expect(new Set(scanned.map((r) => r.resourceType))).toEqual(new Set(['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_LAMBDA_FUNCTION']));
    expect([...docs.keys()]).toEqual(scanned.map((r) => keyOf('CYCLONEDX_1_4', r)).sort());

    const serials = new Set<string>();
    for (const [file, doc] of docs) {
      expectValid(schemas.cycloneDx, doc, file);
      expect(doc).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.4', version: 1, metadata: { timestamp: CLOCK } });
      expect(property(doc, 'accountId')).toBe(ACCOUNT);
      expect(file).toContain(`resource=${property(doc, 'resourceType')}/`);
      serials.add(doc.serialNumber);
      // Every vulnerability names components of the document.
      const refs = new Set(doc.components.map((c: { 'bom-ref': string }) => c['bom-ref']));
      for (const vulnerability of doc.vulnerabilities ?? []) {
        expect(vulnerability.affects.length).toBeGreaterThan(0);
        for (const { ref } of vulnerability.affects) expect(refs.has(ref)).toBe(true);
      }
    }
    expect(serials.size).toBe(docs.size);

    // An image: its layers' packages, with package URLs, and the vulnerabilities of its ACTIVE findings.
    const [imageFile, image] = [...docs].find(([, doc]) => property(doc, 'repositoryName') === 'web-app')!;
    expect(imageFile).toMatch(
      new RegExp(
        `^account=${ACCOUNT}/resource=AWS_ECR_CONTAINER_IMAGE/arn:aws:ecr:us-east-1:${ACCOUNT}:repository_web-app_sha256:[0-9a-f]{64}_CYCLONEDX_1_4\\.json$`,
      ),
    );
    expect(property(image, 'imageId')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(property(image, 'architecture')).toBe('amd64');
    const purls = image.components.map((c: { purl: string }) => c.purl);
    expect(purls).toEqual(
      expect.arrayContaining([
        'pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&distro=debian-12',
        'pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12&epoch=1',
        'pkg:npm/lodash@4.17.15',
        'pkg:npm/express@4.17.1',
      ]),
    );
    expect(image.components.find((c: { name: string }) => c.name === 'lodash')).toMatchObject({ type: 'library', version: '4.17.15' });
    expect(image.components.find((c: { name: string }) => c.name === 'libssl3')).toMatchObject({ type: 'application', version: '3.0.9-1' });
    const imageId = imageFile
      .split('/')[2]!
      .replace(/_CYCLONEDX_1_4\.json$/, '')
      .replace('repository_web-app_', 'repository/web-app/');
    const active = await listAllFindings(client, {
      resourceId: [{ comparison: 'EQUALS', value: imageId }],
      findingType: [{ comparison: 'EQUALS', value: 'PACKAGE_VULNERABILITY' }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    });
    expect(active.length).toBeGreaterThan(0);
    expect(image.vulnerabilities.map((v: { id: string }) => v.id).sort()).toEqual(active.map((f) => f.packageVulnerabilityDetails!.vulnerabilityId).sort());
    const lodashRef = image.components.find((c: { name: string }) => c.name === 'lodash')['bom-ref'];
    const lodashFinding = active.find((f) => f.packageVulnerabilityDetails!.vulnerablePackages!.some((p) => p.name === 'lodash'))!;
    const lodashVulnerability = image.vulnerabilities.find((v: { id: string }) => v.id === lodashFinding.packageVulnerabilityDetails!.vulnerabilityId);
    expect(lodashVulnerability.affects).toContainEqual({ ref: lodashRef });
    expect(lodashVulnerability.ratings).toContainEqual(
      expect.objectContaining({ source: { name: 'AMAZON_INSPECTOR' }, severity: lodashFinding.severity!.toLowerCase(), method: 'other' }),
    );

    // An instance: OS packages of its distribution, and the jar deep inspection finds.
    const web = [...docs.values()].find(
      (doc) => property(doc, 'platform') === 'UBUNTU_22_04' && doc.components.some((c: { name: string }) => c.name === 'sudo'),
    )!;
    expect(web.components.map((c: { purl: string }) => c.purl)).toEqual(
      expect.arrayContaining([
        'pkg:deb/ubuntu/sudo@1.9.9-1ubuntu2?arch=amd64&distro=ubuntu-22.04',
        'pkg:deb/ubuntu/zlib1g@1.2.11.dfsg-2ubuntu9?arch=amd64&distro=ubuntu-22.04&epoch=1',
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      ]),
    );
    // A function: its own packages and its layers'.
    const orders = [...docs.values()].find((doc) => property(doc, 'functionName') === 'orders-api')!;
    expect(orders.components.map((c: { purl: string }) => c.purl).sort()).toEqual([
      'pkg:pypi/pyyaml@5.3.1',
      'pkg:pypi/requests@2.25.1',
      'pkg:pypi/urllib3@1.26.4',
    ]);
    const thumbnailer = [...docs.values()].find((doc) => property(doc, 'functionName') === 'thumbnailer')!;
    expect(thumbnailer.components.map((c: { purl: string }) => c.purl).sort()).toEqual(['pkg:npm/jsonwebtoken@8.5.1', 'pkg:npm/semver@7.5.1']);
  });

  it('writes valid SPDX 2.3 documents: the resource DESCRIBED, CONTAINING its packages with their purls', async () => {
    const { reportId, result } = await exportSbom(client, { reportFormat: 'SPDX_2_3', keyPrefix: 'spdx' });
    expect(result).toMatchObject({ reportId, format: 'SPDX_2_3', status: 'SUCCEEDED' });
    const docs = documents(dataDir, 'sbom', `spdx/SPDX_2_3_outputs_${reportId}`);
    expect([...docs.keys()]).toEqual((await packageScanned(client)).map((r) => keyOf('SPDX_2_3', r)).sort());
    const namespaces = new Set<string>();
    for (const [file, doc] of docs) {
      expectValid(schemas.spdx, doc, file);
      expect(doc).toMatchObject({
        spdxVersion: 'SPDX-2.3',
        SPDXID: 'SPDXRef-DOCUMENT',
        creationInfo: { created: CLOCK, creators: ['Tool: inspector2-local'] },
      });
      expect(file.endsWith(`${doc.name.replace(/\//g, '_')}_SPDX_2_3.json`)).toBe(true);
      namespaces.add(doc.documentNamespace);
      const [root, ...packages] = doc.packages;
      expect(root.name).toBe(doc.name);
      expect(doc.relationships[0]).toEqual({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root.SPDXID });
      expect(doc.relationships.slice(1)).toEqual(
        packages.map((p: { SPDXID: string }) => ({ spdxElementId: root.SPDXID, relationshipType: 'CONTAINS', relatedSpdxElement: p.SPDXID })),
      );
      expect(new Set(doc.packages.map((p: { SPDXID: string }) => p.SPDXID)).size).toBe(doc.packages.length);
      for (const p of packages) {
        expect(p.externalRefs).toEqual([
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: expect.stringMatching(/^pkg:[a-z]+\//) },
        ]);
        expect(p.versionInfo).toBeTruthy();
      }
    }
    expect(namespaces.size).toBe(docs.size);
    const image = [...docs.values()].find((doc) => doc.packages[0].primaryPackagePurpose === 'CONTAINER' && doc.name.includes('web-app'))!;
    const lodash = image.packages.find((p: { name: string }) => p.name === 'lodash');
    expect(lodash).toMatchObject({
      versionInfo: '4.17.15',
      primaryPackagePurpose: 'LIBRARY',
      sourceInfo: expect.stringMatching(/^found in image layer sha256:/),
    });
    expect(lodash.externalRefs[0].referenceLocator).toBe('pkg:npm/lodash@4.17.15');
  });

  it('exports only the resources the filter selects, and says which filter', async () => {
    const onlyWebApp = { ecrRepositoryName: [{ comparison: 'EQUALS' as const, value: 'web-app' }] };
    const { reportId, result } = await exportSbom(client, { reportFormat: 'CYCLONEDX_1_4', resourceFilterCriteria: onlyWebApp });
    expect(result).toMatchObject({ status: 'SUCCEEDED', filterCriteria: onlyWebApp });
    const docs = documents(dataDir, 'sbom', `CYCLONEDX_1_4_outputs_${reportId}`);
    // web-app:v1 is outside its rescan window (inactive): only v2 is scanned.
    expect(docs.size).toBe(1);
    expect(property([...docs.values()][0], 'imageTags')).toBe('latest,v2');

    const byTag = await exportSbom(client, {
      reportFormat: 'SPDX_2_3',
      resourceFilterCriteria: { ec2InstanceTags: [{ comparison: 'EQUALS', key: 'Name', value: 'web-1' }] },
    });
    const tagged = documents(dataDir, 'sbom', `SPDX_2_3_outputs_${byTag.reportId}`);
    expect([...tagged.keys()]).toHaveLength(1);
    expect([...tagged.keys()][0]).toMatch(new RegExp(`^account=${ACCOUNT}/resource=AWS_EC2_INSTANCE/i-[0-9a-f]{17}_SPDX_2_3\\.json$`));

    const noInstances = await exportSbom(client, {
      reportFormat: 'CYCLONEDX_1_4',
      resourceFilterCriteria: {
        resourceType: [{ comparison: 'NOT_EQUALS', value: 'AWS_EC2_INSTANCE' }],
        lambdaFunctionTags: [{ comparison: 'EQUALS', key: 'Service' }],
      },
    });
    const functions = documents(dataDir, 'sbom', `CYCLONEDX_1_4_outputs_${noInstances.reportId}`);
    expect([...functions.values()].map((doc) => property(doc, 'functionName')).sort()).toEqual(['orders-api', 'thumbnailer']);
  });

  it('leaves out the vulnerabilities of findings that are no longer ACTIVE', async () => {
    const before = await exportSbom(client, {
      reportFormat: 'CYCLONEDX_1_4',
      resourceFilterCriteria: { lambdaFunctionName: [{ comparison: 'EQUALS', value: 'orders-api' }] },
    });
    const [doc] = documents(dataDir, 'sbom', `CYCLONEDX_1_4_outputs_${before.reportId}`).values();
    const ids: string[] = doc.vulnerabilities.map((v: { id: string }) => v.id);
    expect(ids.length).toBeGreaterThan(1);
    await client.send(
      new CreateFilterCommand({ name: 'accept-one', action: 'SUPPRESS', filterCriteria: { vulnerabilityId: [{ comparison: 'EQUALS', value: ids[0]! }] } }),
    );
    const after = await exportSbom(client, {
      reportFormat: 'CYCLONEDX_1_4',
      resourceFilterCriteria: { lambdaFunctionName: [{ comparison: 'EQUALS', value: 'orders-api' }] },
    });
    const [again] = documents(dataDir, 'sbom', `CYCLONEDX_1_4_outputs_${after.reportId}`).values();
    expect(again.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(ids.slice(1));
    expect(again.components).toEqual(doc.components);
  });

  it('fails with AWS’s error codes: nothing matches, a malformed KMS key, a bucket it may not write', async () => {
    const nothing = await exportSbom(client, {
      reportFormat: 'CYCLONEDX_1_4',
      resourceFilterCriteria: { ecrRepositoryName: [{ comparison: 'EQUALS', value: 'web-app' }], ec2InstanceTags: [{ comparison: 'EQUALS', key: 'Name' }] },
    });
    expect(nothing.result).toMatchObject({ status: 'FAILED', errorCode: 'NO_FINDINGS_FOUND', errorMessage: expect.stringContaining('No resource') });
    const badKey = await exportSbom(client, { reportFormat: 'SPDX_2_3', kmsKeyArn: 'my-key' });
    expect(badKey.result).toMatchObject({ status: 'FAILED', errorCode: 'MALFORMED_KMS_KEY', errorMessage: 'my-key is not a KMS key ARN.' });
    // A bucket name S3 would refuse (here one that would leave the folder store) is refused at once.
    const outside = await rejection(exportSbom(client, { reportFormat: 'SPDX_2_3', bucketName: '..' }));
    expect(outside.name).toBe('ValidationException');
    // An account that never enabled Inspector has nothing scanned.
    const idle = await exportSbom(inspectorClient(server.url, { accountId: '790000000029' }), { reportFormat: 'CYCLONEDX_1_4' });
    expect(idle.result).toMatchObject({ status: 'FAILED', errorCode: 'NO_FINDINGS_FOUND' });
    expect(filesUnder(join(dataDir, 's3', 'sbom')).filter((f) => [nothing, badKey, idle].some((e) => f.includes(e.reportId)))).toEqual([]);
  });

  it('answers ResourceNotFoundException for an unknown id and for another account’s export', async () => {
    const unknown = '01234567-0000-4000-8000-000000000000';
    for (const call of [client.send(new GetSbomExportCommand({ reportId: unknown })), client.send(new CancelSbomExportCommand({ reportId: unknown }))]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.$metadata?.httpStatusCode).toBe(404);
      expect(error.message).toBe(`There is no SBOM export ${unknown}.`);
    }
    const { reportId } = await exportSbom(client, { reportFormat: 'SPDX_2_3' });
    const other = inspectorClient(server.url, { accountId: OTHER });
    for (const call of [other.send(new GetSbomExportCommand({ reportId })), other.send(new CancelSbomExportCommand({ reportId }))]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toBe(`There is no SBOM export ${reportId}.`);
    }
    // Nor from another region of the same account.
    expect(
      await rejection(inspectorClient(server.url, { accountId: ACCOUNT, region: 'eu-west-1' }).send(new GetSbomExportCommand({ reportId }))),
    ).toBeInstanceOf(ResourceNotFoundException);
    expect((await client.send(new GetSbomExportCommand({ reportId }))).status).toBe('SUCCEEDED');
    const malformed = await rejection(client.send(new GetSbomExportCommand({ reportId: 'report-1' })));
    expect(malformed).toBeInstanceOf(ValidationException);
    expect(malformed.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('SBOM exports over the virtual clock', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir();
    server = await startTestServer({ dataDir, transitionMs: 60_000, manualClock: true });
    client = inspectorClient(server.url, { accountId: ACCOUNT });
    await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    await advanceClock(server.url, '61s');
  });
  afterAll(() => server.close());

  it('is IN_PROGRESS until the transition time has passed, then SUCCEEDED', async () => {
    const { reportId } = await client.send(
      new CreateSbomExportCommand({ reportFormat: 'CYCLONEDX_1_4', s3Destination: { bucketName: 'sbom', kmsKeyArn: KMS(ACCOUNT) } }),
    );
    expect((await client.send(new GetSbomExportCommand({ reportId }))).status).toBe('IN_PROGRESS');
    await advanceClock(server.url, '30s');
    expect((await client.send(new GetSbomExportCommand({ reportId }))).status).toBe('IN_PROGRESS');
    expect(filesUnder(join(dataDir, 's3', 'sbom'))).toEqual([]);
    await advanceClock(server.url, '31s');
    expect(await finished(client, reportId!)).toMatchObject({ status: 'SUCCEEDED' });
    const written = filesUnder(join(dataDir, 's3', 'sbom', `CYCLONEDX_1_4_outputs_${reportId}`));
    expect(written.length).toBeGreaterThan(0);
    expect(written.every((f) => f.startsWith(`account=${ACCOUNT}/resource=AWS_ECR_CONTAINER_IMAGE/`))).toBe(true);
  });

  it('is CANCELLED by CancelSbomExport while in progress, and writes nothing; a finished export stays as it is', async () => {
    const { reportId } = await client.send(
      new CreateSbomExportCommand({ reportFormat: 'SPDX_2_3', s3Destination: { bucketName: 'sbom', kmsKeyArn: KMS(ACCOUNT) } }),
    );
    expect(await client.send(new CancelSbomExportCommand({ reportId: reportId! }))).toMatchObject({ reportId });
    expect((await client.send(new GetSbomExportCommand({ reportId }))).status).toBe('CANCELLED');
    await advanceClock(server.url, '2m');
    const cancelled = await client.send(new GetSbomExportCommand({ reportId }));
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.errorCode).toBeUndefined();
    expect(filesUnder(join(dataDir, 's3', 'sbom', `SPDX_2_3_outputs_${reportId}`))).toEqual([]);

    const done = await client.send(new CreateSbomExportCommand({ reportFormat: 'SPDX_2_3', s3Destination: { bucketName: 'sbom', kmsKeyArn: KMS(ACCOUNT) } }));
    expect((await client.send(new GetSbomExportCommand({ reportId: done.reportId }))).status).toBe('IN_PROGRESS');
    await advanceClock(server.url, '61s');
    expect(await finished(client, done.reportId!)).toMatchObject({ status: 'SUCCEEDED' });
    await client.send(new CancelSbomExportCommand({ reportId: done.reportId! }));
    expect((await client.send(new GetSbomExportCommand({ reportId: done.reportId }))).status).toBe('SUCCEEDED');
  });
});

describe('SBOM exports in an organization', () => {
  let server: RunningServer;
  let dataDir: string;
  const as = (accountId: string) => inspectorClient(server.url, { accountId });
  beforeAll(async () => {
    dataDir = tempDir();
    server = await startTestServer({ dataDir, manualClock: true });
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    const admin = as(ORG.securityTooling);
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await admin.send(new AssociateMemberCommand({ accountId: ORG.staging }));
    await admin.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'], accountIds: [ORG.securityTooling, ORG.production, ORG.staging] }));
    await admin.send(new ListFindingsCommand({}));
    await admin.send(new ListFindingsCommand({}));
  });
  afterAll(() => server.close());

  const accountsIn = (docs: Map<string, unknown>) => [...new Set([...docs.keys()].map((key) => key.split('/')[0]))].sort();

  it('a delegated administrator’s export covers its members’ resources; a member’s only its own', async () => {
    const admin = await exportSbom(as(ORG.securityTooling), { reportFormat: 'CYCLONEDX_1_4', bucketName: 'org-sbom' });
    expect(admin.result.status).toBe('SUCCEEDED');
    const adminDocs = documents(dataDir, 'org-sbom', `CYCLONEDX_1_4_outputs_${admin.reportId}`);
    expect(accountsIn(adminDocs)).toEqual([`account=${ORG.securityTooling}`, `account=${ORG.production}`, `account=${ORG.staging}`].sort());
    expect([...adminDocs.keys()]).toEqual((await packageScanned(as(ORG.securityTooling))).map((r) => keyOf('CYCLONEDX_1_4', r)).sort());
    for (const [file, doc] of adminDocs) {
      expectValid(schemas.cycloneDx, doc, file);
      expect(file.startsWith(`account=${property(doc, 'accountId')}/`)).toBe(true);
    }

    const member = await exportSbom(as(ORG.production), { reportFormat: 'SPDX_2_3', bucketName: 'org-sbom' });
    const memberDocs = documents(dataDir, 'org-sbom', `SPDX_2_3_outputs_${member.reportId}`);
    expect(accountsIn(memberDocs)).toEqual([`account=${ORG.production}`]);
    expect(memberDocs.size).toBe((await packageScanned(as(ORG.production), ORG.production)).length);
    for (const [file, doc] of memberDocs) expectValid(schemas.spdx, doc, file);

    // The administrator can narrow its export to one account.
    const narrowed = await exportSbom(as(ORG.securityTooling), {
      reportFormat: 'CYCLONEDX_1_4',
      bucketName: 'org-sbom',
      resourceFilterCriteria: { accountId: [{ comparison: 'EQUALS', value: ORG.staging }] },
    });
    expect(accountsIn(documents(dataDir, 'org-sbom', `CYCLONEDX_1_4_outputs_${narrowed.reportId}`))).toEqual([`account=${ORG.staging}`]);
    // The member does not see the administrator's export.
    expect(await rejection(as(ORG.production).send(new GetSbomExportCommand({ reportId: admin.reportId })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

/** An S3 endpoint that knows some buckets: PutObject into another answers NoSuchBucket, as S3 does. */
function fakeS3(buckets: string[]): Promise<{ endpoint: string; keys: string[]; server: Server }> {
  const keys: string[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const [, bucket, ...key] = new URL(request.url!, 'http://s3').pathname.split('/');
      if (request.method !== 'PUT' || !buckets.includes(bucket!)) {
        response.writeHead(404, { 'content-type': 'application/xml' });
        response.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${bucket}</BucketName></Error>`,
        );
        return;
      }
      keys.push(decodeURIComponent(key.join('/')));
      response.writeHead(200, { etag: '"0"' });
      response.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, keys, server })),
  );
}

describe('SBOM exports to an S3 endpoint', () => {
  let s3: Awaited<ReturnType<typeof fakeS3>>;
  let server: RunningServer;
  beforeAll(async () => {
    s3 = await fakeS3(['sbom-bucket']);
    server = await startTestServer({ s3Endpoint: s3.endpoint, manualClock: true, seed: classicSeedFile(tempDir(), [ACCOUNT]) });
  });
  afterAll(async () => {
    await server.close();
    s3.server.close();
  });

  it('puts the documents under the prefix, and fails with BUCKET_NOT_FOUND when the bucket does not exist', async () => {
    const client = inspectorClient(server.url, { accountId: ACCOUNT });
    await client.send(new EnableCommand({ resourceTypes: ['LAMBDA'] }));
    await client.send(new ListFindingsCommand({}));
    const { reportId, result } = await exportSbom(client, { reportFormat: 'CYCLONEDX_1_4', bucketName: 'sbom-bucket', keyPrefix: 'nightly' });
    expect(result.status).toBe('SUCCEEDED');
    expect(s3.keys.sort()).toEqual(
      ['orders-api', 'thumbnailer'].map(
        (name) =>
          `nightly/CYCLONEDX_1_4_outputs_${reportId}/account=${ACCOUNT}/resource=AWS_LAMBDA_FUNCTION/arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}:$LATEST_CYCLONEDX_1_4.json`,
      ),
    );

    const missing = await exportSbom(client, { reportFormat: 'SPDX_2_3', bucketName: 'no-such-bucket' });
    expect(missing.result).toMatchObject({ status: 'FAILED', errorCode: 'BUCKET_NOT_FOUND', errorMessage: 'The bucket no-such-bucket does not exist.' });
  });
});
