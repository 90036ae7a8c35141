// ECR's view of enhanced scanning on the emulator's port (JSON 1.1, signed for `ecr`), through
// the AWS CLI, boto3 and the SDK v3: an image's enhanced findings are ListFindings' for that
// image, pages follow nextToken, unknown repositories and images get ECR's errors, and the
// registry is BASIC until Inspector scans ECR in the account and region.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BatchGetRepositoryScanningConfigurationCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetRegistryScanningConfigurationCommand,
  ECRClient,
  ListImagesCommand,
  paginateDescribeImageScanFindings,
  type EnhancedImageScanFinding,
} from '@aws-sdk/client-ecr';
import { EnableCommand, type Inspector2Client } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsClientEnv, commandMissing, inspectorClient, listAllFindings, rejection, skipWithout, startTestServer, useTempDirs } from '../helpers.js';

const run = promisify(execFile);

const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));
const noCli = skipWithout('the AWS CLI', commandMissing('aws', ['--version']));

const ACCOUNT = '720000000001';
/** An account that scans EC2 only: its registry stays BASIC. */
const BASIC_ACCOUNT = '720000000002';
const REGION = 'eu-west-1';

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const dpkg = (name: string, version: string) => ({ name, version, ecosystem: 'dpkg', arch: 'amd64' });
const npm = (name: string, version: string) => ({ name, version, ecosystem: 'npm', filePath: `/app/node_modules/${name}/package.json` });
/** Repositories of every scan frequency; `web` is part of `web-app`'s name (a plain filter `web` would match both). */
const REPOSITORIES = [
  {
    name: 'web-app',
    scanFrequency: 'CONTINUOUS_SCAN',
    images: [
      {
        digest: digest(1),
        tags: ['latest', 'v2'],
        pushedAt: '-2d',
        platform: 'DEBIAN_12',
        layers: [
          { digest: digest(101), packages: [dpkg('libssl3', '3.0.9-1'), dpkg('zlib1g', '1:1.2.13.dfsg-1')] },
          { digest: digest(102), packages: [npm('lodash', '4.17.15'), npm('express', '4.17.1'), npm('axios', '0.21.0')] },
        ],
      },
      // Pushed long ago, never pulled: outside the default scan duration.
      { digest: digest(2), tags: ['v1'], pushedAt: '-40d', platform: 'DEBIAN_12', layers: [{ digest: digest(103), packages: [npm('lodash', '4.17.15')] }] },
    ],
  },
  {
    name: 'web',
    scanFrequency: 'CONTINUOUS_SCAN',
    images: [
      { digest: digest(3), tags: ['v1'], pushedAt: '-1d', platform: 'DEBIAN_12', layers: [{ digest: digest(104), packages: [] }] },
      // An operating system Inspector does not scan.
      { digest: digest(6), tags: ['odd'], pushedAt: '-1d', platform: 'PLAN9_4', layers: [{ digest: digest(107), packages: [] }] },
    ],
  },
  {
    name: 'base-images',
    scanFrequency: 'SCAN_ON_PUSH',
    images: [
      { digest: digest(4), tags: ['al2023'], pushedAt: '-1d', platform: 'DEBIAN_12', layers: [{ digest: digest(105), packages: [npm('axios', '0.21.0')] }] },
    ],
  },
  {
    name: 'legacy',
    scanFrequency: 'MANUAL',
    images: [{ digest: digest(5), tags: ['old'], pushedAt: '-1d', platform: 'DEBIAN_12', layers: [{ digest: digest(106), packages: [] }] }],
  },
];

let server: RunningServer;
let inspector: Inspector2Client;
let ecr: ECRClient;
const digests = new Map([
  ['web-app:latest', digest(1)],
  ['web-app:v2', digest(1)],
  ['web-app:v1', digest(2)],
  ['base-images:al2023', digest(4)],
]);
const tempDir = useTempDirs('inspector2-ecr-');

