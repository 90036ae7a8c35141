// Code security through the SDK v3: integrations with GitHub and self-managed GitLab over
// the virtual clock, scan configurations and their associations with projects, on-demand
// scans, and the projects' coverage and findings as CODE_REPOSITORY resources.
import {
  AccessDeniedException,
  BatchAssociateCodeSecurityScanConfigurationCommand,
  BatchDisassociateCodeSecurityScanConfigurationCommand,
  BatchGetCodeSnippetCommand,
  ConflictException,
  CreateCodeSecurityIntegrationCommand,
  CreateCodeSecurityScanConfigurationCommand,
  DeleteCodeSecurityIntegrationCommand,
  DeleteCodeSecurityScanConfigurationCommand,
  AssociateMemberCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetCodeSecurityIntegrationCommand,
  GetCodeSecurityScanCommand,
  GetCodeSecurityScanConfigurationCommand,
  ListCodeSecurityIntegrationsCommand,
  ListCodeSecurityScanConfigurationAssociationsCommand,
  ListCodeSecurityScanConfigurationsCommand,
  ListCoverageCommand,
  ListFindingAggregationsCommand,
  ListTagsForResourceCommand,
  ResourceNotFoundException,
  StartCodeSecurityScanCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateCodeSecurityIntegrationCommand,
  UpdateCodeSecurityScanConfigurationCommand,
  ValidationException,
  type CoveredResource,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceModel } from '../../src/protocol/model.js';
import { checkShape } from '../../src/protocol/validate.js';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, listAllFindings, ORG, recordRawResponses, rejection, startTestServer } from '../helpers.js';

const REGION = 'eu-central-1';
const INTEGRATION_ARN = /^arn:aws:inspector2:eu-central-1:(\d{12}):codesecurity-integration\/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;
const PROJECT_ID = /^project-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

let server: RunningServer;
beforeAll(async () => {
  // Transitions (Enable, integration activation) and scans each take a minute of virtual time.
  server = await startTestServer({ transitionMs: 60_000, scanMs: 60_000 });
});
afterAll(() => server.close());

const advance = (by: string) => control(server.url, 'POST', '/_inspector2/clock', { advance: by });
const client = (accountId: string) => inspectorClient(server.url, { accountId, region: REGION });

async function enabled(accountId: string, resourceTypes: ('CODE_REPOSITORY' | 'EC2')[] = ['CODE_REPOSITORY']): Promise<Inspector2Client> {
  const inspector = client(accountId);
  await inspector.send(new EnableCommand({ resourceTypes }));
  await advance('1m');
  return inspector;
}

/** Creates a GitHub integration and authorizes it; ACTIVE once the clock has moved a minute. */
async function activeIntegration(inspector: Inspector2Client, name: string): Promise<string> {
  const { integrationArn } = await inspector.send(new CreateCodeSecurityIntegrationCommand({ name, type: 'GITHUB' }));
  await inspector.send(new UpdateCodeSecurityIntegrationCommand({ integrationArn, details: { github: { code: 'auth-code-1', installationId: '4711' } } }));
  await advance('1m');
  return integrationArn!;
}

async function repositoryCoverage(inspector: Inspector2Client): Promise<CoveredResource[]> {
  const { coveredResources } = await inspector.send(
    new ListCoverageCommand({ filterCriteria: { resourceType: [{ comparison: 'EQUALS', value: 'CODE_REPOSITORY' }] }, maxResults: 200 }),
  );
  return (coveredResources ?? []).sort((a, b) =>
    a.resourceMetadata!.codeRepository!.projectName!.localeCompare(b.resourceMetadata!.codeRepository!.projectName!),
  );
}

const projectIdOf = (row: CoveredResource) => row.resourceId!.split('/').at(-1)!;

describe('code security before Inspector is enabled', () => {
  it('refuses every code security call with AccessDeniedException', async () => {
    const inspector = client('741000000001');
    for (const call of [
      () => inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'acme', type: 'GITHUB' })),
      () => inspector.send(new ListCodeSecurityIntegrationsCommand({})),
      () => inspector.send(new ListCodeSecurityScanConfigurationsCommand({})),
      () => inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId: 'project-00000000-0000-0000-0000-000000000000' } })),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(AccessDeniedException);
      expect(error.$metadata?.httpStatusCode).toBe(403);
      expect(error.message).toBe('Invoking account is not enabled.');
    }
  });
});

