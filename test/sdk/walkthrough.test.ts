// The seed tutorial's multi-account path, end to end through the SDK v3, with transitions
// that take 30 seconds of virtual time: the management account delegates an administrator,
// which associates members, enables every scan type for all of them and turns on
// auto-enable; an account that joins is enabled; removing the administrator leaves every
// account standalone and enabled.
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  DisableDelegatedAdminAccountCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetDelegatedAdminAccountCommand,
  GetMemberCommand,
  ListDelegatedAdminAccountsCommand,
  ListMembersCommand,
  UpdateOrganizationConfigurationCommand,
  AccessDeniedException,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, ORG, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-central-1';
const ALL_TYPES = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE', 'CODE_REPOSITORY'] as const;
const NEWCOMER = '666666666666';

describe('the multi-account tutorial', () => {
  let server: RunningServer;
  const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
  const advance = (by: string) => control(server.url, 'POST', '/_inspector2/clock', { advance: by });
  beforeAll(async () => {
    server = await startTestServer({ transitionMs: 30_000 });
  });
  afterAll(() => server.close());

  it('runs from delegation to removal', async () => {
    // 1. The management account delegates administration.
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    const admin = as(ORG.securityTooling);
    expect((await admin.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('ENABLING');
    await advance('30s');
    expect((await admin.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('ENABLED');

    // 2. The administrator associates two members: CREATED until the association completes.
    for (const accountId of [ORG.production, ORG.staging]) await admin.send(new AssociateMemberCommand({ accountId }));
    expect((await admin.send(new GetMemberCommand({ accountId: ORG.production }))).member?.relationshipStatus).toBe('CREATED');
    await advance('30s');
    const members = await admin.send(new ListMembersCommand({ onlyAssociated: true }));
    expect(members.members?.map((m) => [m.accountId, m.relationshipStatus])).toEqual([
      [ORG.production, 'ENABLED'],
      [ORG.staging, 'ENABLED'],
    ]);

    // 3. It enables every scan type for itself and its members.
    const everyone = [ORG.securityTooling, ORG.production, ORG.staging];
    const enabled = await admin.send(new EnableCommand({ accountIds: everyone, resourceTypes: [...ALL_TYPES] }));
    expect(enabled.failedAccounts).toEqual([]);
    expect(enabled.accounts?.map((a) => a.status)).toEqual(['ENABLED', 'ENABLING', 'ENABLING']);
    await advance('30s');
    const statuses = await admin.send(new BatchGetAccountStatusCommand({ accountIds: everyone }));
    for (const account of statuses.accounts ?? []) {
      expect(
        Object.values(account.resourceState ?? {}).map((s) => s.status),
        account.accountId,
      ).toEqual(ALL_TYPES.map(() => 'ENABLED'));
    }

    // 4. Auto-enable for accounts that join later; one joins.
    await admin.send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: true, lambda: true } }));
    const joined = await control(server.url, 'POST', `/_inspector2/organizations/${ORG.id}/accounts`, { accountId: NEWCOMER, name: 'new-team' });
    expect(joined.status).toBe(201);
    await advance('30s');
    expect((await admin.send(new GetMemberCommand({ accountId: NEWCOMER }))).member?.relationshipStatus).toBe('ENABLED');
    const newcomer = (await admin.send(new BatchGetAccountStatusCommand({ accountIds: [NEWCOMER] }))).accounts?.[0];
    expect(newcomer?.resourceState).toMatchObject({
      ec2: { status: 'ENABLED' },
      ecr: { status: 'ENABLED' },
      lambda: { status: 'ENABLED' },
      lambdaCode: { status: 'DISABLED' },
      codeRepository: { status: 'DISABLED' },
    });

    // 5. The management account removes the administrator: DISABLE_IN_PROGRESS, then gone.
    await as(ORG.management).send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toEqual([
      { accountId: ORG.securityTooling, status: 'DISABLE_IN_PROGRESS' },
    ]);
    await advance('30s');
    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toEqual([]);
    expect(await as(ORG.production).send(new GetDelegatedAdminAccountCommand({}))).not.toHaveProperty('delegatedAdmin');
    const notAdmin = await rejection(admin.send(new ListMembersCommand({})));
    expect(notAdmin).toBeInstanceOf(AccessDeniedException);

    // Every account is standalone and keeps its scans.
    for (const accountId of [ORG.production, ORG.staging, NEWCOMER]) {
      const own = (await as(accountId).send(new BatchGetAccountStatusCommand({}))).accounts?.[0];
      expect(own?.state?.status, accountId).toBe('ENABLED');
    }
    const organizations = await control(server.url, 'GET', '/_inspector2/organizations');
    expect(organizations.body[0].inspector.find((r: { region: string }) => r.region === REGION)).toMatchObject({ delegatedAdmin: null, members: [] });
  });
});