beforeAll(async () => {
  const seed = join(tempDir(), 'seed.json');
  writeFileSync(
    seed,
    JSON.stringify({ accounts: [ACCOUNT, BASIC_ACCOUNT].map((accountId) => ({ accountId, region: REGION, ecrRepositories: REPOSITORIES })) }),
  );
  server = await startTestServer({ seed });
  inspector = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
  ecr = new ECRClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' }, maxAttempts: 1 });
  // The default transition and scan times are 0: the next request finds ECR enabled and the images scanned.
  await inspector.send(new EnableCommand({ resourceTypes: ['ECR'] }));
  await inspectorClient(server.url, { accountId: BASIC_ACCOUNT, region: REGION }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
});
afterAll(() => server.close());

const imageArn = (repository: string, tag: string) => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${repository}/${digests.get(`${repository}:${tag}`)}`;

/** The image's findings as ListFindings tells them (active ones). */
async function listFindingsOf(arn: string) {
  return listAllFindings(inspector, { resourceId: [{ comparison: 'EQUALS', value: arn }], findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] });
}

describe.skipIf(noCli)('ECR through the AWS CLI', () => {
  const aws = async (account: string, ...args: string[]) => {
    try {
      const { stdout } = await run('aws', ['--endpoint-url', server.url, '--region', REGION, '--output', 'json', 'ecr', ...args], {
        env: awsClientEnv(account, REGION),
      });
      return JSON.parse(stdout);
    } catch (error) {
      return { error: (error as { stderr: string }).stderr };
    }
  };

  it('describe-image-scan-findings: the enhanced findings are those ListFindings gives for the image', async () => {
    const out = await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'web-app', '--image-id', 'imageTag=v2');
    const listed = await listFindingsOf(imageArn('web-app', 'v2'));
    expect(listed.length).toBeGreaterThan(1);
    expect(out.registryId).toBe(ACCOUNT);
    expect(out.repositoryName).toBe('web-app');
    expect(out.imageId).toEqual({ imageDigest: digests.get('web-app:v2'), imageTag: 'v2' });
    expect(out.imageScanStatus).toEqual({ status: 'ACTIVE', description: 'Continuous scan is selected for image.' });
    const enhanced: EnhancedImageScanFinding[] = out.imageScanFindings.enhancedFindings;
    expect(enhanced.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).sort()).toEqual(
      listed.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).sort(),
    );
    expect(enhanced.map((f) => f.findingArn).sort()).toEqual(listed.map((f) => f.findingArn).sort());
    const byArn = new Map(listed.map((f) => [f.findingArn, f]));
    for (const finding of enhanced) {
      const inspected = byArn.get(finding.findingArn)!;
      expect(finding).toMatchObject({
        severity: inspected.severity,
        status: 'ACTIVE',
        type: 'PACKAGE_VULNERABILITY',
        awsAccountId: ACCOUNT,
        title: inspected.title,
      });
      expect(finding.score).toBe(inspected.inspectorScore);
      expect(finding.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => [p.name, p.version])).toEqual(
        inspected.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => [p.name, p.version]),
      );
      expect(finding.resources?.[0]).toMatchObject({ id: imageArn('web-app', 'v2'), type: 'AWS_ECR_CONTAINER_IMAGE' });
      expect(finding.resources?.[0]?.details?.awsEcrContainerImage).toMatchObject({
        repositoryName: 'web-app',
        registry: ACCOUNT,
        imageHash: digests.get('web-app:v2'),
      });
    }
    const counts: Record<string, number> = out.imageScanFindings.findingSeverityCounts;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(listed.length);
    // The AWS CLI v1 prints timestamps as epoch seconds.
    expect(typeof out.imageScanFindings.imageScanCompletedAt).toBe('number');
  });

  it('describe-image-scan-findings: scan on push is COMPLETE; an image past the scan duration is SCAN_ELIGIBILITY_EXPIRED', async () => {
    const onPush = await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'base-images', '--image-id', 'imageTag=al2023');
    expect(onPush.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    const expired = await aws(
      ACCOUNT,
      'describe-image-scan-findings',
      '--repository-name',
      'web-app',
      '--image-id',
      `imageDigest=${digests.get('web-app:v1')}`,
    );
    expect(expired.imageScanStatus.status).toBe('SCAN_ELIGIBILITY_EXPIRED');
    expect(expired.imageScanFindings.enhancedFindings).toEqual([]);
    expect(expired.imageId).toEqual({ imageDigest: digests.get('web-app:v1') });
    const unsupported = await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'web', '--image-id', 'imageTag=odd');
    expect(unsupported.imageScanStatus.status).toBe('UNSUPPORTED_IMAGE');
  });

  it('unknown repositories and images get ECR errors; an image of a BASIC registry has no scan', async () => {
    expect((await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'nope', '--image-id', 'imageTag=v2')).error).toContain(
      `(RepositoryNotFoundException) when calling the DescribeImageScanFindings operation: The repository with name 'nope' does not exist in the registry with id '${ACCOUNT}'`,
    );
    expect((await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'web-app', '--image-id', 'imageTag=v9')).error).toContain(
      "(ImageNotFoundException) when calling the DescribeImageScanFindings operation: The image with imageId {imageDigest:'null', imageTag:'v9'} does not exist within the repository with name 'web-app'",
    );
    expect((await aws(ACCOUNT, 'describe-images', '--repository-name', 'nope')).error).toContain('(RepositoryNotFoundException)');
    expect((await aws(ACCOUNT, 'describe-repositories', '--repository-names', 'web-app', 'nope')).error).toContain(
      "The repository with name 'nope' does not exist",
    );
    expect((await aws(BASIC_ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'web-app', '--image-id', 'imageTag=v2')).error).toContain(
      '(ScanNotFoundException) when calling the DescribeImageScanFindings operation: Image scan does not exist for the image',
    );
    // A repository no enhanced scanning rule matches (MANUAL) is not scanned.
    expect((await aws(ACCOUNT, 'describe-image-scan-findings', '--repository-name', 'legacy', '--image-id', 'imageTag=old')).error).toContain(
      '(ScanNotFoundException)',
    );
    expect((await aws(ACCOUNT, 'list-images', '--repository-name', 'web-app')).error).toContain('(UnknownOperationException)');
  });

  it('get-registry-scanning-configuration: ENHANCED with the repositories’ frequencies, BASIC where ECR is not scanned', async () => {
    expect(await aws(ACCOUNT, 'get-registry-scanning-configuration')).toEqual({
      registryId: ACCOUNT,
      scanningConfiguration: {
        scanType: 'ENHANCED',
        rules: [
          {
            scanFrequency: 'CONTINUOUS_SCAN',
            repositoryFilters: [
              { filter: 'we*b', filterType: 'WILDCARD' },
              { filter: 'web-app', filterType: 'WILDCARD' },
            ],
          },
          { scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'base-images', filterType: 'WILDCARD' }] },
        ],
      },
    });
    expect(await aws(BASIC_ACCOUNT, 'get-registry-scanning-configuration')).toEqual({
      registryId: BASIC_ACCOUNT,
      scanningConfiguration: { scanType: 'BASIC', rules: [] },
    });
  });

  it('batch-get-repository-scanning-configuration: per repository, and failures for unknown ones', async () => {
    const out = await aws(ACCOUNT, 'batch-get-repository-scanning-configuration', '--repository-names', 'web-app', 'base-images', 'nope', 'legacy');
    expect(out.scanningConfigurations).toEqual([
      {
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web-app`,
        repositoryName: 'web-app',
        scanOnPush: true,
        scanFrequency: 'CONTINUOUS_SCAN',
        appliedScanFilters: [{ filter: 'web-app', filterType: 'WILDCARD' }],
      },
      {
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/base-images`,
        repositoryName: 'base-images',
        scanOnPush: true,
        scanFrequency: 'SCAN_ON_PUSH',
        appliedScanFilters: [{ filter: 'base-images', filterType: 'WILDCARD' }],
      },
      {
        repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/legacy`,
        repositoryName: 'legacy',
        scanOnPush: false,
        scanFrequency: 'MANUAL',
        appliedScanFilters: [],
      },
    ]);
    expect(out.failures).toEqual([{ repositoryName: 'nope', failureCode: 'REPOSITORY_NOT_FOUND', failureReason: 'REPOSITORY_NOT_FOUND' }]);
    const basic = await aws(BASIC_ACCOUNT, 'batch-get-repository-scanning-configuration', '--repository-names', 'web-app');
    expect(basic.scanningConfigurations[0]).toMatchObject({ scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] });
  });

  it('describe-repositories and describe-images: ECR’s shapes, pages across maxResults', async () => {
    const { repositories } = await aws(ACCOUNT, 'describe-repositories');
    expect(repositories.map((r: { repositoryName: string }) => r.repositoryName)).toEqual(['base-images', 'legacy', 'web', 'web-app']);
    expect(repositories[3]).toMatchObject({
      repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/web-app`,
      registryId: ACCOUNT,
      repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web-app`,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(typeof repositories[3].createdAt).toBe('number');
    // The CLI follows nextToken itself; one image a page.
    const { imageDetails } = await aws(ACCOUNT, 'describe-images', '--repository-name', 'web-app', '--page-size', '1');
    expect(imageDetails.map((i: { imageDigest: string }) => i.imageDigest).sort()).toEqual([digests.get('web-app:v1'), digests.get('web-app:v2')].sort());
    expect(imageDetails.find((i: { imageDigest: string }) => i.imageDigest === digests.get('web-app:v2'))).toMatchObject({
      registryId: ACCOUNT,
      repositoryName: 'web-app',
      imageTags: ['latest', 'v2'],
      imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      imageStatus: 'ACTIVE',
    });
    const tagged = await aws(ACCOUNT, 'describe-images', '--repository-name', 'web-app', '--filter', 'tagStatus=UNTAGGED');
    expect(tagged.imageDetails).toEqual([]);
  });
});