describe('code security integrations', () => {
  const ACCOUNT = '741000000002';
  let inspector: Inspector2Client;
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
  });

  it('goes PENDING → IN_PROGRESS → ACTIVE over the clock, and imports the provider’s repositories', async () => {
    const created = await inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'acme-github', type: 'GITHUB' }));
    expect(created.integrationArn).toMatch(INTEGRATION_ARN);
    expect(created.integrationArn!.match(INTEGRATION_ARN)![1]).toBe(ACCOUNT);
    expect(created.status).toBe('PENDING');
    expect(created.authorizationUrl).toMatch(/^https:\/\/github\.com\/apps\/.+\/installations\/new\?state=[a-f0-9]+$/);

    const pending = await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn }));
    expect(pending).toMatchObject({ integrationArn: created.integrationArn, name: 'acme-github', type: 'GITHUB', status: 'PENDING' });
    expect(pending.statusReason).toContain('authoriz');
    expect(pending.authorizationUrl).toBe(created.authorizationUrl);
    expect(pending.createdOn).toBeInstanceOf(Date);

    await advance('5m');
    const updated = await inspector.send(
      new UpdateCodeSecurityIntegrationCommand({
        integrationArn: created.integrationArn,
        details: { github: { code: 'a1b2c3', installationId: '12345678' } },
      }),
    );
    expect(updated).toMatchObject({ integrationArn: created.integrationArn, status: 'IN_PROGRESS' });
    const inProgress = await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn }));
    expect(inProgress.status).toBe('IN_PROGRESS');
    expect(inProgress.authorizationUrl).toBeUndefined();
    expect(inProgress.lastUpdateOn!.getTime()).toBeGreaterThan(inProgress.createdOn!.getTime());

    await advance('1m');
    const active = await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn }));
    expect(active.status).toBe('ACTIVE');
    expect(active.statusReason).toContain('3 repositories');
    const projects = await repositoryCoverage(inspector);
    expect(projects.map((p) => p.resourceMetadata?.codeRepository?.projectName)).toEqual([
      'acme-github/infrastructure',
      'acme-github/payments-api',
      'acme-github/web-portal',
    ]);
    for (const project of projects) {
      expect(project.resourceId).toBe(`${created.integrationArn}/${projectIdOf(project)}`);
      expect(projectIdOf(project)).toMatch(PROJECT_ID);
      expect(project.resourceMetadata?.codeRepository).toMatchObject({ integrationArn: created.integrationArn, providerType: 'GITHUB' });
    }

    // Authorized already: the code is not taken twice.
    const again = await rejection(
      inspector.send(
        new UpdateCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn, details: { github: { code: 'x', installationId: '1' } } }),
      ),
    );
    expect(again).toBeInstanceOf(ConflictException);
    expect(again.$metadata?.httpStatusCode).toBe(409);
    expect(again.message).toContain('ACTIVE');
  });

  it('creates self-managed GitLab integrations with the instance and authorizes them with an auth code', async () => {
    const missing = await rejection(inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'gitlab-no-details', type: 'GITLAB_SELF_MANAGED' })));
    expect(missing).toBeInstanceOf(ValidationException);
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect(missing.message).toContain('instanceUrl');

    const created = await inspector.send(
      new CreateCodeSecurityIntegrationCommand({
        name: 'acme-gitlab',
        type: 'GITLAB_SELF_MANAGED',
        details: { gitlabSelfManaged: { instanceUrl: 'https://gitlab.acme.example/', accessToken: 'glpat-test-token' } },
      }),
    );
    expect(created.status).toBe('PENDING');
    expect(created.authorizationUrl).toMatch(/^https:\/\/gitlab\.acme\.example\/oauth\/authorize\?response_type=code&/);

    const wrongProvider = await rejection(
      inspector.send(
        new UpdateCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn, details: { github: { code: 'c', installationId: '1' } } }),
      ),
    );
    expect(wrongProvider).toBeInstanceOf(ValidationException);
    expect(wrongProvider.message).toContain('gitlabSelfManaged');

    await inspector.send(
      new UpdateCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn, details: { gitlabSelfManaged: { authCode: 'gl-code' } } }),
    );
    await advance('1m');
    expect((await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn: created.integrationArn }))).status).toBe('ACTIVE');
    const gitlabProjects = (await repositoryCoverage(inspector)).filter((p) => p.resourceMetadata?.codeRepository?.integrationArn === created.integrationArn);
    expect(gitlabProjects.map((p) => p.resourceMetadata?.codeRepository?.providerType)).toEqual([
      'GITLAB_SELF_MANAGED',
      'GITLAB_SELF_MANAGED',
      'GITLAB_SELF_MANAGED',
    ]);

    const duplicate = await rejection(inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'acme-gitlab', type: 'GITHUB' })));
    expect(duplicate).toBeInstanceOf(ConflictException);
    expect(duplicate.message).toContain(created.integrationArn);
  });

  it('lists integrations a page at a time, in creation order', async () => {
    for (const name of ['page-a', 'page-b']) await inspector.send(new CreateCodeSecurityIntegrationCommand({ name, type: 'GITHUB' }));
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await inspector.send(new ListCodeSecurityIntegrationsCommand({ maxResults: 2, nextToken }));
      expect(page.integrations!.length).toBeLessThanOrEqual(2);
      names.push(...page.integrations!.map((i) => i.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(names).toEqual(['acme-github', 'acme-gitlab', 'page-a', 'page-b']);
    expect(pages).toBe(2);
    const bad = await rejection(inspector.send(new ListCodeSecurityIntegrationsCommand({ nextToken: 'not-a-token' })));
    expect(bad).toBeInstanceOf(ValidationException);
  });

  it('tags integrations at creation and through the tag operations', async () => {
    const { integrationArn } = await inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'tagged', type: 'GITHUB', tags: { team: 'appsec' } }));
    expect((await inspector.send(new ListTagsForResourceCommand({ resourceArn: integrationArn }))).tags).toEqual({ team: 'appsec' });
    await inspector.send(new TagResourceCommand({ resourceArn: integrationArn, tags: { env: 'prod' } }));
    await inspector.send(new UntagResourceCommand({ resourceArn: integrationArn, tagKeys: ['team'] }));
    const got = await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn }));
    expect(got.tags).toEqual({ env: 'prod' });
    const listed = await inspector.send(new ListCodeSecurityIntegrationsCommand({}));
    expect(listed.integrations!.find((i) => i.integrationArn === integrationArn)!.tags).toEqual({ env: 'prod' });
  });

  it('deletes an integration: DISABLING, its projects gone at once, then the integration too', async () => {
    const integrationArn = await activeIntegration(inspector, 'short-lived');
    const before = await repositoryCoverage(inspector);
    expect(before.filter((p) => p.resourceMetadata?.codeRepository?.integrationArn === integrationArn)).toHaveLength(3);

    expect(await inspector.send(new DeleteCodeSecurityIntegrationCommand({ integrationArn }))).toMatchObject({ integrationArn });
    expect((await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn }))).status).toBe('DISABLING');
    const after = await repositoryCoverage(inspector);
    expect(after.filter((p) => p.resourceMetadata?.codeRepository?.integrationArn === integrationArn)).toEqual([]);
    expect(after).toHaveLength(before.length - 3);

    await advance('1m');
    const gone = await rejection(inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.$metadata?.httpStatusCode).toBe(404);
    const listed = await inspector.send(new ListCodeSecurityIntegrationsCommand({}));
    expect(listed.integrations!.map((i) => i.integrationArn)).not.toContain(integrationArn);
  });

  it('answers ResourceNotFoundException for an unknown integration ARN', async () => {
    const unknown = `arn:aws:inspector2:${REGION}:${ACCOUNT}:codesecurity-integration/00000000-0000-0000-0000-000000000000`;
    for (const call of [
      () => inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn: unknown })),
      () => inspector.send(new DeleteCodeSecurityIntegrationCommand({ integrationArn: unknown })),
      () => inspector.send(new UpdateCodeSecurityIntegrationCommand({ integrationArn: unknown, details: { github: { code: 'c', installationId: '1' } } })),
      () => inspector.send(new TagResourceCommand({ resourceArn: unknown, tags: { a: 'b' } })),
    ]) {
      const error = await rejection(call());
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error.message).toContain(unknown);
    }
  });
});

