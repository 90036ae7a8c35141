// Partitions: in China and GovCloud, every ARN and every finding's `partition` name the
// region's partition (aws-cn, aws-us-gov), as AWS writes them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFilterCommand, EnableCommand, ListCoverageCommand } from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { commandMissing, control, inspectorClient, listAllFindings, skipWithout, startTestServer } from '../helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ manualClock: true });
});
afterAll(() => server.close());

describe.each([
  ['cn-north-1', 'aws-cn', '710000000201'],
  ['us-gov-west-1', 'aws-us-gov', '710000000202'],
  ['eu-west-1', 'aws', '710000000203'],
])('in %s', (region, partition, accountId) => {
  it(`names ${partition} in finding ARNs, resources, filters, events and the service-linked role`, async () => {
    const client = inspectorClient(server.url, { accountId, region });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const findings = await listAllFindings(client);
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(finding.findingArn!.startsWith(`arn:${partition}:inspector2:${region}:${accountId}:finding/`)).toBe(true);
      for (const resource of finding.resources!) expect(resource.partition).toBe(partition);
    }
    const arns = findings.flatMap((f) => f.resources!.map((r) => r.id!)).filter((id) => id.startsWith('arn:'));
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(arn.startsWith(`arn:${partition}:`)).toBe(true);
    const coverage = (await client.send(new ListCoverageCommand({}))).coveredResources!;
    const lambda = coverage.find((r) => r.resourceType === 'AWS_LAMBDA_FUNCTION')!;
    expect(lambda.resourceId!.startsWith(`arn:${partition}:lambda:${region}:${accountId}:function:`)).toBe(true);

    const filter = await client.send(
      new CreateFilterCommand({ name: `p-${region}`, action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } }),
    );
    expect(filter.arn!.startsWith(`arn:${partition}:inspector2:${region}:${accountId}:owner/${accountId}/filter/`)).toBe(true);

    const events = (await control(server.url, 'GET', `/_inspector2/events?account=${accountId}&detailType=Inspector2%20Finding`)).body.events as {
      resources: string[];
      detail: { findingArn: string };
    }[];
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.detail.findingArn.startsWith(`arn:${partition}:`)).toBe(true);

    const iam = new IAMClient({ endpoint: server.url, region, credentials: { accessKeyId: accountId, secretAccessKey: 'test' } });
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }))).Role!;
    expect(role.Arn).toBe(`arn:${partition}:iam::${accountId}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`);
  });
});

describe('through boto3', () => {
  const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));
  it.skipIf(noBoto3)('GovCloud findings and filters say aws-us-gov', async () => {
    const script = `
import boto3, json, sys, urllib.request
url = sys.argv[1]
c = boto3.client('inspector2', endpoint_url=url, region_name='us-gov-east-1', aws_access_key_id='710000000204', aws_secret_access_key='test')
c.enable(resourceTypes=['EC2'])
req = urllib.request.Request(url + '/_inspector2/clock', data=b'{"advance":"1m"}', headers={'Content-Type': 'application/json'}, method='POST')
urllib.request.urlopen(req).read()
findings = c.list_findings(maxResults=100)['findings']
arn = c.create_filter(name='gov', action='NONE', filterCriteria={'severity': [{'comparison': 'EQUALS', 'value': 'HIGH'}]})['arn']
print(json.dumps({'arns': [f['findingArn'] for f in findings], 'partitions': sorted({r['partition'] for f in findings for r in f['resources']}), 'filter': arn}))
`;
    // Not execFileSync: the server answers from this process's event loop.
    const out = JSON.parse((await promisify(execFile)('python3', ['-c', script, server.url], { encoding: 'utf8' })).stdout) as {
      arns: string[];
      partitions: string[];
      filter: string;
    };
    expect(out.arns.length).toBeGreaterThan(0);
    expect(out.arns.every((arn) => arn.startsWith('arn:aws-us-gov:inspector2:us-gov-east-1:710000000204:finding/'))).toBe(true);
    expect(out.partitions).toEqual(['aws-us-gov']);
    expect(out.filter.startsWith('arn:aws-us-gov:inspector2:us-gov-east-1:710000000204:owner/')).toBe(true);
  });
});
