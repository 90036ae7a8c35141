// Account enablement through the SDK v3: the state machine on the virtual clock, requests
// during transitions, client tokens, the service-linked role (through the IAM API), free
// trials and account permissions.
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import {
  BatchGetAccountStatusCommand,
  BatchGetFreeTrialInfoCommand,
  DisableCommand,
  EnableCommand,
  ListAccountPermissionsCommand,
  ValidationException,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, rejection, startTestServer } from '../helpers.js';

function iamClient(url: string, accountId: string): IAMClient {
  return new IAMClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, maxAttempts: 1 });
}

describe('the enablement state machine on the virtual clock', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ transitionMs: 60_000 });
  });
  afterAll(() => server.close());

  it('stays ENABLING until the clock passes the latency, then is ENABLED', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000001', region: 'eu-west-1' });
    const enabled = await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(enabled.accounts?.[0]).toMatchObject({ status: 'ENABLING', resourceStatus: { ec2: 'ENABLING' } });
    expect((await client.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('ENABLING');

    expect((await control(server.url, 'POST', '/_inspector2/clock', { advance: '59s' })).status).toBe(200);
    expect((await client.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.resourceState?.ec2?.status).toBe('ENABLING');

    await control(server.url, 'POST', '/_inspector2/clock', { advance: 'PT2S' });
    const status = await client.send(new BatchGetAccountStatusCommand({}));
    expect(status.accounts?.[0]?.state?.status).toBe('ENABLED');
    expect(status.accounts?.[0]?.resourceState?.ec2?.status).toBe('ENABLED');
  });

  it('refuses a change against a transition under way, per account', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000002', region: 'eu-west-1' });
    await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    const disable = await client.send(new DisableCommand({ resourceTypes: ['ECR'] }));
    expect(disable.accounts).toEqual([]);
    expect(disable.failedAccounts).toEqual([expect.objectContaining({ accountId: '100000000002', errorCode: 'ENABLE_IN_PROGRESS', status: 'ENABLING' })]);

    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    expect((await client.send(new DisableCommand({ resourceTypes: ['ECR'] }))).accounts?.[0]?.resourceStatus?.ecr).toBe('DISABLING');
    const enable = await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    expect(enable.failedAccounts?.[0]).toMatchObject({ errorCode: 'DISABLE_IN_PROGRESS', resourceStatus: { ecr: 'DISABLING' } });
    await control(server.url, 'POST', '/_inspector2/clock', { advance: 60_000 });
    expect((await client.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('DISABLED');
  });

  it('re-enabling what is enabled and disabling what is disabled change nothing', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000003', region: 'eu-west-1' });
    await client.send(new EnableCommand({ resourceTypes: ['LAMBDA'] }));
    await control(server.url, 'POST', '/_inspector2/clock', { advance: '2m' });
    const again = await client.send(new EnableCommand({ resourceTypes: ['LAMBDA'] }));
    expect(again.accounts?.[0]).toMatchObject({ status: 'ENABLED', resourceStatus: { lambda: 'ENABLED' } });
    const disableDisabled = await client.send(new DisableCommand({ resourceTypes: ['EC2'] }));
    expect(disableDisabled.accounts?.[0]).toMatchObject({ status: 'ENABLED', resourceStatus: { ec2: 'DISABLED', lambda: 'ENABLED' } });
    expect(disableDisabled.failedAccounts).toEqual([]);
  });
});