describe('code security scan configurations', () => {
  const ACCOUNT = '741000000003';
  let inspector: Inspector2Client;
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
  });

  it('creates, reads, updates, lists and deletes them', async () => {
    const { scanConfigurationArn } = await inspector.send(
      new CreateCodeSecurityScanConfigurationCommand({
        name: 'weekly-full',
        level: 'ACCOUNT',
        configuration: {
          periodicScanConfiguration: { frequency: 'WEEKLY' },
          continuousIntegrationScanConfiguration: { supportedEvents: ['PULL_REQUEST'] },
          ruleSetCategories: ['SAST', 'IAC', 'SCA'],
        },
        tags: { owner: 'appsec' },
      }),
    );
    expect(scanConfigurationArn).toMatch(
      new RegExp(
        `^arn:aws:inspector2:${REGION}:${ACCOUNT}:owner/${ACCOUNT}/codesecurity-configuration/[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$`,
      ),
    );
    const got = await inspector.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn }));
    expect(got).toMatchObject({ scanConfigurationArn, name: 'weekly-full', level: 'ACCOUNT', tags: { owner: 'appsec' } });
    // Inspector chooses the day of a weekly scan when no expression is given.
    expect(got.configuration!.periodicScanConfiguration).toMatchObject({
      frequency: 'WEEKLY',
      frequencyExpression: expect.stringMatching(/^cron\(0 0 \? \* (SUN|MON|TUE|WED|THU|FRI|SAT) \*\)$/),
    });
    expect(got.configuration!.continuousIntegrationScanConfiguration).toEqual({ supportedEvents: ['PULL_REQUEST'] });
    expect(got.scopeSettings).toBeUndefined();

    await advance('10m');
    await inspector.send(
      new UpdateCodeSecurityScanConfigurationCommand({
        scanConfigurationArn,
        configuration: { periodicScanConfiguration: { frequency: 'MONTHLY', frequencyExpression: 'cron(30 2 15 * ? *)' }, ruleSetCategories: ['SAST'] },
      }),
    );
    const updated = await inspector.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn }));
    expect(updated.configuration).toEqual({
      periodicScanConfiguration: { frequency: 'MONTHLY', frequencyExpression: 'cron(30 2 15 * ? *)' },
      ruleSetCategories: ['SAST'],
    });
    expect(updated.lastUpdatedAt!.getTime()).toBeGreaterThan(updated.createdAt!.getTime());

    const { configurations } = await inspector.send(new ListCodeSecurityScanConfigurationsCommand({}));
    expect(configurations).toEqual([
      {
        scanConfigurationArn,
        name: 'weekly-full',
        ownerAccountId: ACCOUNT,
        periodicScanFrequency: 'MONTHLY',
        frequencyExpression: 'cron(30 2 15 * ? *)',
        ruleSetCategories: ['SAST'],
        tags: { owner: 'appsec' },
      },
    ]);

    expect(await inspector.send(new DeleteCodeSecurityScanConfigurationCommand({ scanConfigurationArn }))).toEqual(
      expect.objectContaining({ scanConfigurationArn }),
    );
    const gone = await rejection(inspector.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(gone.message).toContain(scanConfigurationArn);
    expect((await inspector.send(new ListCodeSecurityScanConfigurationsCommand({}))).configurations).toEqual([]);
  });

  it('refuses schedules that do not match their frequency, duplicates, a second default and organization level for a standalone account', async () => {
    const mismatch = await rejection(
      inspector.send(
        new CreateCodeSecurityScanConfigurationCommand({
          name: 'mismatch',
          level: 'ACCOUNT',
          configuration: { periodicScanConfiguration: { frequency: 'MONTHLY', frequencyExpression: 'cron(0 3 ? * MON *)' }, ruleSetCategories: ['SAST'] },
        }),
      ),
    );
    expect(mismatch).toBeInstanceOf(ValidationException);
    expect(mismatch.message).toContain('does not match the frequency MONTHLY');

    const spec = {
      level: 'ACCOUNT' as const,
      configuration: { ruleSetCategories: ['SCA' as const] },
      scopeSettings: { projectSelectionScope: 'ALL' as const },
    };
    await inspector.send(new CreateCodeSecurityScanConfigurationCommand({ name: 'default', ...spec }));
    const sameName = await rejection(
      inspector.send(new CreateCodeSecurityScanConfigurationCommand({ name: 'default', level: 'ACCOUNT', configuration: { ruleSetCategories: ['SAST'] } })),
    );
    expect(sameName).toBeInstanceOf(ConflictException);
    const secondDefault = await rejection(inspector.send(new CreateCodeSecurityScanConfigurationCommand({ name: 'another-default', ...spec })));
    expect(secondDefault).toBeInstanceOf(ConflictException);
    expect(secondDefault.$metadata?.httpStatusCode).toBe(409);
    expect(secondDefault.message).toContain('default scan configuration');

    const organization = await rejection(
      inspector.send(new CreateCodeSecurityScanConfigurationCommand({ name: 'org', level: 'ORGANIZATION', configuration: { ruleSetCategories: ['SAST'] } })),
    );
    expect(organization).toBeInstanceOf(AccessDeniedException);
    expect(organization.message).toContain('delegated administrator');
  });
});

