// Accounts and organizations over time, through the SDK v3 and boto3, on a manual clock with
// the transitions of a real account (60 s) and scans (30 s): disabling Lambda standard
// scanning disables Lambda code scanning with it; the management account cannot make itself
// the delegated administrator; GetMember answers every account as ListMembers lists it; the
// member limit that blocks auto-enable sends `Inspector2 AutoEnable` to the administrator;
// an agentless scan creates the agentless service-linked role.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  DisableCommand,
  DisassociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetMemberCommand,
  ListMembersCommand,
  UpdateConfigurationCommand,
  UpdateOrganizationConfigurationCommand,
  ValidationException,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { advanceClock, awsClientEnv, commandMissing, control, inspectorClient, ORG, rejection, skipWithout, startTestServer } from '../helpers.js';

const run = promisify(execFile);
const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));

const REGION = 'eu-west-1';
const START = new Date('2026-02-02T10:00:00Z');
// One member at most: the second association, or an automatic one, hits the limit.
const LIFECYCLE = { manualClock: true, clockStart: START, transitionMs: 60_000, scanMs: 30_000, maxMembers: 1 } as const;
const AGENTLESS_ROLE = 'AWSServiceRoleForAmazonInspector2Agentless';
const NEWCOMER = '777700000009';

describe('accounts and organizations over time (SDK v3)', () => {
  let server: RunningServer;
  let as: (accountId: string) => Inspector2Client;
  let iam: (accountId: string) => IAMClient;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
    as = (accountId) => inspectorClient(server.url, { accountId, region: REGION });
    iam = (accountId) =>
      new IAMClient({ endpoint: server.url, region: REGION, credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, maxAttempts: 1 });
  });
  afterAll(() => server.close());

  it('disables Lambda code scanning with Lambda standard scanning: both DISABLING, then DISABLED', async () => {
    const account = as('777700000001');
    await account.send(new EnableCommand({ resourceTypes: ['LAMBDA', 'LAMBDA_CODE'] }));
    await advanceClock(server.url, '2m');
    const disabled = await account.send(new DisableCommand({ resourceTypes: ['LAMBDA'] }));
    expect(disabled.accounts?.[0]?.resourceStatus).toMatchObject({ lambda: 'DISABLING', lambdaCode: 'DISABLING' });
    const during = (await account.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.resourceState;
    expect([during?.lambda?.status, during?.lambdaCode?.status]).toEqual(['DISABLING', 'DISABLING']);
    await advanceClock(server.url, '2m');
    const after = (await account.send(new BatchGetAccountStatusCommand({}))).accounts?.[0];
    expect([after?.resourceState?.lambda?.status, after?.resourceState?.lambdaCode?.status, after?.state?.status]).toEqual([
      'DISABLED',
      'DISABLED',
      'DISABLED',
    ]);
  });

  it('refuses the management account as its own delegated administrator', async () => {
    const error = await rejection(as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.management })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain(`management account ${ORG.management}`);
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    await advanceClock(server.url, '2m');
  });

  it('answers GetMember for every account as ListMembers lists it, through association and removal', async () => {
    const admin = as(ORG.securityTooling);
    const agree = async () => {
      const listed = (await admin.send(new ListMembersCommand({ onlyAssociated: false }))).members ?? [];
      expect(listed.map((m) => m.accountId)).toEqual([ORG.management, ORG.production, ORG.staging, ORG.sandbox]);
      for (const member of listed) expect((await admin.send(new GetMemberCommand({ accountId: member.accountId }))).member).toEqual(member);
      return Object.fromEntries(listed.map((m) => [m.accountId, m.relationshipStatus]));
    };
    expect((await agree())[ORG.sandbox]).toBe('CREATED');
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    expect((await agree())[ORG.production]).toBe('CREATED');
    await advanceClock(server.url, '2m');
    expect((await agree())[ORG.production]).toBe('ENABLED');
    await admin.send(new DisassociateMemberCommand({ accountId: ORG.production }));
    expect((await agree())[ORG.production]).toBe('REMOVED');
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await advanceClock(server.url, '2m');
  });

  it('tells the delegated administrator when the member limit blocks auto-enable for an account that joins', async () => {
    const admin = as(ORG.securityTooling);
    await admin.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: false } }));
    await control(server.url, 'DELETE', '/_inspector2/events');
    const joined = await control(server.url, 'POST', `/_inspector2/organizations/${ORG.id}/accounts`, { accountId: NEWCOMER });
    expect(joined.status).toBe(201);
    const { body } = await control(server.url, 'GET', `/_inspector2/events?detailType=${encodeURIComponent('Inspector2 AutoEnable')}`);
    expect(body.events).toEqual([
      {
        version: '0',
        id: expect.any(String),
        'detail-type': 'Inspector2 AutoEnable',
        source: 'aws.inspector2',
        account: ORG.securityTooling,
        time: '2026-02-02T10:10:00Z',
        region: REGION,
        resources: [],
        detail: {
          version: '1.0.0',
          AutoEnableStatus: 'Failed',
          Reason: 'The number of member accounts enabled with AWS Inspector has reached the maximum limit of 1',
        },
      },
    ]);
    // Not associated, not enabled; GetMember and ListMembers agree on it.
    await advanceClock(server.url, '2m');
    expect((await admin.send(new GetMemberCommand({ accountId: NEWCOMER }))).member?.relationshipStatus).toBe('CREATED');
    expect((await as(NEWCOMER).send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('DISABLED');
  });

  it('creates the agentless service-linked role when an instance is scanned agentlessly, and only then', async () => {
    const hybrid = '777700000002';
    const agentBased = '777700000003';
    await as(agentBased).send(new UpdateConfigurationCommand({ ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' } }));
    await as(hybrid).send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await as(agentBased).send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(await rejection(iam(hybrid).send(new GetRoleCommand({ RoleName: AGENTLESS_ROLE })))).toBeInstanceOf(NoSuchEntityException);
    await advanceClock(server.url, '2m');
    const role = (await iam(hybrid).send(new GetRoleCommand({ RoleName: AGENTLESS_ROLE }))).Role!;
    expect(role).toMatchObject({
      RoleName: AGENTLESS_ROLE,
      Path: '/aws-service-role/agentless.inspector2.amazonaws.com/',
      Arn: `arn:aws:iam::${hybrid}:role/aws-service-role/agentless.inspector2.amazonaws.com/${AGENTLESS_ROLE}`,
    });
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)).Statement[0].Principal).toEqual({ Service: 'agentless.inspector2.amazonaws.com' });
    expect((await iam(hybrid).send(new ListAttachedRolePoliciesCommand({ RoleName: AGENTLESS_ROLE }))).AttachedPolicies).toEqual([
      {
        PolicyName: 'AmazonInspector2AgentlessServiceRolePolicy',
        PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AmazonInspector2AgentlessServiceRolePolicy',
      },
    ]);
    // Agent-based scanning alone needs only Inspector's own role.
    expect(await rejection(iam(agentBased).send(new GetRoleCommand({ RoleName: AGENTLESS_ROLE })))).toBeInstanceOf(NoSuchEntityException);
    expect((await iam(agentBased).send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }))).Role?.RoleName).toBe(
      'AWSServiceRoleForAmazonInspector2',
    );
  });
});

