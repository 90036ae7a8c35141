// Suppression rules over time, through the SDK v3 and boto3, on a manual clock with the
// transitions of a real account (60 s) and scans (30 s): a delegated administrator's rules
// govern its members' findings only while they are its members; tags with the reserved
// `aws:` prefix are refused at creation as TagResource refuses them; a filter needs at least
// one criterion, on every path (CreateFilter, UpdateFilter, the snapshot import).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AssociateMemberCommand,
  BadRequestException,
  CreateCisScanConfigurationCommand,
  CreateCodeSecurityIntegrationCommand,
  CreateCodeSecurityScanConfigurationCommand,
  ListCisScanConfigurationsCommand,
  ListCodeSecurityIntegrationsCommand,
  CreateFilterCommand,
  DisableDelegatedAdminAccountCommand,
  DisassociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListFiltersCommand,
  UpdateFilterCommand,
  ValidationException,
  type Finding,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../../src/world/platform/snapshot.js';
import { advanceClock, awsClientEnv, commandMissing, inspectorClient, listAllFindings, ORG, rejection, skipWithout, startTestServer } from '../helpers.js';

const run = promisify(execFile);
const noBoto3 = skipWithout('python3 with boto3', commandMissing('python3', ['-c', 'import boto3']));

const REGION = 'eu-west-1';
const START = new Date('2026-02-02T10:00:00Z');
const LIFECYCLE = { manualClock: true, clockStart: START, transitionMs: 60_000, scanMs: 30_000 } as const;
const critical = { severity: [{ comparison: 'EQUALS' as const, value: 'CRITICAL' }] };
const ofAccount = (accountId: string) => ({ awsAccountId: [{ comparison: 'EQUALS' as const, value: accountId }] });