describe('code repositories: associations, coverage, findings and on-demand scans', () => {
  const ACCOUNT = '741000000004';
  let inspector: Inspector2Client;
  let integrationArn: string;
  let configurationArn: string;
  let projects: Record<'acme/payments-api' | 'acme/web-portal' | 'acme/infrastructure', string>;
  beforeAll(async () => {
    inspector = await enabled(ACCOUNT);
    integrationArn = await activeIntegration(inspector, 'acme');
    projects = Object.fromEntries(
      (await repositoryCoverage(inspector)).map((row) => [row.resourceMetadata!.codeRepository!.projectName!, projectIdOf(row)]),
    ) as typeof projects;
    ({ scanConfigurationArn: configurationArn } = (await inspector.send(
      new CreateCodeSecurityScanConfigurationCommand({
        name: 'all-rules',
        level: 'ACCOUNT',
        configuration: {
          periodicScanConfiguration: { frequency: 'WEEKLY', frequencyExpression: 'cron(0 3 ? * MON *)' },
          ruleSetCategories: ['SAST', 'IAC', 'SCA'],
        },
      }),
    )) as { scanConfigurationArn: string });
  });

  it('shows projects without a scan configuration as INACTIVE, with their repository metadata', async () => {
    const rows = await repositoryCoverage(inspector);
    expect(rows.map((r) => `${r.scanType} ${r.scanStatus?.statusCode}/${r.scanStatus?.reason}`)).toEqual(
      Array(3).fill('CODE INACTIVE/NO_SCAN_CONFIGURATION_ASSOCIATED'),
    );
    expect(rows.find((r) => r.resourceMetadata?.codeRepository?.projectName === 'acme/web-portal')!.resourceMetadata!.codeRepository).toEqual({
      projectName: 'acme/web-portal',
      integrationArn,
      providerType: 'GITHUB',
      providerTypeVisibility: 'PUBLIC',
    });
  });

  it('associates projects in batches, answering each failure with its status code', async () => {
    const unknownConfiguration = `arn:aws:inspector2:${REGION}:${ACCOUNT}:owner/${ACCOUNT}/codesecurity-configuration/00000000-0000-0000-0000-000000000000`;
    const unknownProject = 'project-00000000-0000-0000-0000-000000000000';
    const result = await inspector.send(
      new BatchAssociateCodeSecurityScanConfigurationCommand({
        associateConfigurationRequests: [
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/payments-api'] } },
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/web-portal'] } },
          { scanConfigurationArn: configurationArn, resource: { projectId: unknownProject } },
          { scanConfigurationArn: unknownConfiguration, resource: { projectId: projects['acme/infrastructure'] } },
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/web-portal'] } },
        ],
      }),
    );
    expect(result.successfulAssociations).toEqual([
      { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/payments-api'] } },
      { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/web-portal'] } },
    ]);
    expect(result.failedAssociations!.map((f) => [f.resource?.projectId, f.statusCode])).toEqual([
      [unknownProject, 'RESOURCE_NOT_FOUND'],
      [projects['acme/infrastructure'], 'SCAN_CONFIGURATION_NOT_FOUND'],
      [projects['acme/web-portal'], 'INVALID_INPUT'],
    ]);
    expect(result.failedAssociations!.every((f) => f.statusMessage!.length > 0)).toBe(true);

    const first = await inspector.send(new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn: configurationArn, maxResults: 1 }));
    expect(first.associations).toHaveLength(1);
    const second = await inspector.send(
      new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn: configurationArn, maxResults: 1, nextToken: first.nextToken }),
    );
    expect(second.nextToken).toBeUndefined();
    expect([...first.associations!, ...second.associations!].map((a) => a.resource?.projectId).sort()).toEqual(
      [projects['acme/payments-api'], projects['acme/web-portal']].sort(),
    );
  });

  it('scans associated projects and shows their scan configuration and last scanned commit in coverage', async () => {
    const pending = await repositoryCoverage(inspector);
    expect(pending.map((r) => r.scanStatus?.reason)).toEqual(['NO_SCAN_CONFIGURATION_ASSOCIATED', 'PENDING_INITIAL_SCAN', 'PENDING_INITIAL_SCAN']);
    await advance('1m');
    const [, payments] = await repositoryCoverage(inspector);
    expect(payments!.scanStatus).toEqual({ statusCode: 'ACTIVE', reason: 'SUCCESSFUL' });
    expect(payments!.lastScannedAt).toBeInstanceOf(Date);
    expect(payments!.resourceMetadata!.codeRepository).toMatchObject({
      projectName: 'acme/payments-api',
      providerTypeVisibility: 'PRIVATE',
      lastScannedCommitId: expect.stringMatching(/^[a-f0-9]{40}$/),
      scanConfiguration: { periodicScanConfigurations: [{ frequencyExpression: 'cron(0 3 ? * MON *)', ruleSetCategories: ['SAST', 'IAC', 'SCA'] }] },
    });
    const byCommit = await inspector.send(
      new ListCoverageCommand({
        filterCriteria: { lastScannedCommitId: [{ comparison: 'EQUALS', value: payments!.resourceMetadata!.codeRepository!.lastScannedCommitId! }] },
      }),
    );
    expect(byCommit.coveredResources!.map((r) => r.resourceId)).toEqual([payments!.resourceId]);
  });

  it('reports the repository findings, filtered by project name, and aggregates them by repository', async () => {
    const findings = await listAllFindings(inspector, { codeRepositoryProjectName: [{ comparison: 'EQUALS', value: 'acme/payments-api' }] });
    const code = findings.filter((f) => f.type === 'CODE_VULNERABILITY');
    expect(code.map((f) => f.codeVulnerabilityDetails?.cwes).sort()).toEqual([['CWE-798'], ['CWE-89']]);
    expect(code.find((f) => f.codeVulnerabilityDetails!.cwes!.includes('CWE-89'))).toMatchObject({
      title: 'CWE-89 - SQL injection',
      severity: 'HIGH',
      status: 'ACTIVE',
      codeVulnerabilityDetails: { filePath: { fileName: 'repository.py', filePath: 'src/payments/repository.py', startLine: 42, endLine: 43 } },
    });
    // SCA: the vulnerable dependencies in requirements.txt.
    const dependencies = findings.filter((f) => f.type === 'PACKAGE_VULNERABILITY');
    expect(dependencies.length).toBeGreaterThan(0);
    expect(dependencies.flatMap((f) => f.packageVulnerabilityDetails!.vulnerablePackages!.map((p) => p.filePath))).toContain('requirements.txt');
    for (const finding of findings) {
      expect(finding.resources).toEqual([
        expect.objectContaining({
          type: 'CODE_REPOSITORY',
          id: `${integrationArn}/${projects['acme/payments-api']}`,
          details: { codeRepository: { projectName: 'acme/payments-api', integrationArn, providerType: 'GITHUB' } },
        }),
      ]);
    }

    const snippet = await inspector.send(new BatchGetCodeSnippetCommand({ findingArns: [code[0]!.findingArn!] }));
    expect(snippet.codeSnippetResults![0]!.codeSnippet!.length).toBeGreaterThan(0);

    const aggregation = await inspector.send(new ListFindingAggregationsCommand({ aggregationType: 'CODE_REPOSITORY' }));
    const counts = aggregation.responses!.map((r) => r.codeRepositoryAggregation!);
    expect(counts.map((c) => c.projectNames).sort()).toEqual(['acme/payments-api', 'acme/web-portal']);
    expect(counts.find((c) => c.projectNames === 'acme/payments-api')!.severityCounts!.all).toBe(findings.length);
  });

  it('rescans with the new rule sets when a configuration changes, and closes findings when a project is disassociated', async () => {
    await inspector.send(
      new UpdateCodeSecurityScanConfigurationCommand({ scanConfigurationArn: configurationArn, configuration: { ruleSetCategories: ['SAST'] } }),
    );
    const rows = await repositoryCoverage(inspector);
    expect(rows.filter((r) => r.scanStatus?.statusCode === 'ACTIVE').map((r) => r.scanStatus?.reason)).toEqual(['SCAN_IN_PROGRESS', 'SCAN_IN_PROGRESS']);
    await advance('1m');
    const portal = await listAllFindings(inspector, { codeRepositoryProjectName: [{ comparison: 'EQUALS', value: 'acme/web-portal' }] });
    expect(portal.filter((f) => f.status === 'ACTIVE').map((f) => f.type)).toEqual(['CODE_VULNERABILITY', 'CODE_VULNERABILITY']);
    expect(portal.filter((f) => f.type === 'PACKAGE_VULNERABILITY').every((f) => f.status === 'CLOSED')).toBe(true);

    const result = await inspector.send(
      new BatchDisassociateCodeSecurityScanConfigurationCommand({
        disassociateConfigurationRequests: [
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/web-portal'] } },
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/infrastructure'] } },
        ],
      }),
    );
    expect(result.successfulAssociations!.map((s) => s.resource?.projectId)).toEqual([projects['acme/web-portal']]);
    expect(result.failedAssociations).toEqual([
      expect.objectContaining({ resource: { projectId: projects['acme/infrastructure'] }, statusCode: 'INVALID_INPUT' }),
    ]);
    const row = (await repositoryCoverage(inspector)).find((r) => projectIdOf(r) === projects['acme/web-portal'])!;
    expect(row.scanStatus).toEqual({ statusCode: 'INACTIVE', reason: 'NO_SCAN_CONFIGURATION_ASSOCIATED' });
    const closed = await listAllFindings(inspector, { codeRepositoryProjectName: [{ comparison: 'EQUALS', value: 'acme/web-portal' }] });
    expect(closed.every((f) => f.status === 'CLOSED')).toBe(true);
  });

  it('scans a project on demand: IN_PROGRESS, then SUCCESSFUL with the commit scanned', async () => {
    const infrastructure = projects['acme/infrastructure'];
    const started = await inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId: infrastructure }, clientToken: 'scan-infra-1' }));
    expect(started.status).toBe('IN_PROGRESS');
    expect(started.scanId).toMatch(/^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/);
    // The same client token gets the same scan.
    const replay = await inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId: infrastructure }, clientToken: 'scan-infra-1' }));
    expect(replay.scanId).toBe(started.scanId);
    const busy = await rejection(inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId: infrastructure }, clientToken: 'scan-infra-2' })));
    expect(busy).toBeInstanceOf(ConflictException);
    expect(busy.message).toContain(started.scanId);

    const running = await inspector.send(new GetCodeSecurityScanCommand({ resource: { projectId: infrastructure }, scanId: started.scanId }));
    expect(running).toMatchObject({ scanId: started.scanId, resource: { projectId: infrastructure }, accountId: ACCOUNT, status: 'IN_PROGRESS' });
    expect(running.lastCommitId).toBeUndefined();
    const row = (await repositoryCoverage(inspector)).find((r) => projectIdOf(r) === infrastructure)!;
    expect(row.scanStatus).toEqual({ statusCode: 'ACTIVE', reason: 'SCAN_IN_PROGRESS' });

    await advance('1m');
    const done = await inspector.send(new GetCodeSecurityScanCommand({ resource: { projectId: infrastructure }, scanId: started.scanId }));
    expect(done.status).toBe('SUCCESSFUL');
    expect(done.lastCommitId).toMatch(/^[a-f0-9]{40}$/);
    expect(done.updatedAt!.getTime()).toBeGreaterThan(done.createdAt!.getTime());
    const scanned = (await repositoryCoverage(inspector)).find((r) => projectIdOf(r) === infrastructure)!;
    expect(scanned.scanStatus).toEqual({ statusCode: 'ACTIVE', reason: 'SUCCESSFUL' });
    expect(scanned.resourceMetadata!.codeRepository).toMatchObject({
      lastScannedCommitId: done.lastCommitId,
      onDemandScan: { lastScannedCommitId: done.lastCommitId, scanStatus: { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' } },
    });
    // Without a scan configuration, an on-demand scan applies every rule set: the IaC findings.
    const iac = await listAllFindings(inspector, { codeRepositoryProjectName: [{ comparison: 'EQUALS', value: 'acme/infrastructure' }] });
    expect(iac.map((f) => f.codeVulnerabilityDetails?.cwes?.[0]).sort()).toEqual(['CWE-284', 'CWE-311']);
  });

  it('answers ResourceNotFoundException for an unknown project or scan', async () => {
    const unknownProject = await rejection(
      inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId: 'project-00000000-0000-0000-0000-000000000000' } })),
    );
    expect(unknownProject).toBeInstanceOf(ResourceNotFoundException);
    expect(unknownProject.$metadata?.httpStatusCode).toBe(404);
    expect(unknownProject.message).toContain('project-00000000-0000-0000-0000-000000000000');
    const unknownScan = await rejection(
      inspector.send(
        new GetCodeSecurityScanCommand({ resource: { projectId: projects['acme/payments-api'] }, scanId: '00000000-0000-0000-0000-000000000000' }),
      ),
    );
    expect(unknownScan).toBeInstanceOf(ResourceNotFoundException);
  });

  it('keeps each account’s integrations, configurations, projects and scans to itself', async () => {
    const other = await enabled('741000000005');
    expect((await other.send(new ListCodeSecurityIntegrationsCommand({}))).integrations).toEqual([]);
    expect((await other.send(new ListCodeSecurityScanConfigurationsCommand({}))).configurations).toEqual([]);
    expect(await repositoryCoverage(other)).toEqual([]);
    expect(await rejection(other.send(new GetCodeSecurityIntegrationCommand({ integrationArn })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(other.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn: configurationArn })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(await rejection(other.send(new ListTagsForResourceCommand({ resourceArn: integrationArn })))).toBeInstanceOf(ResourceNotFoundException);
    expect(await rejection(other.send(new StartCodeSecurityScanCommand({ resource: { projectId: projects['acme/payments-api'] } })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    const { scanConfigurationArn } = await other.send(
      new CreateCodeSecurityScanConfigurationCommand({ name: 'mine', level: 'ACCOUNT', configuration: { ruleSetCategories: ['SAST'] } }),
    );
    const foreign = await other.send(
      new BatchAssociateCodeSecurityScanConfigurationCommand({
        associateConfigurationRequests: [
          { scanConfigurationArn, resource: { projectId: projects['acme/payments-api'] } },
          { scanConfigurationArn: configurationArn, resource: { projectId: projects['acme/payments-api'] } },
        ],
      }),
    );
    expect(foreign.failedAssociations!.map((f) => f.statusCode)).toEqual(['RESOURCE_NOT_FOUND', 'SCAN_CONFIGURATION_NOT_FOUND']);
    expect(await listAllFindings(other, { resourceType: [{ comparison: 'EQUALS', value: 'CODE_REPOSITORY' }] })).toEqual([]);
  });
});

describe('default scan configurations and on-demand scans without code repository scanning', () => {
  it('associates a default configuration with the projects of integrations activated later', async () => {
    const inspector = await enabled('741000000006');
    const { scanConfigurationArn } = await inspector.send(
      new CreateCodeSecurityScanConfigurationCommand({
        name: 'default',
        level: 'ACCOUNT',
        configuration: { ruleSetCategories: ['SAST', 'SCA'] },
        scopeSettings: { projectSelectionScope: 'ALL' },
      }),
    );
    expect((await inspector.send(new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn }))).associations).toEqual([]);
    await activeIntegration(inspector, 'later');
    const { associations } = await inspector.send(new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn }));
    const rows = await repositoryCoverage(inspector);
    expect(associations!.map((a) => a.resource?.projectId).sort()).toEqual(rows.map(projectIdOf).sort());
    expect(rows.map((r) => r.scanStatus?.reason)).toEqual(['PENDING_INITIAL_SCAN', 'PENDING_INITIAL_SCAN', 'PENDING_INITIAL_SCAN']);
    const { configurations } = await inspector.send(new ListCodeSecurityScanConfigurationsCommand({}));
    expect(configurations![0]!.scopeSettings).toEqual({ projectSelectionScope: 'ALL' });
  });

  it('fails an on-demand scan when CODE_REPOSITORY scanning is not enabled', async () => {
    const inspector = await enabled('741000000007', ['EC2']);
    await activeIntegration(inspector, 'no-scanning');
    const inventory = (await control(server.url, 'GET', `/_inspector2/inventory/741000000007/${REGION}`)).body;
    const projectId = inventory.codeRepositories[0].projectId as string;
    expect(await repositoryCoverage(inspector)).toEqual([]);
    const { scanId } = await inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId } }));
    await advance('1m');
    const failed = await inspector.send(new GetCodeSecurityScanCommand({ resource: { projectId }, scanId }));
    expect(failed.status).toBe('FAILED');
    expect(failed.statusReason).toContain('CODE_REPOSITORY');
    expect(failed.lastCommitId).toBeUndefined();
  });
});

