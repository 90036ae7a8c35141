// ListFindingAggregations through the SDK v3, on the default inventory: every aggregation
// type, their filters, sorting and pages, and that only ACTIVE findings count. Each expected
// count is worked out here from the ListFindings documents, not from the aggregation code.
import {
  AssociateMemberCommand,
  CreateFilterCommand,
  DeleteFilterCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListFindingAggregationsCommand,
  type AggregationRequest,
  type AggregationResponse,
  type AggregationType,
  type Finding,
  type Inspector2Client,
  type ListFindingAggregationsCommandInput,
  type StringFilter,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { serviceModel } from '../../src/protocol/model.js';
import { checkShape } from '../../src/protocol/validate.js';
import { control, inspectorClient, listAllFindings, ORG, recordRawResponses, rejection, startTestServer } from '../helpers.js';

const ACCOUNT = '710000000031';
const REGION = 'eu-west-1';

const allFindings = listAllFindings;

/** Every page of an aggregation, and how many pages it took. */
async function aggregate(
  client: Inspector2Client,
  aggregationType: AggregationType,
  options: Omit<ListFindingAggregationsCommandInput, 'aggregationType' | 'nextToken'> = {},
): Promise<{ responses: AggregationResponse[]; pages: number }> {
  const responses: AggregationResponse[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await client.send(new ListFindingAggregationsCommand({ aggregationType, ...options, nextToken }));
    expect(page.aggregationType).toBe(aggregationType);
    responses.push(...(page.responses ?? []));
    nextToken = page.nextToken;
    pages += 1;
  } while (nextToken);
  return { responses, pages };
}

const severityCounts = (findings: Finding[]) => ({
  all: findings.length,
  medium: findings.filter((f) => f.severity === 'MEDIUM').length,
  high: findings.filter((f) => f.severity === 'HIGH').length,
  critical: findings.filter((f) => f.severity === 'CRITICAL').length,
});

/** Findings grouped by each of the keys a finding has (none, one or several). */
function groupBy(findings: Finding[], keysOf: (f: Finding) => (string | undefined)[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    for (const key of new Set(keysOf(finding).filter((k): k is string => k !== undefined))) {
      groups.set(key, [...(groups.get(key) ?? []), finding]);
    }
  }
  return groups;
}

const resource = (f: Finding, type: string) => f.resources?.find((r) => r.type === type);
const ec2 = (f: Finding) => resource(f, 'AWS_EC2_INSTANCE');
const ecr = (f: Finding) => resource(f, 'AWS_ECR_CONTAINER_IMAGE');
const lambda = (f: Finding) => resource(f, 'AWS_LAMBDA_FUNCTION');
const packageNames = (f: Finding) => f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => p.name) ?? [];
const distinctCount = (values: (string | undefined)[]) => new Set(values.filter((v) => v !== undefined)).size;

/** Keys in the order the aggregation must give them: by the count, then by the key ascending. */
function expectedOrder(counts: Map<string, number>, order: 'ASC' | 'DESC'): string[] {
  const direction = order === 'ASC' ? 1 : -1;
  return [...counts].sort(([ka, a], [kb, b]) => (a !== b ? (a - b) * direction : ka < kb ? -1 : 1)).map(([key]) => key);
}