describe.skipIf(noBoto3)('ECR through boto3', () => {
  it('pages of describe_image_scan_findings hold every finding once; a bad token or page size is InvalidParameterException', async () => {
    const script = `
import json, sys, boto3
ecr = boto3.client('ecr', endpoint_url=sys.argv[1], region_name='${REGION}')
pages, token = [], None
while True:
    kwargs = {'repositoryName': 'web-app', 'imageId': {'imageTag': 'latest'}, 'maxResults': 2}
    if token: kwargs['nextToken'] = token
    out = ecr.describe_image_scan_findings(**kwargs)
    pages.append([f['packageVulnerabilityDetails']['vulnerabilityId'] for f in out['imageScanFindings']['enhancedFindings']])
    token = out.get('nextToken')
    if not token: break
paginated = [f['findingArn'] for page in ecr.get_paginator('describe_image_scan_findings').paginate(repositoryName='web-app', imageId={'imageTag': 'latest'}, PaginationConfig={'PageSize': 3}) for f in page['imageScanFindings']['enhancedFindings']]
errors = []
for kwargs in [{'nextToken': 'bm90LWEtdG9rZW4'}, {'maxResults': 1001}]:
    try:
        ecr.describe_image_scan_findings(repositoryName='web-app', imageId={'imageTag': 'latest'}, **kwargs)
        errors.append(None)
    except ecr.exceptions.InvalidParameterException as e:
        errors.append(e.response['Error']['Code'])
print(json.dumps({'pages': pages, 'paginated': paginated, 'errors': errors}))
`;
    const { stdout } = await run('python3', ['-c', script, server.url], { env: awsClientEnv(ACCOUNT, REGION) });
    const { pages, paginated, errors } = JSON.parse(stdout) as { pages: string[][]; paginated: string[]; errors: (string | null)[] };
    const listed = await listFindingsOf(imageArn('web-app', 'latest'));
    expect(listed.length).toBeGreaterThan(2);
    expect(pages.length).toBe(Math.ceil(listed.length / 2));
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.flat().sort()).toEqual(listed.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).sort());
    expect(paginated.sort()).toEqual(listed.map((f) => f.findingArn).sort());
    expect(errors).toEqual(['InvalidParameterException', 'InvalidParameterException']);
  });
});