describe('organization-level scan configurations', () => {
  it('are the delegated administrator’s: they apply to its members’ projects, which members see but cannot change', async () => {
    await client(ORG.management).send(new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }));
    const admin = await enabled(ORG.securityTooling);
    await admin.send(new AssociateMemberCommand({ accountId: ORG.production }));
    await admin.send(new EnableCommand({ accountIds: [ORG.production], resourceTypes: ['CODE_REPOSITORY'] }));
    await advance('1m');

    const spec = {
      name: 'org-default',
      level: 'ORGANIZATION' as const,
      configuration: { ruleSetCategories: ['SAST' as const] },
      scopeSettings: { projectSelectionScope: 'ALL' as const },
    };
    const tagged = await rejection(admin.send(new CreateCodeSecurityScanConfigurationCommand({ ...spec, tags: { team: 'x' } })));
    expect(tagged).toBeInstanceOf(ValidationException);
    expect(tagged.message).toContain('cannot be tagged');
    const { scanConfigurationArn } = await admin.send(new CreateCodeSecurityScanConfigurationCommand(spec));
    expect(scanConfigurationArn).toMatch(new RegExp(`^arn:aws:inspector2:${REGION}:${ORG.securityTooling}:owner/${ORG.id}/codesecurity-configuration/`));

    // The member's projects are associated as they are imported.
    const member = client(ORG.production);
    await activeIntegration(member, 'production-github');
    const memberRows = await repositoryCoverage(member);
    expect(memberRows.map((r) => r.scanStatus?.reason)).toEqual(['PENDING_INITIAL_SCAN', 'PENDING_INITIAL_SCAN', 'PENDING_INITIAL_SCAN']);
    const { associations } = await admin.send(new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn }));
    expect(associations!.map((a) => a.resource?.projectId).sort()).toEqual(memberRows.map(projectIdOf).sort());

    const { configurations } = await member.send(new ListCodeSecurityScanConfigurationsCommand({}));
    expect(configurations!.map((c) => [c.scanConfigurationArn, c.ownerAccountId])).toEqual([[scanConfigurationArn, ORG.securityTooling]]);
    expect((await member.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn }))).level).toBe('ORGANIZATION');
    const denied = await rejection(member.send(new DeleteCodeSecurityScanConfigurationCommand({ scanConfigurationArn })));
    expect(denied).toBeInstanceOf(AccessDeniedException);
    expect(denied.message).toContain(ORG.securityTooling);
    const notTaggable = await rejection(admin.send(new TagResourceCommand({ resourceArn: scanConfigurationArn, tags: { team: 'x' } })));
    expect(notTaggable).toBeInstanceOf(ValidationException);
  });
});

