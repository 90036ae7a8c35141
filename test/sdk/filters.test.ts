// Saved filters and suppression rules through the SDK v3, on the default inventory.
import {
  AccessDeniedException,
  AssociateMemberCommand,
  BadRequestException,
  CreateFilterCommand,
  DeleteFilterCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListFiltersCommand,
  ListFindingsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFilterCommand,
  ValidationException,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, listAllFindings, ORG, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';

const findings = listAllFindings;

const critical = { severity: [{ comparison: 'EQUALS' as const, value: 'CRITICAL' }] };

describe('suppression rules', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  beforeAll(async () => {
    server = await startTestServer();
    client = inspectorClient(server.url, { accountId: '730000000003', region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] }));
    await client.send(new ListFindingsCommand({}));
  });
  afterAll(() => server.close());

  it('suppress matching findings at once, then release them when the rule changes or goes', async () => {
    const criticals = await findings(client, critical);
    expect(criticals.length).toBeGreaterThan(0);
    expect(criticals.every((f) => f.status === 'ACTIVE')).toBe(true);

    await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' });
    const { arn } = await client.send(
      new CreateFilterCommand({ name: 'hide-criticals', action: 'SUPPRESS', filterCriteria: critical, reason: 'accepted risk' }),
    );
    expect(arn).toMatch(new RegExp(`^arn:aws:inspector2:${REGION}:730000000003:owner/730000000003/filter/[a-f0-9]{16}$`));
    const suppressed = await findings(client, critical);
    expect(suppressed.map((f) => f.status)).toEqual(criticals.map(() => 'SUPPRESSED'));
    expect(suppressed[0]!.updatedAt!.getTime()).toBeGreaterThan(criticals[0]!.updatedAt!.getTime());
    const bySuppressedStatus = await findings(client, { findingStatus: [{ comparison: 'EQUALS', value: 'SUPPRESSED' }] });
    expect(bySuppressedStatus.length).toBe(criticals.length);
    const others = await findings(client, { severity: [{ comparison: 'NOT_EQUALS', value: 'CRITICAL' }] });
    expect(others.every((f) => f.status === 'ACTIVE')).toBe(true);

    // A new match is suppressed as it appears.
    await control(server.url, 'POST', '/_inspector2/vulnerabilities', {
      id: 'CVE-2099-0002',
      title: 'Test vulnerability in lodash',
      description: 'A vulnerability the test publishes to check that new matches are suppressed.',
      published: '2099-01-02',
      cwes: ['CWE-787'],
      cvss3: { version: '3.1', baseScore: 9.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', source: 'NVD' },
      severity: 'CRITICAL',
      exploit: { known: false },
      // A language package: distribution packages match only their vendor's advisories, which a published entry does not carry.
      affected: [{ ecosystem: 'npm', package: 'lodash', ranges: [{ fixed: '99.0.0' }] }],
      references: ['https://example.com/CVE-2099-0002'],
    });
    const fresh = await findings(client, { vulnerabilityId: [{ comparison: 'EQUALS', value: 'CVE-2099-0002' }] });
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((f) => f.status === 'SUPPRESSED')).toBe(true);

    await client.send(new UpdateFilterCommand({ filterArn: arn, action: 'NONE' }));
    expect((await findings(client, critical)).every((f) => f.status === 'ACTIVE')).toBe(true);
    await client.send(new UpdateFilterCommand({ filterArn: arn, action: 'SUPPRESS' }));
    expect((await findings(client, critical)).every((f) => f.status === 'SUPPRESSED')).toBe(true);
    await client.send(new DeleteFilterCommand({ arn }));
    expect((await findings(client, critical)).every((f) => f.status === 'ACTIVE')).toBe(true);
    const gone = await rejection(client.send(new DeleteFilterCommand({ arn })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
  });

  it('lists saved filters by ARN and action, page by page', async () => {
    const saved = [];
    for (const name of ['team-a', 'team-b', 'team-c']) {
      saved.push((await client.send(new CreateFilterCommand({ name, action: 'NONE', filterCriteria: critical, description: `saved ${name}` }))).arn!);
    }
    const all = await client.send(new ListFiltersCommand({ action: 'NONE' }));
    expect(all.filters?.map((f) => f.name).sort()).toEqual(['team-a', 'team-b', 'team-c']);
    expect(all.filters?.[0]).toMatchObject({ ownerId: '730000000003', action: 'NONE', criteria: critical });
    const one = await client.send(new ListFiltersCommand({ arns: [saved[1]!] }));
    expect(one.filters?.map((f) => f.name)).toEqual(['team-b']);
    const first = await client.send(new ListFiltersCommand({ maxResults: 2 }));
    const second = await client.send(new ListFiltersCommand({ maxResults: 2, nextToken: first.nextToken }));
    expect([...first.filters!, ...second.filters!].map((f) => f.arn).sort()).toEqual([...saved].sort());
    expect(second.nextToken).toBeUndefined();
    expect((await client.send(new ListFiltersCommand({ action: 'SUPPRESS' }))).filters).toEqual([]);
  });

  it('refuse names AWS refuses, and the same name twice', async () => {
    const spaced = await rejection(client.send(new CreateFilterCommand({ name: 'has spaces', action: 'NONE', filterCriteria: critical })));
    expect(spaced).toBeInstanceOf(ValidationException);
    const twice = await rejection(client.send(new CreateFilterCommand({ name: 'team-a', action: 'NONE', filterCriteria: critical })));
    expect(twice).toBeInstanceOf(ValidationException);
    expect(twice.message).toContain("'team-a' exists already");
  });

  it('carry tags, with AWS’s rules', async () => {
    const { arn } = await client.send(new CreateFilterCommand({ name: 'tagged', action: 'NONE', filterCriteria: critical, tags: { team: 'sec' } }));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'prod' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ team: 'sec', env: 'prod' });
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ env: 'prod' });
    const listed = await client.send(new ListFiltersCommand({ arns: [arn!] }));
    expect(listed.filters?.[0]?.tags).toEqual({ env: 'prod' });
    expect(await rejection(client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:owner': 'x' } })))).toBeInstanceOf(BadRequestException);
    const unknown = `arn:aws:inspector2:${REGION}:730000000003:owner/730000000003/filter/0000000000000000`;
    expect(await rejection(client.send(new ListTagsForResourceCommand({ resourceArn: unknown })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('stop at the quota', async () => {
    const quota = inspectorClient(server.url, { accountId: '730000000004', region: REGION });
    for (let i = 0; i < 500; i++) await quota.send(new CreateFilterCommand({ name: `filter-${i}`, action: 'NONE', filterCriteria: critical }));
    const error = await rejection(quota.send(new CreateFilterCommand({ name: 'one-more', action: 'NONE', filterCriteria: critical })));
    expect(error).toBeInstanceOf(ServiceQuotaExceededException);
    expect(error.resourceId).toBe('730000000004');
  });
});

describe('suppression in an organization', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('the administrator’s rules suppress its members’ findings; members cannot suppress', async () => {
    const as = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });
    await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    const admin = as(ORG.securityTooling);
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await admin.send(new EnableCommand({ accountIds: [ORG.production], resourceTypes: ['EC2'] }));
    const member = as(ORG.production);
    await member.send(new ListFindingsCommand({}));

    const denied = await rejection(member.send(new CreateFilterCommand({ name: 'mine', action: 'SUPPRESS', filterCriteria: critical })));
    expect(denied).toBeInstanceOf(AccessDeniedException);
    // A saved filter (no action) is fine.
    await member.send(new CreateFilterCommand({ name: 'mine', action: 'NONE', filterCriteria: critical }));

    await admin.send(
      new CreateFilterCommand({
        name: 'org-wide',
        action: 'SUPPRESS',
        filterCriteria: { ...critical, awsAccountId: [{ comparison: 'EQUALS', value: ORG.production }] },
      }),
    );
    const own = await findings(member, critical);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((f) => f.status === 'SUPPRESSED')).toBe(true);
  });
});
