// Isolation in an organization: a member sees only its own findings, coverage and
// aggregations — never another member's, whatever it filters on — and cannot call what only
// the delegated administrator may; the administrator sees its members'. Through the SDK v3.
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  DisableCommand,
  DisassociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListCoverageCommand,
  ListFindingAggregationsCommand,
  UpdateOrganizationConfigurationCommand,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, listAllFindings, ORG, rejection, startTestServer } from '../helpers.js';

describe('isolation between the members of an organization', () => {
  let server: RunningServer;
  const as = (accountId: string) => inspectorClient(server.url, { accountId });

  beforeAll(async () => {
    server = await startTestServer();
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    for (const accountId of [ORG.production, ORG.staging]) {
      await as(ORG.securityTooling).send(new AssociateMemberCommand({ accountId }));
      await as(accountId).send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    }
  });
  afterAll(() => server.close());

  it('a member reads only its own findings, even when it filters on another account', async () => {
    const own = await listAllFindings(as(ORG.production));
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((f) => f.awsAccountId))).toEqual(new Set([ORG.production]));
    const asked = await listAllFindings(as(ORG.production), { awsAccountId: [{ comparison: 'EQUALS', value: ORG.staging }] });
    expect(asked).toEqual([]);
  });

  it('a member reads only its own coverage and aggregations', async () => {
    const coverage = (await as(ORG.production).send(new ListCoverageCommand({ maxResults: 200 }))).coveredResources!;
    expect(coverage.length).toBeGreaterThan(0);
    expect(new Set(coverage.map((r) => r.accountId))).toEqual(new Set([ORG.production]));
    const accounts = (await as(ORG.production).send(new ListFindingAggregationsCommand({ aggregationType: 'ACCOUNT' }))).responses!;
    expect(accounts.map((r) => r.accountAggregation?.accountId)).toEqual([ORG.production]);
  });

  it('the delegated administrator reads its members', async () => {
    const seen = new Set((await listAllFindings(as(ORG.securityTooling))).map((f) => f.awsAccountId));
    expect(seen.has(ORG.production) && seen.has(ORG.staging)).toBe(true);
  });

  it("a member cannot act as the administrator nor on another member's account", async () => {
    const associate = await rejection(as(ORG.production).send(new AssociateMemberCommand({ accountId: ORG.sandbox })));
    expect(associate.name).toBe('AccessDeniedException');
    const disassociate = await rejection(as(ORG.production).send(new DisassociateMemberCommand({ accountId: ORG.staging })));
    expect(disassociate.name).toBe('AccessDeniedException');
    const configure = await rejection(as(ORG.production).send(new UpdateOrganizationConfigurationCommand({ autoEnable: { ec2: true, ecr: true } })));
    expect(configure.name).toBe('AccessDeniedException');

    const status = await as(ORG.production).send(new BatchGetAccountStatusCommand({ accountIds: [ORG.staging] }));
    expect(status.accounts ?? []).toEqual([]);
    expect(status.failedAccounts?.[0]).toMatchObject({ accountId: ORG.staging, errorCode: 'ACCESS_DENIED' });
    const disable = await as(ORG.production).send(new DisableCommand({ accountIds: [ORG.staging], resourceTypes: ['EC2'] }));
    expect(disable.failedAccounts?.[0]).toMatchObject({ accountId: ORG.staging, errorCode: 'ACCESS_DENIED' });
    // The other member is untouched.
    const staging = await as(ORG.staging).send(new BatchGetAccountStatusCommand({}));
    expect(staging.accounts![0]!.resourceState!.ec2!.status).toBe('ENABLED');
  });
});