describe('answers on the wire', () => {
  it('match the model’s output shapes, for every code security operation', async () => {
    const inspector = await enabled('741000000008');
    const raw = recordRawResponses(inspector);
    const model = serviceModel();
    const checked = new Set<string>();
    /** Checks the raw body of the last answer against the operation's output shape. */
    const check = (operation: string) => {
      const body = JSON.parse(raw.last()!.body || '{}') as unknown;
      expect(checkShape(model, `${operation}Response`, body, { mode: 'output' }).violations, operation).toEqual([]);
      checked.add(operation);
    };
    const { integrationArn } = await inspector.send(new CreateCodeSecurityIntegrationCommand({ name: 'wire', type: 'GITHUB', tags: { a: 'b' } }));
    check('CreateCodeSecurityIntegration');
    await inspector.send(new GetCodeSecurityIntegrationCommand({ integrationArn }));
    check('GetCodeSecurityIntegration');
    await inspector.send(new UpdateCodeSecurityIntegrationCommand({ integrationArn, details: { github: { code: 'c', installationId: '9' } } }));
    check('UpdateCodeSecurityIntegration');
    await advance('1m');
    await inspector.send(new ListCodeSecurityIntegrationsCommand({}));
    check('ListCodeSecurityIntegrations');
    const { scanConfigurationArn } = await inspector.send(
      new CreateCodeSecurityScanConfigurationCommand({
        name: 'wire',
        level: 'ACCOUNT',
        configuration: {
          periodicScanConfiguration: { frequency: 'MONTHLY' },
          continuousIntegrationScanConfiguration: { supportedEvents: ['PUSH'] },
          ruleSetCategories: ['SAST'],
        },
        scopeSettings: { projectSelectionScope: 'ALL' },
        tags: { a: 'b' },
      }),
    );
    check('CreateCodeSecurityScanConfiguration');
    await inspector.send(new GetCodeSecurityScanConfigurationCommand({ scanConfigurationArn }));
    check('GetCodeSecurityScanConfiguration');
    await inspector.send(new UpdateCodeSecurityScanConfigurationCommand({ scanConfigurationArn, configuration: { ruleSetCategories: ['SCA'] } }));
    check('UpdateCodeSecurityScanConfiguration');
    await inspector.send(new ListCodeSecurityScanConfigurationsCommand({}));
    check('ListCodeSecurityScanConfigurations');
    const { associations } = await inspector.send(new ListCodeSecurityScanConfigurationAssociationsCommand({ scanConfigurationArn }));
    check('ListCodeSecurityScanConfigurationAssociations');
    const projectId = associations![0]!.resource!.projectId!;
    const request = { scanConfigurationArn, resource: { projectId } };
    await inspector.send(new BatchDisassociateCodeSecurityScanConfigurationCommand({ disassociateConfigurationRequests: [request, request] }));
    check('BatchDisassociateCodeSecurityScanConfiguration');
    await inspector.send(new BatchAssociateCodeSecurityScanConfigurationCommand({ associateConfigurationRequests: [request, request] }));
    check('BatchAssociateCodeSecurityScanConfiguration');
    const { scanId } = await inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId } }));
    check('StartCodeSecurityScan');
    await advance('1m');
    await inspector.send(new GetCodeSecurityScanCommand({ resource: { projectId }, scanId }));
    check('GetCodeSecurityScan');
    await inspector.send(new ListCoverageCommand({}));
    check('ListCoverage');
    await inspector.send(new DeleteCodeSecurityScanConfigurationCommand({ scanConfigurationArn }));
    check('DeleteCodeSecurityScanConfiguration');
    await inspector.send(new DeleteCodeSecurityIntegrationCommand({ integrationArn }));
    check('DeleteCodeSecurityIntegration');
    expect(checked.size).toBe(16);
  });
});