describe('enablement rules', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('Lambda code scanning needs Lambda standard scanning', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000010' });
    const error = await rejection(client.send(new EnableCommand({ resourceTypes: ['LAMBDA_CODE'] })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('Lambda code scanning requires Lambda standard scanning');
    const both = await client.send(new EnableCommand({ resourceTypes: ['LAMBDA', 'LAMBDA_CODE'] }));
    expect(both.accounts?.[0]?.resourceStatus).toMatchObject({ lambda: 'ENABLING', lambdaCode: 'ENABLING' });
  });

  it('replays the first answer to a repeated clientToken and refuses it with other parameters', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000011' });
    const first = await client.send(new EnableCommand({ resourceTypes: ['EC2'], clientToken: 'token-1' }));
    const replay = await client.send(new EnableCommand({ resourceTypes: ['EC2'], clientToken: 'token-1' }));
    expect(replay.accounts).toEqual(first.accounts);
    expect(replay.accounts?.[0]?.status).toBe('ENABLING');
    const fresh = await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(fresh.accounts?.[0]?.status).toBe('ENABLED');
    const misuse = await rejection(client.send(new EnableCommand({ resourceTypes: ['ECR'], clientToken: 'token-1' })));
    expect(misuse).toBeInstanceOf(ValidationException);
  });

  it('gives a free trial of 15 days per scan type from its first enablement', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000012' });
    await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    const trial = await client.send(new BatchGetFreeTrialInfoCommand({ accountIds: ['100000000012', '100000000099'] }));
    const [info] = trial.accounts![0]!.freeTrialInfo!;
    expect(info).toMatchObject({ type: 'ECR', status: 'ACTIVE' });
    expect(info!.end!.getTime() - info!.start!.getTime()).toBe(15 * 24 * 3600 * 1000);
    expect(trial.failedAccounts).toEqual([expect.objectContaining({ accountId: '100000000099', code: 'ACCESS_DENIED' })]);

    await control(server.url, 'POST', '/_inspector2/clock', { advance: '16d' });
    const later = await client.send(new BatchGetFreeTrialInfoCommand({ accountIds: ['100000000012'] }));
    expect(later.accounts![0]!.freeTrialInfo![0]).toMatchObject({ type: 'ECR', status: 'INACTIVE', start: info!.start });
  });

  it('lists what a standalone account may do, filtered and paginated', async () => {
    const client = inspectorClient(server.url, { accountId: '100000000013' });
    expect((await client.send(new ListAccountPermissionsCommand({}))).permissions).toHaveLength(8);
    const ecr = await client.send(new ListAccountPermissionsCommand({ service: 'ECR' }));
    expect(ecr.permissions?.map((p) => p.operation).sort()).toEqual(['DISABLE_REPOSITORY', 'DISABLE_SCANNING', 'ENABLE_REPOSITORY', 'ENABLE_SCANNING']);
    const first = await client.send(new ListAccountPermissionsCommand({ maxResults: 3 }));
    const second = await client.send(new ListAccountPermissionsCommand({ maxResults: 3, nextToken: first.nextToken }));
    const third = await client.send(new ListAccountPermissionsCommand({ maxResults: 3, nextToken: second.nextToken }));
    expect([first, second, third].map((p) => p.permissions?.length)).toEqual([3, 3, 2]);
    expect(third.nextToken).toBeUndefined();
    const bad = await rejection(client.send(new ListAccountPermissionsCommand({ nextToken: 'not-a-token' })));
    expect(bad).toBeInstanceOf(ValidationException);
  });
});

describe('the service-linked role', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('does not exist before the first enablement (IAM NoSuchEntity)', async () => {
    const error = await rejection(iamClient(server.url, '100000000020').send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error.$metadata?.httpStatusCode).toBe(404);
    expect((await control(server.url, 'GET', '/_inspector2/accounts/100000000020')).body.serviceLinkedRole).toBeNull();
  });

  it('is created once per account by the first enablement in any region', async () => {
    await inspectorClient(server.url, { accountId: '100000000020', region: 'eu-west-1' }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await inspectorClient(server.url, { accountId: '100000000020', region: 'us-west-2' }).send(new EnableCommand({ resourceTypes: ['ECR'] }));
    const iam = iamClient(server.url, '100000000020');
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }));
    expect(Role).toMatchObject({
      RoleName: 'AWSServiceRoleForAmazonInspector2',
      Path: '/aws-service-role/inspector2.amazonaws.com/',
      Arn: 'arn:aws:iam::100000000020:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2',
    });
    expect(Role?.RoleId).toMatch(/^AROA[0-9A-Z]{17}$/);
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'inspector2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    const roles = await iam.send(new ListRolesCommand({ PathPrefix: '/aws-service-role/' }));
    // EC2 in hybrid scan mode (the default) scanned an unmanaged instance agentlessly: that role too.
    expect(roles.Roles?.map((r) => r.RoleName)).toEqual(['AWSServiceRoleForAmazonInspector2Agentless', 'AWSServiceRoleForAmazonInspector2']);
    const policies = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }));
    expect(policies.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonInspector2ServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonInspector2ServiceRolePolicy' },
    ]);
    const account = (await control(server.url, 'GET', '/_inspector2/accounts/100000000020')).body;
    expect(account.serviceLinkedRole).toMatchObject({ roleName: 'AWSServiceRoleForAmazonInspector2', createDate: Role!.CreateDate!.toISOString() });
    expect(account.regions.map((r: { region: string }) => r.region).sort()).toEqual(['eu-west-1', 'us-west-2']);
    // Another account still has none.
    expect((await iamClient(server.url, '100000000021').send(new ListRolesCommand({}))).Roles).toEqual([]);
  });
});