describe('ListFindingAggregations on the default world', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  /** Every finding of the account, any status; `active` those that aggregations count. */
  let findings: Finding[];
  let active: Finding[];
  const refresh = async () => {
    findings = await allFindings(client);
    active = findings.filter((f) => f.status === 'ACTIVE');
  };

  beforeAll(async () => {
    server = await startTestServer({ scanMs: 60_000 });
    client = inspectorClient(server.url, { accountId: ACCOUNT, region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    await refresh();
  });
  afterAll(() => server.close());

  it('has a world with findings of every kind to aggregate', () => {
    expect(active.length).toBeGreaterThan(20);
    for (const type of ['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_LAMBDA_FUNCTION']) {
      expect(
        active.some((f) => resource(f, type)),
        type,
      ).toBe(true);
    }
    expect(active.some((f) => f.type === 'NETWORK_REACHABILITY')).toBe(true);
  });

  it('ACCOUNT: critical findings per account, with exploit and fix counts', async () => {
    const { responses } = await aggregate(client, 'ACCOUNT', { aggregationRequest: { accountAggregation: { sortBy: 'CRITICAL' } } });
    expect(responses).toEqual([
      {
        accountAggregation: {
          accountId: ACCOUNT,
          severityCounts: severityCounts(active),
          exploitAvailableCount: active.filter((f) => f.exploitAvailable === 'YES').length,
          fixAvailableCount: active.filter((f) => f.fixAvailable === 'YES').length,
        },
      },
    ]);
    // The top-level accountIds filter: another account's findings only, so none.
    const other = await aggregate(client, 'ACCOUNT', { accountIds: [{ comparison: 'NOT_EQUALS', value: ACCOUNT }] });
    expect(other.responses).toEqual([]);
    const own = await aggregate(client, 'ACCOUNT', { accountIds: [{ comparison: 'PREFIX', value: ACCOUNT.slice(0, 6) }] });
    expect(own.responses.map((r) => r.accountAggregation?.accountId)).toEqual([ACCOUNT]);
    // A request filter: Lambda functions' findings only.
    const lambdaOnly = await aggregate(client, 'ACCOUNT', { aggregationRequest: { accountAggregation: { resourceType: 'AWS_LAMBDA_FUNCTION' } } });
    expect(lambdaOnly.responses[0]?.accountAggregation?.severityCounts).toEqual(severityCounts(active.filter((f) => lambda(f))));
  });

  it('FINDING_TYPE: the counts of one finding type', async () => {
    const network = active.filter((f) => f.type === 'NETWORK_REACHABILITY');
    const { responses } = await aggregate(client, 'FINDING_TYPE', {
      aggregationRequest: { findingTypeAggregation: { findingType: 'NETWORK_REACHABILITY' } },
    });
    expect(responses).toEqual([
      {
        findingTypeAggregation: {
          accountId: ACCOUNT,
          severityCounts: severityCounts(network),
          exploitAvailableCount: network.filter((f) => f.exploitAvailable === 'YES').length,
          fixAvailableCount: network.filter((f) => f.fixAvailable === 'YES').length,
        },
      },
    ]);
  });

  it('AWS_EC2_INSTANCE: every instance with findings, sorted by network findings or by all ascending', async () => {
    const byInstance = groupBy(active, (f) => [ec2(f)?.id]);
    const networkCounts = new Map([...byInstance].map(([id, fs]) => [id, fs.filter((f) => f.type === 'NETWORK_REACHABILITY').length]));
    const { responses } = await aggregate(client, 'AWS_EC2_INSTANCE', {
      aggregationRequest: { ec2InstanceAggregation: { sortBy: 'NETWORK_FINDINGS' } },
    });
    expect(responses.map((r) => r.ec2InstanceAggregation?.instanceId)).toEqual(expectedOrder(networkCounts, 'DESC'));
    for (const response of responses) {
      const got = response.ec2InstanceAggregation!;
      const group = byInstance.get(got.instanceId!)!;
      const details = ec2(group[0]!)!;
      expect(got).toEqual({
        instanceId: details.id,
        ami: details.details?.awsEc2Instance?.imageId,
        operatingSystem: details.details?.awsEc2Instance?.platform,
        instanceTags: details.tags,
        accountId: ACCOUNT,
        severityCounts: severityCounts(group),
        networkFindings: networkCounts.get(details.id!),
      });
    }
    expect(Math.max(...networkCounts.values())).toBeGreaterThan(0);

    const ascending = await aggregate(client, 'AWS_EC2_INSTANCE', {
      aggregationRequest: { ec2InstanceAggregation: { sortBy: 'ALL', sortOrder: 'ASC' } },
    });
    const allCounts = new Map([...byInstance].map(([id, fs]) => [id, fs.length]));
    expect(ascending.responses.map((r) => r.ec2InstanceAggregation?.instanceId)).toEqual(expectedOrder(allCounts, 'ASC'));

    // Filters: a map filter on the instance's tags, and its operating system.
    const web = active.map(ec2).find((r) => r?.tags?.Name === 'web-1')!;
    const tagged = await aggregate(client, 'AWS_EC2_INSTANCE', {
      aggregationRequest: { ec2InstanceAggregation: { instanceTags: [{ comparison: 'EQUALS', key: 'Name', value: 'web-1' }] } },
    });
    expect(tagged.responses.map((r) => r.ec2InstanceAggregation?.instanceId)).toEqual([web.id]);
    const platform = web.details!.awsEc2Instance!.platform!;
    const others = await aggregate(client, 'AWS_EC2_INSTANCE', {
      aggregationRequest: { ec2InstanceAggregation: { operatingSystems: [{ comparison: 'NOT_EQUALS', value: platform }] } },
    });
    expect(others.responses.map((r) => r.ec2InstanceAggregation?.instanceId).sort()).toEqual(
      [...byInstance.keys()].filter((id) => ec2(byInstance.get(id)![0]!)!.details?.awsEc2Instance?.platform !== platform).sort(),
    );
  });

  it('AMI: findings and affected instances per AMI', async () => {
    const byAmi = groupBy(active, (f) => [ec2(f)?.details?.awsEc2Instance?.imageId]);
    const { responses } = await aggregate(client, 'AMI', { aggregationRequest: { amiAggregation: { sortBy: 'AFFECTED_INSTANCES' } } });
    expect(responses.length).toBe(byAmi.size);
    const instances = new Map([...byAmi].map(([ami, fs]) => [ami, distinctCount(fs.map((f) => ec2(f)?.id))]));
    expect(responses.map((r) => r.amiAggregation?.ami)).toEqual(expectedOrder(instances, 'DESC'));
    for (const { amiAggregation: got } of responses) {
      expect(got).toEqual({
        ami: got!.ami,
        accountId: ACCOUNT,
        severityCounts: severityCounts(byAmi.get(got!.ami!)!),
        affectedInstances: instances.get(got!.ami!),
      });
    }
  });

  it('AWS_ECR_CONTAINER, REPOSITORY and IMAGE_LAYER: images, repositories and layers', async () => {
    const byImage = groupBy(active, (f) => [ecr(f)?.id]);
    expect(byImage.size).toBeGreaterThan(0);
    const images = await aggregate(client, 'AWS_ECR_CONTAINER', { aggregationRequest: { awsEcrContainerAggregation: { sortBy: 'HIGH' } } });
    expect(images.responses.map((r) => r.awsEcrContainerAggregation?.resourceId)).toEqual(
      expectedOrder(new Map([...byImage].map(([id, fs]) => [id, severityCounts(fs).high])), 'DESC'),
    );
    for (const { awsEcrContainerAggregation: got } of images.responses) {
      const group = byImage.get(got!.resourceId!)!;
      const image = ecr(group[0]!)!.details!.awsEcrContainerImage!;
      expect(got).toEqual({
        resourceId: got!.resourceId,
        imageSha: image.imageHash,
        repository: image.repositoryName,
        architecture: image.architecture,
        imageTags: image.imageTags,
        accountId: ACCOUNT,
        severityCounts: severityCounts(group),
        ...(image.lastInUseAt ? { lastInUseAt: image.lastInUseAt } : {}),
        ...(image.inUseCount !== undefined ? { inUseCount: image.inUseCount } : {}),
      });
    }
    // Filters: string filters on the repository and architecture, and a number filter on the in-use count.
    const sample = ecr(byImage.values().next().value![0]!)!.details!.awsEcrContainerImage!;
    const imagesWhere = (test: (image: typeof sample) => boolean) =>
      [...byImage]
        .filter(([, fs]) => test(ecr(fs[0]!)!.details!.awsEcrContainerImage!))
        .map(([id]) => id)
        .sort();
    const same = await aggregate(client, 'AWS_ECR_CONTAINER', {
      aggregationRequest: {
        awsEcrContainerAggregation: {
          repositories: [{ comparison: 'EQUALS', value: sample.repositoryName! }],
          architectures: [{ comparison: 'EQUALS', value: sample.architecture! }],
        },
      },
    });
    const sameIds = imagesWhere((i) => i.repositoryName === sample.repositoryName && i.architecture === sample.architecture);
    expect(sameIds.length).toBeGreaterThan(0);
    expect(same.responses.map((r) => r.awsEcrContainerAggregation?.resourceId).sort()).toEqual(sameIds);
    const others = await aggregate(client, 'AWS_ECR_CONTAINER', {
      aggregationRequest: { awsEcrContainerAggregation: { repositories: [{ comparison: 'NOT_EQUALS', value: sample.repositoryName! }] } },
    });
    expect(others.responses.map((r) => r.awsEcrContainerAggregation?.resourceId).sort()).toEqual(
      imagesWhere((i) => i.repositoryName !== sample.repositoryName),
    );
    const inUse = await aggregate(client, 'AWS_ECR_CONTAINER', {
      aggregationRequest: { awsEcrContainerAggregation: { inUseCount: [{ lowerInclusive: 1 }] } },
    });
    expect(inUse.responses.map((r) => r.awsEcrContainerAggregation?.resourceId).sort()).toEqual(imagesWhere((i) => (i.inUseCount ?? 0) >= 1));

    const byRepository = groupBy(active, (f) => [ecr(f)?.details?.awsEcrContainerImage?.repositoryName]);
    const repositories = await aggregate(client, 'REPOSITORY', { aggregationRequest: { repositoryAggregation: { sortBy: 'AFFECTED_IMAGES' } } });
    expect(repositories.responses).toEqual(
      expectedOrder(new Map([...byRepository].map(([name, fs]) => [name, distinctCount(fs.map((f) => ecr(f)?.id))])), 'DESC').map((name) => ({
        repositoryAggregation: {
          repository: name,
          accountId: ACCOUNT,
          severityCounts: severityCounts(byRepository.get(name)!),
          affectedImages: distinctCount(byRepository.get(name)!.map((f) => ecr(f)?.id)),
        },
      })),
    );

    const layerKey = (f: Finding) =>
      f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) => (ecr(f) && p.sourceLayerHash ? `${ecr(f)!.id} ${p.sourceLayerHash}` : undefined)) ?? [];
    const byLayer = groupBy(active, layerKey);
    expect(byLayer.size).toBeGreaterThan(1);
    const layers = await aggregate(client, 'IMAGE_LAYER', { maxResults: 1 });
    expect(layers.pages).toBe(byLayer.size);
    expect(new Set(layers.responses.map((r) => `${r.imageLayerAggregation?.resourceId} ${r.imageLayerAggregation?.layerHash}`))).toEqual(
      new Set(byLayer.keys()),
    );
    for (const { imageLayerAggregation: got } of layers.responses) {
      const group = byLayer.get(`${got!.resourceId} ${got!.layerHash}`)!;
      expect(got).toEqual({
        repository: ecr(group[0]!)!.details!.awsEcrContainerImage!.repositoryName,
        resourceId: got!.resourceId,
        layerHash: got!.layerHash,
        accountId: ACCOUNT,
        severityCounts: severityCounts(group),
      });
    }
    const oneLayer = layers.responses[0]!.imageLayerAggregation!.layerHash!;
    const filtered = await aggregate(client, 'IMAGE_LAYER', {
      aggregationRequest: { imageLayerAggregation: { layerHashes: [{ comparison: 'EQUALS', value: oneLayer }] } },
    });
    expect(filtered.responses.map((r) => r.imageLayerAggregation?.layerHash)).toEqual(
      [...byLayer.keys()].filter((key) => key.endsWith(` ${oneLayer}`)).map(() => oneLayer),
    );
  });

  it('AWS_LAMBDA_FUNCTION and LAMBDA_LAYER: functions and their layers', async () => {
    const byFunction = groupBy(active, (f) => [lambda(f)?.id]);
    expect(byFunction.size).toBeGreaterThan(0);
    const functions = await aggregate(client, 'AWS_LAMBDA_FUNCTION', { aggregationRequest: { lambdaFunctionAggregation: { sortBy: 'ALL' } } });
    expect(functions.responses.map((r) => r.lambdaFunctionAggregation?.resourceId)).toEqual(
      expectedOrder(new Map([...byFunction].map(([id, fs]) => [id, fs.length])), 'DESC'),
    );
    for (const { lambdaFunctionAggregation: got } of functions.responses) {
      const group = byFunction.get(got!.resourceId!)!;
      const fn = lambda(group[0]!)!;
      expect(got).toEqual({
        resourceId: fn.id,
        functionName: fn.details!.awsLambdaFunction!.functionName,
        runtime: fn.details!.awsLambdaFunction!.runtime,
        lambdaTags: fn.tags,
        accountId: ACCOUNT,
        severityCounts: severityCounts(group),
        lastModifiedAt: fn.details!.awsLambdaFunction!.lastModifiedAt,
      });
    }
    const name = lambda(byFunction.values().next().value![0]!)!.details!.awsLambdaFunction!.functionName!;
    const named = await aggregate(client, 'AWS_LAMBDA_FUNCTION', {
      aggregationRequest: { lambdaFunctionAggregation: { functionNames: [{ comparison: 'EQUALS', value: name }] } },
    });
    expect(named.responses.map((r) => r.lambdaFunctionAggregation?.functionName)).toEqual([name]);

    const layerKey = (f: Finding) =>
      f.packageVulnerabilityDetails?.vulnerablePackages?.map((p) =>
        lambda(f) && p.sourceLambdaLayerArn ? `${lambda(f)!.id} ${p.sourceLambdaLayerArn}` : undefined,
      ) ?? [];
    const byLayer = groupBy(active, layerKey);
    expect(byLayer.size).toBeGreaterThan(0);
    const layers = await aggregate(client, 'LAMBDA_LAYER', {});
    expect(layers.responses.length).toBe(byLayer.size);
    for (const { lambdaLayerAggregation: got } of layers.responses) {
      const group = byLayer.get(`${got!.resourceId} ${got!.layerArn}`)!;
      expect(got).toEqual({
        functionName: lambda(group[0]!)!.details!.awsLambdaFunction!.functionName,
        resourceId: got!.resourceId,
        layerArn: got!.layerArn,
        accountId: ACCOUNT,
        severityCounts: severityCounts(group),
      });
    }
  });

  it('PACKAGE: the top vulnerable packages by critical findings, page by page', async () => {
    const byPackage = groupBy(active, packageNames);
    expect(byPackage.size).toBeGreaterThan(8);
    const critical = new Map([...byPackage].map(([name, fs]) => [name, severityCounts(fs).critical]));
    const request: AggregationRequest = { packageAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } };
    const paged = await aggregate(client, 'PACKAGE', { aggregationRequest: request, maxResults: 4 });
    expect(paged.pages).toBe(Math.ceil(byPackage.size / 4));
    expect(paged.responses).toEqual(
      expectedOrder(critical, 'DESC').map((name) => ({
        packageAggregation: { packageName: name, accountId: ACCOUNT, severityCounts: severityCounts(byPackage.get(name)!) },
      })),
    );
    // One page holds them all when maxResults allows (up to 100; the default page is 50).
    expect(byPackage.size).toBeLessThanOrEqual(100);
    const whole = await client.send(new ListFindingAggregationsCommand({ aggregationType: 'PACKAGE', aggregationRequest: request, maxResults: 100 }));
    expect(whole.nextToken).toBeUndefined();
    expect(whole.responses).toEqual(paged.responses);

    const ascending = await aggregate(client, 'PACKAGE', { aggregationRequest: { packageAggregation: { sortBy: 'HIGH', sortOrder: 'ASC' } }, maxResults: 5 });
    expect(ascending.responses.map((r) => r.packageAggregation?.packageName)).toEqual(
      expectedOrder(new Map([...byPackage].map(([name, fs]) => [name, severityCounts(fs).high])), 'ASC'),
    );

    // Filters on the package name: a prefix, OR'ed with an exact name.
    const names: StringFilter[] = [
      { comparison: 'PREFIX', value: 'lib' },
      { comparison: 'EQUALS', value: 'glibc' },
    ];
    const some = await aggregate(client, 'PACKAGE', { aggregationRequest: { packageAggregation: { packageNames: names } } });
    expect(some.responses.map((r) => r.packageAggregation?.packageName).sort()).toEqual(
      [...byPackage.keys()].filter((n) => n.startsWith('lib') || n === 'glibc').sort(),
    );
    expect(some.responses.length).toBeGreaterThan(1);
  });

  it('TITLE: findings per title, filtered by vulnerability', async () => {
    const byTitle = groupBy(active, (f) => [f.title]);
    const { responses } = await aggregate(client, 'TITLE', { maxResults: 100 });
    expect(responses.length).toBe(byTitle.size);
    for (const { titleAggregation: got } of responses) {
      const group = byTitle.get(got!.title!)!;
      const vulnerabilityId = group.map((f) => f.packageVulnerabilityDetails?.vulnerabilityId).find((id) => id);
      expect(got).toEqual({ title: got!.title, ...(vulnerabilityId ? { vulnerabilityId } : {}), accountId: ACCOUNT, severityCounts: severityCounts(group) });
    }
    const log4shell = await aggregate(client, 'TITLE', {
      aggregationRequest: { titleAggregation: { vulnerabilityIds: [{ comparison: 'EQUALS', value: 'CVE-2021-44228' }] } },
    });
    expect(log4shell.responses.map((r) => r.titleAggregation?.vulnerabilityId)).toEqual(['CVE-2021-44228']);
  });

  it('CODE_REPOSITORY: none in a world without code repositories', async () => {
    expect(active.some((f) => resource(f, 'CODE_REPOSITORY'))).toBe(false);
    const answer = await client.send(
      new ListFindingAggregationsCommand({ aggregationType: 'CODE_REPOSITORY', aggregationRequest: { codeRepositoryAggregation: { sortBy: 'ALL' } } }),
    );
    expect(answer.aggregationType).toBe('CODE_REPOSITORY');
    expect(answer.responses).toEqual([]);
  });

  it('answers every aggregation type of the model in its output shape on the wire', async () => {
    const model = serviceModel();
    const types = model.shape('AggregationType').enum as AggregationType[];
    expect(types).toHaveLength(12);
    const raw = recordRawResponses(client);
    for (const type of types) {
      await client.send(new ListFindingAggregationsCommand({ aggregationType: type, maxResults: 100 }));
      const body = JSON.parse(raw.last()!.body) as { responses: Record<string, unknown>[] };
      expect(checkShape(model, 'ListFindingAggregationsResponse', body, { mode: 'output' }).violations, type).toEqual([]);
      if (type !== 'CODE_REPOSITORY') expect(body.responses.length, type).toBeGreaterThan(0);
      // Each element is a union with exactly one member set, the same one throughout.
      expect(new Set(body.responses.map((r) => Object.keys(r).join('+'))).size, type).toBeLessThanOrEqual(1);
      for (const element of body.responses) expect(Object.keys(element), type).toHaveLength(1);
    }
  });

  it('refuses a request member of another type, and a page token that is not its own', async () => {
    const mismatched = await rejection(
      client.send(new ListFindingAggregationsCommand({ aggregationType: 'PACKAGE', aggregationRequest: { accountAggregation: { sortBy: 'ALL' } } })),
    );
    expect(mismatched.name).toBe('ValidationException');
    expect(mismatched.$metadata?.httpStatusCode).toBe(400);
    expect(mismatched.reason).toBe('FIELD_VALIDATION_FAILED');
    expect(mismatched.fields?.[0]?.name).toBe('aggregationRequest');

    const bad = await rejection(client.send(new ListFindingAggregationsCommand({ aggregationType: 'PACKAGE', nextToken: 'not-a-token' })));
    expect(bad.name).toBe('ValidationException');
    const first = await client.send(new ListFindingAggregationsCommand({ aggregationType: 'PACKAGE', maxResults: 1 }));
    expect(first.nextToken).toBeDefined();
    const foreign = await rejection(client.send(new ListFindingAggregationsCommand({ aggregationType: 'TITLE', nextToken: first.nextToken })));
    expect(foreign.name).toBe('ValidationException');
  });

  it('does not count CLOSED or SUPPRESSED findings', async () => {
    const log4j = 'org.apache.logging.log4j:log4j-core';
    const log4shell = active.find((f) => f.packageVulnerabilityDetails?.vulnerabilityId === 'CVE-2021-44228')!;
    const web = ec2(log4shell)!;
    const before = (await aggregate(client, 'ACCOUNT')).responses[0]!.accountAggregation!.severityCounts!;
    expect((await aggregate(client, 'PACKAGE')).responses.map((r) => r.packageAggregation?.packageName)).toContain(log4j);

    // Upgrading the package closes the finding.
    const upgrade = { name: log4j, version: '2.17.1', ecosystem: 'maven', filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar' };
    expect((await control(server.url, 'POST', `/_inspector2/inventory/${ACCOUNT}/${REGION}/ec2-instances/${web.id}/packages`, upgrade)).status).toBe(201);
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    await refresh();
    expect(findings.find((f) => f.findingArn === log4shell.findingArn)?.status).toBe('CLOSED');

    const after = (await aggregate(client, 'ACCOUNT')).responses[0]!.accountAggregation!.severityCounts!;
    expect(after).toEqual(severityCounts(active));
    expect(after.all).toBeLessThan(before.all!);
    expect((await aggregate(client, 'PACKAGE')).responses.map((r) => r.packageAggregation?.packageName)).not.toContain(log4j);
    const instance = await aggregate(client, 'AWS_EC2_INSTANCE', {
      aggregationRequest: { ec2InstanceAggregation: { instanceIds: [{ comparison: 'EQUALS', value: web.id! }] } },
    });
    expect(instance.responses[0]?.ec2InstanceAggregation?.severityCounts).toEqual(severityCounts(active.filter((f) => ec2(f)?.id === web.id)));

    // A suppression rule takes the critical findings out of the counts, until it is deleted.
    const { arn } = await client.send(
      new CreateFilterCommand({ name: 'hide-criticals', action: 'SUPPRESS', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'CRITICAL' }] } }),
    );
    await refresh();
    expect(findings.some((f) => f.status === 'SUPPRESSED')).toBe(true);
    const suppressed = (await aggregate(client, 'ACCOUNT')).responses[0]!.accountAggregation!.severityCounts!;
    expect(suppressed).toEqual({ ...severityCounts(active), critical: 0 });
    await client.send(new DeleteFilterCommand({ arn }));
    await refresh();
    expect((await aggregate(client, 'ACCOUNT')).responses[0]!.accountAggregation!.severityCounts).toEqual(after);
  });
});

