// boto3 and the AWS CLI (v1) against a listening emulator. Both come from the machine's
// Python, not from npm: where one is missing its tests are skipped with the reason printed
// (under CI, a missing one fails the run: see skipWithout).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsClientEnv, commandMissing, control, ORG, skipWithout, startTestServer } from '../helpers.js';

const run = promisify(execFile);

const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));
const noCli = skipWithout('the AWS CLI', commandMissing('aws', ['--version']));

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.skipIf(noBoto3)('boto3', () => {
  const script = `
import json, sys, boto3, botocore.exceptions
client = boto3.client('inspector2', endpoint_url=sys.argv[1], region_name='eu-west-1')
out = {}
out['enable'] = client.enable(resourceTypes=['EC2', 'LAMBDA'])
out['status'] = client.batch_get_account_status()
out['otherRegion'] = boto3.client('inspector2', endpoint_url=sys.argv[1], region_name='us-west-2').batch_get_account_status()
try:
    client.enable(resourceTypes=['NOPE'])
except botocore.exceptions.ClientError as e:
    out['error'] = {k: e.response.get(k) for k in ('reason', 'fields')}
    out['error']['code'] = e.response['Error']['Code']
    out['error']['status'] = e.response['ResponseMetadata']['HTTPStatusCode']
    out['error']['requestId'] = e.response['ResponseMetadata'].get('RequestId')
for v in out.values():
    v.pop('ResponseMetadata', None)
print(json.dumps(out, default=str))
`;

  it('enables, reads status per region and parses a ValidationException', async () => {
    const { stdout } = await run('python3', ['-c', script, server.url], { env: awsClientEnv('777788889999', 'eu-west-1') });
    const out = JSON.parse(stdout);
    expect(out.enable.accounts).toEqual([
      {
        accountId: '777788889999',
        status: 'ENABLING',
        resourceStatus: { ec2: 'ENABLING', ecr: 'DISABLED', lambda: 'ENABLING', lambdaCode: 'DISABLED', codeRepository: 'DISABLED' },
      },
    ]);
    expect(out.status.accounts[0].state).toEqual({ status: 'ENABLED' });
    expect(out.status.accounts[0].resourceState.lambda).toEqual({ status: 'ENABLED' });
    expect(out.otherRegion.accounts[0].state).toEqual({ status: 'DISABLED' });
    expect(out.error).toMatchObject({ code: 'ValidationException', status: 400, reason: 'FIELD_VALIDATION_FAILED' });
    expect(out.error.fields).toEqual([{ name: 'resourceTypes.0', message: expect.stringContaining("Value 'NOPE'") }]);
    expect(out.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe.skipIf(noCli)('AWS CLI', () => {
  const aws = (accountId: string, region: string, ...args: string[]) =>
    run('aws', ['--endpoint-url', server.url, '--region', region, '--output', 'json', 'inspector2', ...args], {
      env: awsClientEnv(accountId, region),
    });

  it('enable prints parsed JSON for the caller, and batch-get-account-status sees it in that region only', async () => {
    const enabled = JSON.parse((await aws('111122223333', 'eu-west-1', 'enable', '--resource-types', 'EC2')).stdout);
    expect(enabled.accounts[0]).toMatchObject({ accountId: '111122223333', status: 'ENABLING', resourceStatus: { ec2: 'ENABLING' } });
    expect(enabled.failedAccounts).toEqual([]);
    const status = JSON.parse((await aws('111122223333', 'eu-west-1', 'batch-get-account-status')).stdout);
    expect(status.accounts[0]).toMatchObject({ accountId: '111122223333', state: { status: 'ENABLED' } });
    const elsewhere = JSON.parse((await aws('111122223333', 'ap-northeast-1', 'batch-get-account-status')).stdout);
    expect(elsewhere.accounts[0].state).toEqual({ status: 'DISABLED' });
  });

  it('reports a modeled error by name and exits non-zero', async () => {
    const failure = await aws('111122223333', 'eu-west-1', 'get-member', '--account-id', 'not-an-account').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/\(ValidationException\) when calling the GetMember operation: 2 validation errors detected/);
  });
});

describe.skipIf(noCli)('AWS CLI on accounts and organizations', () => {
  let slow: RunningServer;
  beforeAll(async () => {
    slow = await startTestServer({ transitionMs: 60_000 });
  });
  afterAll(() => slow.close());

  const cli = (accountId: string, ...args: string[]) =>
    run('aws', ['--endpoint-url', slow.url, '--region', 'eu-west-1', '--output', 'json', ...args], { env: awsClientEnv(accountId, 'eu-west-1') });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

  it('shows ENABLING, then ENABLED once the clock passes the latency', async () => {
    const enabled = JSON.parse((await cli('121212121212', 'inspector2', 'enable', '--resource-types', 'ECR')).stdout);
    expect(enabled.accounts[0].status).toBe('ENABLING');
    const before = JSON.parse((await cli('121212121212', 'inspector2', 'batch-get-account-status')).stdout);
    expect(before.accounts[0].resourceState.ecr.status).toBe('ENABLING');
    await control(slow.url, 'POST', '/_inspector2/clock', { advance: '61s' });
    const after = JSON.parse((await cli('121212121212', 'inspector2', 'batch-get-account-status')).stdout);
    expect(after.accounts[0].resourceState.ecr.status).toBe('ENABLED');
  });

  it('finds the service-linked role with iam get-role after the first enable, and not before', async () => {
    const missing = await failure(cli('131313131313', 'iam', 'get-role', '--role-name', 'AWSServiceRoleForAmazonInspector2'));
    expect(missing?.stderr).toMatch(
      /\(NoSuchEntity\) when calling the GetRole operation: The role with name AWSServiceRoleForAmazonInspector2 cannot be found/,
    );
    await cli('131313131313', 'inspector2', 'enable', '--resource-types', 'EC2');
    const role = JSON.parse((await cli('131313131313', 'iam', 'get-role', '--role-name', 'AWSServiceRoleForAmazonInspector2')).stdout).Role;
    expect(role).toMatchObject({ RoleName: 'AWSServiceRoleForAmazonInspector2', Path: '/aws-service-role/inspector2.amazonaws.com/' });
    // botocore decodes the URL-encoded trust policy into a document.
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe('inspector2.amazonaws.com');
    const roles = JSON.parse((await cli('131313131313', 'iam', 'list-roles')).stdout).Roles;
    expect(roles.map((r: { RoleName: string }) => r.RoleName)).toEqual(['AWSServiceRoleForAmazonInspector2']);
  });

  it("answers a member account's enable-delegated-admin-account with AccessDeniedException", async () => {
    const denied = await failure(cli(ORG.production, 'inspector2', 'enable-delegated-admin-account', '--delegated-admin-account-id', ORG.staging));
    expect(denied?.stderr).toMatch(/\(AccessDeniedException\) when calling the EnableDelegatedAdminAccount operation/);
    const designated = JSON.parse(
      (await cli(ORG.management, 'inspector2', 'enable-delegated-admin-account', '--delegated-admin-account-id', ORG.securityTooling)).stdout,
    );
    expect(designated).toEqual({ delegatedAdminAccountId: ORG.securityTooling });
  });
});

describe('fault injection seen by boto3 and the AWS CLI', () => {
  let faulty: RunningServer;
  beforeAll(async () => {
    faulty = await startTestServer();
  });
  afterAll(() => faulty.close());
  const reset = () => control(faulty.url, 'DELETE', '/_inspector2/faults');
  const report = async () => (await control(faulty.url, 'GET', '/_inspector2/faults/injected')).body;

  it.skipIf(noBoto3)('boto3 retries injected throttling, and gives up after its attempts', async () => {
    await reset();
    await control(faulty.url, 'POST', '/_inspector2/faults', { id: 'twice', operation: 'BatchGetAccountStatus', fault: 'ThrottlingException', count: 2 });
    const script = `
import json, sys, boto3, botocore.config, botocore.exceptions
# total_max_attempts counts the first attempt; botocore's max_attempts counts retries only.
config = botocore.config.Config(retries={'mode': 'standard', 'total_max_attempts': 3})
client = boto3.client('inspector2', endpoint_url=sys.argv[1], region_name='eu-west-1', config=config)
out = {'retries': client.batch_get_account_status()['ResponseMetadata']['RetryAttempts']}
try:
    client.list_account_permissions()
except botocore.exceptions.ClientError as e:
    out['error'] = e.response['Error']['Code']
    out['errorRetries'] = e.response['ResponseMetadata']['RetryAttempts']
print(json.dumps(out))
`;
    // After the first call, every ListAccountPermissions fails.
    await control(faulty.url, 'POST', '/_inspector2/faults', {
      id: 'always',
      operation: 'ListAccountPermissions',
      fault: 'InternalServerException',
      retryAfterSeconds: 0,
    });
    const { stdout } = await run('python3', ['-c', script, faulty.url], { env: awsClientEnv('400000000001', 'eu-west-1') });
    expect(JSON.parse(stdout)).toEqual({ retries: 2, error: 'InternalServerException', errorRetries: 2 });
    expect((await report()).byRule).toEqual({ twice: 2, always: 3 });
  });

  it.skipIf(noCli)('the AWS CLI retries injected errors, and gives up after its attempts', async () => {
    await reset();
    await control(faulty.url, 'POST', '/_inspector2/faults', { id: 'twice', operation: 'BatchGetAccountStatus', fault: 'ThrottlingException', count: 2 });
    const env = { ...awsClientEnv('400000000002', 'eu-west-1'), AWS_MAX_ATTEMPTS: '3', AWS_RETRY_MODE: 'standard' };
    const cli = (...args: string[]) => run('aws', ['--endpoint-url', faulty.url, '--output', 'json', 'inspector2', ...args], { env });
    const status = JSON.parse((await cli('batch-get-account-status')).stdout);
    expect(status.accounts[0].accountId).toBe('400000000002');

    await control(faulty.url, 'POST', '/_inspector2/faults', {
      id: 'always',
      operation: 'ListAccountPermissions',
      fault: 'ThrottlingException',
      retryAfterSeconds: 0,
    });
    const failure = await cli('list-account-permissions').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/\(ThrottlingException\) when calling the ListAccountPermissions operation \(reached max retries: 2\): Rate exceeded/);
    expect((await report()).byRule).toEqual({ twice: 2, always: 3 });
  });
});

describe.skipIf(noCli)('the demo (docker/demo.sh)', () => {
  it('runs the seed tutorial with the AWS CLI from delegation to a critical finding', async () => {
    const demoServer = await startTestServer();
    try {
      const { stdout } = await run('bash', [new URL('../../docker/demo.sh', import.meta.url).pathname], {
        env: { ...awsClientEnv('000000000000', 'eu-west-1'), ENDPOINT: demoServer.url },
      });
      expect(stdout).toContain('== A critical finding with an exploit, in detail');
      expect(stdout).toMatch(/333333333333\s+ENABLED/);
      expect(stdout).toContain('CVE-2021-44228');
    } finally {
      await demoServer.close();
    }
  }, 120_000);
});