describe.skipIf(noBoto3)('accounts and organizations over time (boto3)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
  });
  afterAll(() => server.close());

  const script = `
import json, sys, urllib.request, boto3, botocore.exceptions
url, region = sys.argv[1], sys.argv[2]
def client(account, service='inspector2'):
    return boto3.client(service, endpoint_url=url, region_name=region, aws_access_key_id=account, aws_secret_access_key='test')
def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, headers={'Content-Type': 'application/json'}, method=method)
    return json.loads(urllib.request.urlopen(req).read())
def advance(d):
    control('POST', '/_inspector2/clock', {'advance': d})
def code(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
def lam(c):
    s = c.batch_get_account_status()['accounts'][0]['resourceState']
    return [s['lambda']['status'], s['lambdaCode']['status']]
out = {}
standalone = client('777700000001')
standalone.enable(resourceTypes=['LAMBDA', 'LAMBDA_CODE', 'EC2'])
advance('2m')
rs = standalone.disable(resourceTypes=['LAMBDA'])['accounts'][0]['resourceStatus']
out['disable'] = [rs['lambda'], rs['lambdaCode']]
out['disabling'] = lam(standalone)
advance('2m')
out['disabled'] = lam(standalone)
iam = client('777700000001', 'iam')
role = iam.get_role(RoleName='${AGENTLESS_ROLE}')['Role']
out['agentless'] = [role['Path'], role['AssumeRolePolicyDocument']['Statement'][0]['Principal']['Service']]
out['agentlessListed'] = '${AGENTLESS_ROLE}' in [r['RoleName'] for r in iam.list_roles()['Roles']]
management, admin = client('${ORG.management}'), client('${ORG.securityTooling}')
out['selfAdmin'] = code(lambda: management.enable_delegated_admin_account(delegatedAdminAccountId='${ORG.management}'))
management.enable_delegated_admin_account(delegatedAdminAccountId='${ORG.securityTooling}')
advance('2m')
admin.associate_member(accountId='${ORG.production}')
advance('2m')
def agree():
    listed = admin.list_members(onlyAssociated=False)['members']
    return all(admin.get_member(accountId=m['accountId'])['member'] == m for m in listed), {m['accountId']: m['relationshipStatus'] for m in listed}
out['agree'] = agree()
admin.update_organization_configuration(autoEnable={'ec2': True, 'ecr': True})
control('DELETE', '/_inspector2/events')
control('POST', '/_inspector2/organizations/${ORG.id}/accounts', {'accountId': '${NEWCOMER}'})
events = control('GET', '/_inspector2/events?detailType=Inspector2%20AutoEnable')['events']
out['autoEnable'] = [[e['account'], e['detail-type'], e['source'], e['detail']] for e in events]
out['newcomer'] = admin.get_member(accountId='${NEWCOMER}')['member']['relationshipStatus']
print(json.dumps(out))
`;

  it('sees every rule with a manual clock and explicit clock moves', async () => {
    const { stdout } = await run('python3', ['-c', script, server.url, REGION], {
      // The script passes each client its own keys; the environment gives none.
      env: { ...awsClientEnv(''), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(JSON.parse(stdout)).toEqual({
      disable: ['DISABLING', 'DISABLING'],
      disabling: ['DISABLING', 'DISABLING'],
      disabled: ['DISABLED', 'DISABLED'],
      agentless: ['/aws-service-role/agentless.inspector2.amazonaws.com/', 'agentless.inspector2.amazonaws.com'],
      agentlessListed: true,
      selfAdmin: ['ValidationException', 400],
      agree: [true, { [ORG.management]: 'CREATED', [ORG.production]: 'ENABLED', [ORG.staging]: 'CREATED', [ORG.sandbox]: 'CREATED' }],
      autoEnable: [
        [
          ORG.securityTooling,
          'Inspector2 AutoEnable',
          'aws.inspector2',
          {
            version: '1.0.0',
            AutoEnableStatus: 'Failed',
            Reason: 'The number of member accounts enabled with AWS Inspector has reached the maximum limit of 1',
          },
        ],
      ],
      newcomer: 'CREATED',
    });
  });
});