/** An organization in REGION: security tooling administers production and staging, which scan EC2; their findings are in. */
async function organizationWithFindings(url: string): Promise<(accountId: string) => Inspector2Client> {
  const as = (accountId: string) => inspectorClient(url, { accountId, region: REGION });
  await as(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
  await advanceClock(url, '2m');
  const admin = as(ORG.securityTooling);
  for (const member of [ORG.production, ORG.staging]) await admin.send(new AssociateMemberCommand({ accountId: member }));
  await admin.send(new EnableCommand({ accountIds: [ORG.production, ORG.staging], resourceTypes: ['EC2'] }));
  await advanceClock(url, '2m');
  await advanceClock(url, '2m');
  return as;
}

const statuses = (findings: Finding[]) => [...new Set(findings.map((f) => f.status))];
const updatedAt = (findings: Finding[]) => new Map(findings.map((f) => [f.findingArn!, f.updatedAt!.getTime()]));

describe('a delegated administrator’s rules govern its members only while they are members', () => {
  let server: RunningServer;
  let as: (accountId: string) => Inspector2Client;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
    as = await organizationWithFindings(server.url);
  });
  afterAll(() => server.close());

  it('a disassociated member’s findings turn ACTIVE, and SUPPRESSED again when it is associated again', async () => {
    const admin = as(ORG.securityTooling);
    const member = as(ORG.staging);
    await admin.send(new CreateFilterCommand({ name: 'hide-staging', action: 'SUPPRESS', filterCriteria: ofAccount(ORG.staging) }));
    const suppressed = await listAllFindings(member);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(statuses(suppressed)).toEqual(['SUPPRESSED']);
    const before = updatedAt(suppressed);

    await advanceClock(server.url, '1m');
    await admin.send(new DisassociateMemberCommand({ accountId: ORG.staging }));
    const standalone = await listAllFindings(member);
    expect(statuses(standalone)).toEqual(['ACTIVE']);
    for (const finding of standalone) expect(finding.updatedAt!.getTime()).toBeGreaterThan(before.get(finding.findingArn!)!);
    // The rule is the administrator's: the former member has none.
    expect((await member.send(new ListFiltersCommand({}))).filters).toEqual([]);
    expect((await admin.send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual(['hide-staging']);

    await admin.send(new AssociateMemberCommand({ accountId: ORG.staging }));
    expect(statuses(await listAllFindings(member))).toEqual(['SUPPRESSED']);
    await advanceClock(server.url, '2m');
    expect(statuses(await listAllFindings(member))).toEqual(['SUPPRESSED']);
  });

  it('removing the administrator turns its rules’ findings ACTIVE once the removal completes', async () => {
    const admin = as(ORG.securityTooling);
    const member = as(ORG.production);
    await admin.send(new CreateFilterCommand({ name: 'hide-production', action: 'SUPPRESS', filterCriteria: ofAccount(ORG.production) }));
    const suppressed = await listAllFindings(member);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(statuses(suppressed)).toEqual(['SUPPRESSED']);
    const before = updatedAt(suppressed);

    await as(ORG.management).send(new DisableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    // DISABLE_IN_PROGRESS: still the administrator, its rules still apply.
    expect(statuses(await listAllFindings(member))).toEqual(['SUPPRESSED']);

    await advanceClock(server.url, '2m');
    const standalone = await listAllFindings(member);
    expect(statuses(standalone)).toEqual(['ACTIVE']);
    for (const finding of standalone) expect(finding.updatedAt!.getTime()).toBeGreaterThan(before.get(finding.findingArn!)!);
    expect(statuses(await listAllFindings(as(ORG.staging)))).toEqual(['ACTIVE']);
    expect((await member.send(new ListFiltersCommand({}))).filters).toEqual([]);
    // The former administrator keeps its rules, in its own account.
    expect((await admin.send(new ListFiltersCommand({}))).filters!.map((f) => f.name).sort()).toEqual(['hide-production', 'hide-staging']);
  });
});

describe('what a filter is created with', () => {
  let server: RunningServer;
  let client: Inspector2Client;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
    client = inspectorClient(server.url, { accountId: '730000000011', region: REGION });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await advanceClock(server.url, '2m');
  });
  afterAll(() => server.close());

  it('refuses tags with the reserved aws: prefix as TagResource does, and creates nothing', async () => {
    const error = await rejection(
      client.send(new CreateFilterCommand({ name: 'reserved', action: 'NONE', filterCriteria: critical, tags: { 'aws:owner': 'me', team: 'sec' } })),
    );
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toContain('Tag keys starting with aws: are reserved');
    expect((await client.send(new ListFiltersCommand({}))).filters).toEqual([]);
    await client.send(new CreateFilterCommand({ name: 'tagged', action: 'NONE', filterCriteria: critical, tags: { team: 'sec' } }));
    expect((await client.send(new ListFiltersCommand({}))).filters!.map((f) => f.tags)).toEqual([{ team: 'sec' }]);
  });

  it('refuses aws: tag keys in the other creates that take tags too (their ValidationException), creating nothing', async () => {
    const reserved = { 'aws:owner': 'me' };
    const attempts = [
      client.send(
        new CreateCisScanConfigurationCommand({
          scanName: 'reserved',
          securityLevel: 'LEVEL_1',
          schedule: { oneTime: {} },
          targets: { accountIds: ['SELF'], targetResourceTags: { Env: ['prod'] } },
          tags: reserved,
        }),
      ),
      client.send(new CreateCodeSecurityIntegrationCommand({ name: 'reserved', type: 'GITHUB', tags: reserved })),
      client.send(
        new CreateCodeSecurityScanConfigurationCommand({
          name: 'reserved',
          level: 'ACCOUNT',
          configuration: { ruleSetCategories: ['SAST'], periodicScanConfiguration: { frequency: 'WEEKLY', frequencyExpression: 'cron(0 0 ? * 1 *)' } },
          tags: reserved,
        }),
      ),
    ];
    for (const attempt of attempts) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toContain('Tag keys starting with aws: are reserved');
    }
    expect((await client.send(new ListCisScanConfigurationsCommand({}))).scanConfigurations).toEqual([]);
    expect((await client.send(new ListCodeSecurityIntegrationsCommand({}))).integrations).toEqual([]);
  });

  it('refuses empty criteria in CreateFilter and UpdateFilter, whatever the action', async () => {
    for (const action of ['SUPPRESS', 'NONE'] as const) {
      const error = await rejection(client.send(new CreateFilterCommand({ name: `empty-${action}`, action, filterCriteria: {} })));
      expect(error).toBeInstanceOf(ValidationException);
      expect(error.message).toContain('at least one criterion');
    }
    const { arn } = await client.send(new CreateFilterCommand({ name: 'narrow', action: 'SUPPRESS', filterCriteria: critical }));
    const error = await rejection(client.send(new UpdateFilterCommand({ filterArn: arn, filterCriteria: {} })));
    expect(error).toBeInstanceOf(ValidationException);
    const filters = (await client.send(new ListFiltersCommand({}))).filters!;
    expect(filters.find((f) => f.arn === arn)!.criteria).toEqual(critical);
    expect(filters.map((f) => f.name).sort()).toEqual(['narrow', 'tagged']);
    // Nothing but the CRITICAL findings is suppressed.
    expect((await listAllFindings(client)).filter((f) => f.status === 'SUPPRESSED').every((f) => f.severity === 'CRITICAL')).toBe(true);
  });

  it('the snapshot import refuses a filter with no criterion', async () => {
    const document = (criteria: object) =>
      JSON.stringify({
        format: SNAPSHOT_FORMAT,
        version: SNAPSHOT_VERSION,
        savedAt: '2026-12-01T00:00:00.000Z',
        clock: { manual: true, base: START.getTime() },
        catalog: [],
        scheduler: { seq: 0, queue: [] },
        events: [],
        state: {
          global: {},
          accounts: {},
          accountRegions: {
            [`730000000012/${REGION}`]: {
              filters: {
                $map: [
                  [
                    `arn:aws:inspector2:${REGION}:730000000012:owner/730000000012/filter/0123456789abcdef`,
                    {
                      arn: `arn:aws:inspector2:${REGION}:730000000012:owner/730000000012/filter/0123456789abcdef`,
                      ownerId: '730000000012',
                      name: 'imported',
                      action: 'SUPPRESS',
                      criteria,
                      createdAt: { $date: START.getTime() },
                      updatedAt: { $date: START.getTime() },
                    },
                  ],
                ],
              },
            },
          },
        },
        shapes: [],
      });
    const target = await startTestServer({ ...LIFECYCLE, seed: false });
    try {
      const load = (criteria: object) =>
        fetch(`${target.url}/_inspector2/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: document(criteria) });
      const refused = await load({});
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toContain('filters');
      expect((await load(critical)).status).toBe(200);
      const imported = inspectorClient(target.url, { accountId: '730000000012', region: REGION });
      expect((await imported.send(new ListFiltersCommand({}))).filters!.map((f) => f.name)).toEqual(['imported']);
    } finally {
      await target.close();
    }
  });
});

describe.skipIf(noBoto3)('through boto3', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer(LIFECYCLE);
    await organizationWithFindings(server.url);
  });
  afterAll(() => server.close());

  const script = `
import json, sys, urllib.request, boto3, botocore.exceptions
url, region = sys.argv[1], sys.argv[2]
def client(account):
    return boto3.client('inspector2', endpoint_url=url, region_name=region, aws_access_key_id=account, aws_secret_access_key='test')
def advance(d):
    req = urllib.request.Request(url + '/_inspector2/clock', data=json.dumps({'advance': d}).encode(), headers={'Content-Type': 'application/json'}, method='POST')
    urllib.request.urlopen(req).read()
def statuses(c):
    found = []
    for page in c.get_paginator('list_findings').paginate():
        found += page['findings']
    return sorted({f['status'] for f in found}), {f['findingArn']: f['updatedAt'].timestamp() for f in found}
def code(call):
    try:
        call()
        return None
    except botocore.exceptions.ClientError as e:
        return [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
admin, member, management = client('${ORG.securityTooling}'), client('${ORG.production}'), client('${ORG.management}')
out = {}
criteria = {'awsAccountId': [{'comparison': 'EQUALS', 'value': '${ORG.production}'}]}
out['reservedTag'] = code(lambda: admin.create_filter(name='reserved', action='SUPPRESS', filterCriteria=criteria, tags={'aws:cloudformation:stack-name': 's'}))
out['emptyCriteria'] = code(lambda: admin.create_filter(name='everything', action='SUPPRESS', filterCriteria={}))
arn = admin.create_filter(name='hide-production', action='SUPPRESS', filterCriteria=criteria)['arn']
out['emptyUpdate'] = code(lambda: admin.update_filter(filterArn=arn, filterCriteria={}))
out['suppressed'], before = statuses(member)
advance('1m')
admin.disassociate_member(accountId='${ORG.production}')
out['disassociated'], after = statuses(member)
out['bumped'] = all(after[k] > before[k] for k in before)
out['memberFilters'] = member.list_filters()['filters']
admin.associate_member(accountId='${ORG.production}')
advance('2m')
out['reassociated'], _ = statuses(member)
management.disable_delegated_admin_account(delegatedAdminAccountId='${ORG.securityTooling}')
out['removing'], _ = statuses(member)
advance('2m')
out['removed'], _ = statuses(member)
out['adminFilters'] = [f['name'] for f in admin.list_filters()['filters']]
print(json.dumps(out))
`;

  it('sees every rule with a manual clock and explicit clock moves', async () => {
    const { stdout } = await run('python3', ['-c', script, server.url, REGION], {
      // The script passes each client its own keys; the environment gives none.
      env: { ...awsClientEnv(''), AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    });
    expect(JSON.parse(stdout)).toEqual({
      reservedTag: ['BadRequestException', 400],
      emptyCriteria: ['ValidationException', 400],
      emptyUpdate: ['ValidationException', 400],
      suppressed: ['SUPPRESSED'],
      disassociated: ['ACTIVE'],
      bumped: true,
      memberFilters: [],
      reassociated: ['SUPPRESSED'],
      removing: ['SUPPRESSED'],
      removed: ['ACTIVE'],
      adminFilters: ['hide-production'],
    });
  });
});