describe('code repositories from a seed', () => {
  const ACCOUNT = '743000000001';
  const projectId = 'project-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
  const integrationArn = `arn:aws:inspector2:${REGION}:${ACCOUNT}:codesecurity-integration/11111111-2222-4333-8444-555555555555`;
  const headCommitId = 'aa'.repeat(20);
  const repository = {
    projectId,
    name: 'seeded/api',
    integrationArn,
    providerType: 'GITHUB',
    headCommitId,
    codeIssues: [
      {
        detectorId: 'python/sql-injection@v1.0',
        detectorName: 'SQL injection',
        ruleId: 'python-sql-injection',
        title: 'SQL injection',
        description: 'A request parameter is formatted into a SQL statement.',
        cwes: ['CWE-89'],
        severity: 'HIGH',
        filePath: 'app/db.py',
        startLine: 3,
        endLine: 3,
        code: ['cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")'],
      },
    ],
    packages: [{ name: 'lodash', version: '4.17.15', ecosystem: 'npm', filePath: 'package-lock.json' }],
  };
  let seeded: RunningServer;
  beforeAll(async () => {
    seeded = await startTestServer({ seed: false });
  });
  afterAll(() => seeded.close());

  it('refuses a malformed repository, naming where it is', async () => {
    const bad = await control(seeded.url, 'POST', '/_inspector2/scenario', {
      accounts: [{ accountId: ACCOUNT, region: REGION, codeRepositories: [{ ...repository, headCommitId: 'main' }] }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('headCommitId');
  });

  it('scans a seeded repository on demand, as one an integration imported', async () => {
    const loaded = await control(seeded.url, 'POST', '/_inspector2/scenario', {
      accounts: [{ accountId: ACCOUNT, region: REGION, codeRepositories: [repository] }],
    });
    expect(loaded.status).toBe(200);
    const inspector = inspectorClient(seeded.url, { accountId: ACCOUNT, region: REGION });
    await inspector.send(new EnableCommand({ resourceTypes: ['CODE_REPOSITORY'] }));
    const { scanId } = await inspector.send(new StartCodeSecurityScanCommand({ resource: { projectId } }));
    const scan = await inspector.send(new GetCodeSecurityScanCommand({ resource: { projectId }, scanId }));
    expect(scan).toMatchObject({ status: 'SUCCESSFUL', lastCommitId: headCommitId });
    const findings = await listAllFindings(inspector, { codeRepositoryProjectName: [{ comparison: 'EQUALS', value: 'seeded/api' }] });
    expect(findings.map((f) => f.type).sort()).toEqual(expect.arrayContaining(['CODE_VULNERABILITY', 'PACKAGE_VULNERABILITY']));
    expect(findings.every((f) => f.resources![0]!.id === `${integrationArn}/${projectId}`)).toBe(true);
    const rows = await inspector.send(
      new ListCoverageCommand({ filterCriteria: { codeRepositoryProviderTypeVisibility: [{ comparison: 'EQUALS', value: 'PRIVATE' }] } }),
    );
    expect(rows.coveredResources!.map((r) => r.resourceMetadata?.codeRepository?.lastScannedCommitId)).toEqual([headCommitId]);
  });
});