describe('ECR through the SDK v3', () => {
  it('paginates DescribeImageScanFindings; timestamps arrive as dates', async () => {
    const arns: string[] = [];
    for await (const page of paginateDescribeImageScanFindings({ client: ecr, pageSize: 1 }, { repositoryName: 'web-app', imageId: { imageTag: 'v2' } })) {
      expect(page.imageScanFindings?.imageScanCompletedAt).toBeInstanceOf(Date);
      arns.push(...(page.imageScanFindings?.enhancedFindings ?? []).map((f) => f.findingArn!));
    }
    expect(arns.sort()).toEqual((await listFindingsOf(imageArn('web-app', 'v2'))).map((f) => f.findingArn).sort());
  });

  it('pages DescribeRepositories by maxResults; another region of the account is BASIC and empty', async () => {
    const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 3 }));
    expect(first.repositories?.map((r) => r.repositoryName)).toEqual(['base-images', 'legacy', 'web']);
    expect(first.repositories?.[0]?.createdAt).toBeInstanceOf(Date);
    const second = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 3, nextToken: first.nextToken }));
    expect(second.repositories?.map((r) => r.repositoryName)).toEqual(['web-app']);
    expect(second.nextToken).toBeUndefined();
    const elsewhere = new ECRClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    expect((await elsewhere.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    expect((await elsewhere.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('answers bad input with ECR errors, never a 500', async () => {
    const errors = await Promise.all([
      rejection(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'Web_App!', imageId: { imageTag: 'v2' } }))),
      rejection(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'web-app', imageId: {} }))),
      rejection(ecr.send(new DescribeImageScanFindingsCommand({ repositoryName: 'web-app', imageId: { imageTag: 'v2' }, maxResults: 0 }))),
      rejection(ecr.send(new DescribeImagesCommand({ repositoryName: 'web-app', imageIds: [{ imageTag: 'v2' }], maxResults: 5 }))),
      rejection(ecr.send(new DescribeImagesCommand({ repositoryName: 'web-app', imageIds: [{ imageTag: 'gone' }] }))),
      rejection(ecr.send(new ListImagesCommand({ repositoryName: 'web-app' }))),
      rejection(ecr.send(new DescribeImagesCommand({ registryId: '999999999999', repositoryName: 'web-app' }))),
      rejection(ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: Array.from({ length: 26 }, (_, i) => `repo-${i}`) }))),
    ]);
    expect(errors.map((e) => [e.name, e.$metadata?.httpStatusCode])).toEqual([
      ['InvalidParameterException', 400],
      ['InvalidParameterException', 400],
      ['InvalidParameterException', 400],
      ['InvalidParameterException', 400],
      ['ImageNotFoundException', 400],
      ['UnknownOperationException', 400],
      ['RepositoryNotFoundException', 400],
      ['InvalidParameterException', 400],
    ]);
  });

  it('a body that is not JSON is a SerializationException', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeImages',
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/20260101/${REGION}/ecr/aws4_request, SignedHeaders=host, Signature=00`,
      },
      body: '{"repositoryName": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe('SerializationException');
  });
});
