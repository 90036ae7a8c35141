// The service-specific endpoint variables, the usual way to send one service somewhere else
// while the rest go to LocalStack or moto: AWS_ENDPOINT_URL_INSPECTOR2 (and _IAM, _STS)
// with no endpoint in code or on the command line. Each client must reach the emulator this
// file starts: the answer names the 12-digit access key as the account, which only the
// emulator does (AWS would refuse the key). boto3 and the AWS CLI come from the machine's
// Python: where one is missing its tests are skipped with the reason printed (see skipWithout).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { BatchGetAccountStatusCommand, EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsClientEnv, commandMissing, skipWithout, startTestServer } from '../helpers.js';

const run = promisify(execFile);

const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));
const noCli = skipWithout('the AWS CLI', commandMissing('aws', ['--version']));

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('AWS SDK for JavaScript v3', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  function stubEndpoints(endpoints: Record<string, string>): void {
    // Nothing else may choose the endpoint: not the variable for all services, not a profile.
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/inspector2-local/config');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/inspector2-local/credentials');
    for (const [name, value] of Object.entries(endpoints)) vi.stubEnv(name, value);
  }

  it('an Inspector2Client with no endpoint follows AWS_ENDPOINT_URL_INSPECTOR2, an IAMClient AWS_ENDPOINT_URL_IAM', async () => {
    // The SDK reads the variables through its config loaders when the client resolves its
    // first endpoint (then keeps the answer): they are set before the client is made.
    stubEndpoints({ AWS_ENDPOINT_URL_INSPECTOR2: server.url, AWS_ENDPOINT_URL_IAM: server.url });
    const credentials = { accessKeyId: '210987654321', secretAccessKey: 'test' };
    const inspector = new Inspector2Client({ region: 'eu-north-1', credentials, maxAttempts: 1 });
    await inspector.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    const { accounts } = await inspector.send(new BatchGetAccountStatusCommand({}));
    expect(accounts?.map((account) => account.accountId)).toEqual(['210987654321']);

    // The service-linked role appeared with the first Enable: IAM answers it on the same port.
    const iam = new IAMClient({ region: 'eu-north-1', credentials, maxAttempts: 1 });
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }));
    expect(Role?.Arn).toBe('arn:aws:iam::210987654321:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2');
  });
});

describe.skipIf(noBoto3)('boto3', () => {
  const script = `
import json, boto3
session = boto3.session.Session()
out = {
  'inspector2': session.client('inspector2').batch_get_account_status()['accounts'][0]['accountId'],
  'sts': session.client('sts').get_caller_identity()['Arn'],
  'endpoint': session.client('inspector2').meta.endpoint_url,
}
print(json.dumps(out))
`;

  it('a client with no endpoint_url follows AWS_ENDPOINT_URL_INSPECTOR2 and AWS_ENDPOINT_URL_STS', async () => {
    const env = awsClientEnv('321098765432', 'ap-south-1', { AWS_ENDPOINT_URL_INSPECTOR2: server.url, AWS_ENDPOINT_URL_STS: server.url });
    const { stdout } = await run('python3', ['-c', script], { env });
    expect(JSON.parse(stdout)).toEqual({ inspector2: '321098765432', sts: 'arn:aws:iam::321098765432:root', endpoint: server.url });
  });
});

describe.skipIf(noCli)('AWS CLI', () => {
  it('aws inspector2 and aws sts with no --endpoint-url follow AWS_ENDPOINT_URL_INSPECTOR2 and AWS_ENDPOINT_URL_STS', async () => {
    const env = awsClientEnv('432109876543', 'ca-central-1', { AWS_ENDPOINT_URL_INSPECTOR2: server.url, AWS_ENDPOINT_URL_STS: server.url });
    const status = await run('aws', ['inspector2', 'batch-get-account-status', '--output', 'json'], { env });
    expect(JSON.parse(status.stdout).accounts.map((account: { accountId: string }) => account.accountId)).toEqual(['432109876543']);
    const identity = await run('aws', ['sts', 'get-caller-identity', '--output', 'json'], { env });
    expect(JSON.parse(identity.stdout)).toMatchObject({ Account: '432109876543', Arn: 'arn:aws:iam::432109876543:root' });
  });
});
