// Delegated administration and members through the SDK v3, on the default world's
// organization (seeds/default-world.json).
import {
  AccessDeniedException,
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  ConflictException,
  DescribeOrganizationConfigurationCommand,
  DisableCommand,
  DisableDelegatedAdminAccountCommand,
  DisassociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetDelegatedAdminAccountCommand,
  GetMemberCommand,
  ListAccountPermissionsCommand,
  ListDelegatedAdminAccountsCommand,
  ListMembersCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  UpdateOrganizationConfigurationCommand,
  ValidationException,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, ORG, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';

describe('delegated administrator', () => {
  let server: RunningServer;
  const as = (accountId: string, region = REGION) => inspectorClient(server.url, { accountId, region });
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('can be designated only by the management account', async () => {
    const error = await rejection(as(ORG.production).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling })));
    expect(error).toBeInstanceOf(AccessDeniedException);
    expect(error.$metadata?.httpStatusCode).toBe(403);
    const outsider = await rejection(as('999900001111').send(new ListDelegatedAdminAccountsCommand({})));
    expect(outsider).toBeInstanceOf(AccessDeniedException);
  });

  it('must be an account of the organization', async () => {
    const error = await rejection(as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: '999900001111' })));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('not a member of the organization o-exampleorg01');
  });

  it('is designated, enabled for scanning and visible to the organization', async () => {
    const result = await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    expect(result.delegatedAdminAccountId).toBe(ORG.securityTooling);
    expect(await as(ORG.management).send(new GetDelegatedAdminAccountCommand({}))).toMatchObject({
      delegatedAdmin: { accountId: ORG.securityTooling, relationshipStatus: 'ENABLED' },
    });
    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toEqual([
      { accountId: ORG.securityTooling, status: 'ENABLED' },
    ]);
    const status = await as(ORG.securityTooling).send(new BatchGetAccountStatusCommand({}));
    expect(status.accounts?.[0]?.resourceState).toMatchObject({ ec2: { status: 'ENABLED' }, ecr: { status: 'ENABLED' }, lambda: { status: 'ENABLED' } });
  });

  it('is one per organization, the same in every region', async () => {
    const again = await rejection(as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling })));
    expect(again).toBeInstanceOf(ConflictException);
    expect(again.message).toBe(`Delegated administrator ${ORG.securityTooling} is already enabled for the organization`);
    expect(again.resourceId).toBe(ORG.securityTooling);
    const other = await rejection(as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.production })));
    expect(other).toBeInstanceOf(ConflictException);
    const otherRegion = await rejection(
      as(ORG.management, 'us-east-1').send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.production })),
    );
    expect(otherRegion).toBeInstanceOf(ConflictException);
    // The same account may be designated in another region.
    await as(ORG.management, 'us-east-1').send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
  });

  it('cannot list delegated administrators itself', async () => {
    const error = await rejection(as(ORG.securityTooling).send(new ListDelegatedAdminAccountsCommand({})));
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.message).toContain('is the delegated admin');
  });

  it('associates members: CREATED, then ENABLED', async () => {
    const admin = as(ORG.securityTooling);
    expect(await admin.send(new AssociateMemberCommand({ accountId: ORG.production }))).toMatchObject({ accountId: ORG.production });
    const { member } = await admin.send(new GetMemberCommand({ accountId: ORG.production }));
    expect(member).toMatchObject({ accountId: ORG.production, relationshipStatus: 'ENABLED', delegatedAdminAccountId: ORG.securityTooling });
    expect(member?.updatedAt).toBeInstanceOf(Date);
    await admin.send(new AssociateMemberCommand({ accountId: ORG.staging }));

    const associated = await admin.send(new ListMembersCommand({ onlyAssociated: true }));
    expect(associated.members?.map((m) => m.accountId)).toEqual([ORG.production, ORG.staging]);
    const all = await admin.send(new ListMembersCommand({ onlyAssociated: false }));
    expect(all.members?.map((m) => [m.accountId, m.relationshipStatus])).toEqual([
      [ORG.management, 'CREATED'],
      [ORG.production, 'ENABLED'],
      [ORG.staging, 'ENABLED'],
      [ORG.sandbox, 'CREATED'],
    ]);
  });

  it('pages members with maxResults and nextToken', async () => {
    const admin = as(ORG.securityTooling);
    const first = await admin.send(new ListMembersCommand({ maxResults: 3 }));
    expect(first.members).toHaveLength(3);
    const second = await admin.send(new ListMembersCommand({ maxResults: 3, nextToken: first.nextToken }));
    expect(second.members?.map((m) => m.accountId)).toEqual([ORG.sandbox]);
    expect(second.nextToken).toBeUndefined();
    const foreign = await rejection(admin.send(new ListMembersCommand({ nextToken: 'eyJvcCI6Ikxpc3RGaWx0ZXJzIiwiYWZ0ZXIiOiJ4In0' })));
    expect(foreign).toBeInstanceOf(ValidationException);
  });

  it('refuses member operations to others', async () => {
    const error = await rejection(as(ORG.management).send(new AssociateMemberCommand({ accountId: ORG.sandbox })));
    expect(error).toBeInstanceOf(AccessDeniedException);
    const getOther = await rejection(as(ORG.production).send(new GetMemberCommand({ accountId: ORG.staging })));
    expect(getOther).toBeInstanceOf(AccessDeniedException);
    expect(getOther.message).toBe('Invoking account does not have access to get member account');
    // A member may read its own membership.
    expect((await as(ORG.production).send(new GetMemberCommand({ accountId: ORG.production }))).member?.relationshipStatus).toBe('ENABLED');
    // An organization account never associated is answered as ListMembers lists it: CREATED.
    expect((await as(ORG.securityTooling).send(new GetMemberCommand({ accountId: ORG.sandbox }))).member).toMatchObject({
      accountId: ORG.sandbox,
      relationshipStatus: 'CREATED',
    });
    const unknown = await rejection(as(ORG.securityTooling).send(new GetMemberCommand({ accountId: '999900001111' })));
    expect(unknown).toBeInstanceOf(ResourceNotFoundException);
  });

  it('manages its members’ scans; members act on themselves only', async () => {
    const admin = as(ORG.securityTooling);
    const enabled = await admin.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR'], accountIds: [ORG.production, ORG.sandbox, '999900001111'] }));
    expect(enabled.accounts?.map((a) => a.accountId)).toEqual([ORG.production]);
    expect(enabled.failedAccounts?.map((f) => [f.accountId, f.errorCode])).toEqual([
      [ORG.sandbox, 'ACCESS_DENIED'],
      ['999900001111', 'RESOURCE_NOT_FOUND'],
    ]);
    const statuses = await admin.send(new BatchGetAccountStatusCommand({ accountIds: [ORG.production, ORG.staging] }));
    expect(statuses.accounts?.map((a) => [a.accountId, a.state?.status])).toEqual([
      [ORG.production, 'ENABLED'],
      [ORG.staging, 'DISABLED'],
    ]);

    const member = as(ORG.production);
    const disableSelf = await rejection(member.send(new DisableCommand({})));
    expect(disableSelf).toBeInstanceOf(AccessDeniedException);
    expect(disableSelf.message).toBe(`Member account ${ORG.production} is not authorized to disable itself.`);
    const peek = await member.send(new BatchGetAccountStatusCommand({ accountIds: [ORG.staging] }));
    expect(peek.failedAccounts?.[0]).toMatchObject({ accountId: ORG.staging, errorCode: 'ACCESS_DENIED' });
    const permissions = await member.send(new ListAccountPermissionsCommand({}));
    expect(permissions.permissions?.some((p) => p.operation === 'DISABLE_SCANNING')).toBe(false);
    // The administrator can turn a member's scans off.
    const disabled = await admin.send(new DisableCommand({ accountIds: [ORG.production], resourceTypes: ['ECR'] }));
    expect(disabled.accounts?.[0]?.resourceStatus?.ecr).toBe('DISABLING');
  });

  it('cannot deactivate itself while it has members', async () => {
    const result = await as(ORG.securityTooling).send(new DisableCommand({}));
    expect(result.accounts).toEqual([]);
    expect(result.failedAccounts?.[0]).toMatchObject({ accountId: ORG.securityTooling, errorCode: 'DISASSOCIATE_ALL_MEMBERS' });
  });

  it('disassociates members, who stay enabled and standalone', async () => {
    const admin = as(ORG.securityTooling);
    const notMember = await rejection(admin.send(new DisassociateMemberCommand({ accountId: ORG.sandbox })));
    expect(notMember).toBeInstanceOf(ValidationException);
    expect(notMember.message).toBe(
      'The request is rejected because the current account cannot disassociate the given member account ID since the latter is not yet associated to it.',
    );
    await admin.send(new DisassociateMemberCommand({ accountId: ORG.production }));
    expect((await admin.send(new GetMemberCommand({ accountId: ORG.production }))).member?.relationshipStatus).toBe('REMOVED');
    expect((await as(ORG.production).send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.resourceState?.ec2?.status).toBe('ENABLED');
    const refused = await admin.send(new EnableCommand({ resourceTypes: ['LAMBDA'], accountIds: [ORG.production] }));
    expect(refused.failedAccounts?.[0]?.errorCode).toBe('ACCESS_DENIED');
  });

  it('sets the organization configuration; no one else may', async () => {
    const admin = as(ORG.securityTooling);
    expect(await admin.send(new DescribeOrganizationConfigurationCommand({}))).toMatchObject({
      autoEnable: { ec2: false, ecr: false, lambda: false, lambdaCode: false, codeRepository: false },
      maxAccountLimitReached: false,
    });
    const updated = await admin.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: true, lambda: true } }));
    expect(updated.autoEnable).toEqual({ ec2: true, ecr: true, lambda: true, lambdaCode: false, codeRepository: false });
    expect((await admin.send(new DescribeOrganizationConfigurationCommand({}))).autoEnable).toEqual(updated.autoEnable);
    const noLambda = await rejection(admin.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: true, lambdaCode: true } })));
    expect(noLambda).toBeInstanceOf(ValidationException);
    const other = await rejection(as(ORG.management).send(new DescribeOrganizationConfigurationCommand({})));
    expect(other).toBeInstanceOf(AccessDeniedException);
  });

  it('is removed by the management account, in its region only', async () => {
    const wrong = await rejection(as(ORG.management).send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.staging })));
    expect(wrong).toBeInstanceOf(ConflictException);
    await as(ORG.management).send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toEqual([]);
    expect((await as(ORG.staging).send(new GetDelegatedAdminAccountCommand({}))).delegatedAdmin).toBeUndefined();
    const gone = await rejection(as(ORG.management).send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    // The other region still has its administrator.
    expect((await as(ORG.management, 'us-east-1').send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toHaveLength(1);
  });
});

describe('member quota', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ maxMembers: 2 });
  });
  afterAll(() => server.close());

  it('answers ServiceQuotaExceededException past the limit and reports it in the organization configuration', async () => {
    await inspectorClient(server.url, { accountId: ORG.management, region: REGION }).send(
      new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }),
    );
    const admin = inspectorClient(server.url, { accountId: ORG.securityTooling, region: REGION });
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await admin.send(new AssociateMemberCommand({ accountId: ORG.staging }));
    const error = await rejection(admin.send(new AssociateMemberCommand({ accountId: ORG.sandbox })));
    expect(error).toBeInstanceOf(ServiceQuotaExceededException);
    expect(error.$metadata?.httpStatusCode).toBe(402);
    expect(error.resourceId).toBe(ORG.securityTooling);
    expect((await admin.send(new DescribeOrganizationConfigurationCommand({}))).maxAccountLimitReached).toBe(true);
  });
});