describe('ListFindingAggregations in an organization', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ scanMs: 60_000 });
  });
  afterAll(() => server.close());

  it('counts the members’ findings for the delegated administrator; a member sees only its own', async () => {
    const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    const admin = as(ORG.securityTooling);
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await admin.send(new EnableCommand({ accountIds: [ORG.securityTooling, ORG.production], resourceTypes: ['EC2'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });

    const adminFindings = (await allFindings(admin)).filter((f) => f.status === 'ACTIVE');
    const byAccount = groupBy(adminFindings, (f) => [f.awsAccountId]);
    expect([...byAccount.keys()].sort()).toEqual([ORG.securityTooling, ORG.production].sort());

    const { responses } = await aggregate(admin, 'ACCOUNT', { aggregationRequest: { accountAggregation: { sortBy: 'ALL', sortOrder: 'ASC' } } });
    expect(responses.map((r) => r.accountAggregation?.accountId)).toEqual(
      expectedOrder(new Map([...byAccount].map(([account, fs]) => [account, fs.length])), 'ASC'),
    );
    for (const { accountAggregation: got } of responses) expect(got?.severityCounts).toEqual(severityCounts(byAccount.get(got!.accountId!)!));

    const filtered = await aggregate(admin, 'AWS_EC2_INSTANCE', { accountIds: [{ comparison: 'EQUALS', value: ORG.production }] });
    expect(filtered.responses.length).toBeGreaterThan(0);
    expect(filtered.responses.every((r) => r.ec2InstanceAggregation?.accountId === ORG.production)).toBe(true);

    const member = await aggregate(as(ORG.production), 'ACCOUNT');
    expect(member.responses.map((r) => r.accountAggregation?.accountId)).toEqual([ORG.production]);
  });
});
