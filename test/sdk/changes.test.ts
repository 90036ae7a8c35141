// The world says when it changed (world.changed → revision, which persistence listens to):
// every write marks it, no read does. Through the SDK v3 against a listening server with a
// manual clock: once what is due has run, a read settles nothing and the revision stands.
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  CreateCisScanConfigurationCommand,
  CreateCodeSecurityIntegrationCommand,
  CreateFilterCommand,
  CreateFindingsReportCommand,
  DeleteFilterCommand,
  DisableCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  GetConfigurationCommand,
  GetEncryptionKeyCommand,
  GetFindingsReportStatusCommand,
  ListCisScanConfigurationsCommand,
  ListCodeSecurityIntegrationsCommand,
  ListCoverageCommand,
  ListFiltersCommand,
  ListFindingAggregationsCommand,
  ListFindingsCommand,
  TagResourceCommand,
  UpdateConfigurationCommand,
  UpdateEncryptionKeyCommand,
  UpdateFilterCommand,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, jobOutcome, ORG, startTestServer } from '../helpers.js';

const REGION = 'eu-west-1';
/** Not in the organization: enables and disables on its own. */
const STANDALONE = '780000000008';
const KMS = `arn:aws:kms:${REGION}:${ORG.securityTooling}:key/01234567-89ab-cdef-0123-456789abcdef`;

describe('the world marks its own changes', () => {
  let server: RunningServer;
  let admin: Inspector2Client;
  let standalone: Inspector2Client;
  const revision = () => server.emulator.world.revision;
  /** Runs what is due (a request settles first), so that what follows is the call's own doing; answers the revision then. */
  const settled = async () => {
    await admin.send(new GetConfigurationCommand({}));
    return revision();
  };
  const filterArns: string[] = [];
  let reportId: string | undefined;

  beforeAll(async () => {
    // A Wednesday noon: the weekly CIS scan below is days away, whatever day the test runs.
    server = await startTestServer({ manualClock: true, clockStart: new Date('2025-01-15T12:00:00Z'), transitionMs: 0, scanMs: 0 });
    admin = inspectorClient(server.url, { accountId: ORG.securityTooling, region: REGION });
    standalone = inspectorClient(server.url, { accountId: STANDALONE, region: REGION });
    await inspectorClient(server.url, { accountId: ORG.management, region: REGION }).send(
      new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }),
    );
    await admin.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
    const { arn } = await admin.send(
      new CreateFilterCommand({ name: 'kept', action: 'NONE', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }] } }),
    );
    filterArns.push(arn!);
    await settled();
  });
  afterAll(() => server.close());

  const reads: [string, () => Promise<unknown>][] = [
    ['ListFindings', () => admin.send(new ListFindingsCommand({}))],
    ['ListCoverage', () => admin.send(new ListCoverageCommand({}))],
    ['GetConfiguration', () => admin.send(new GetConfigurationCommand({}))],
    ['ListFilters', () => admin.send(new ListFiltersCommand({}))],
    ['BatchGetAccountStatus', () => admin.send(new BatchGetAccountStatusCommand({}))],
    ['ListFindingAggregations', () => admin.send(new ListFindingAggregationsCommand({ aggregationType: 'ACCOUNT' }))],
    // Before any report, the call fails (not found); after one, it answers its status: neither changes anything.
    ['GetFindingsReportStatus', () => admin.send(new GetFindingsReportStatusCommand(reportId ? { reportId } : {})).catch(() => undefined)],
    ['ListCisScanConfigurations', () => admin.send(new ListCisScanConfigurationsCommand({}))],
    ['ListCodeSecurityIntegrations', () => admin.send(new ListCodeSecurityIntegrationsCommand({}))],
    // Not found until UpdateEncryptionKey has set one.
    ['GetEncryptionKey', () => admin.send(new GetEncryptionKeyCommand({ scanType: 'PACKAGE', resourceType: 'AWS_LAMBDA_FUNCTION' })).catch(() => undefined)],
  ];

  async function expectReadsUnchanged(): Promise<void> {
    const before = await settled();
    for (const [name, read] of reads) {
      await read();
      expect(revision(), `${name} changed the revision`).toBe(before);
    }
  }

  it('reads leave the revision as it is', async () => {
    await expectReadsUnchanged();
  });

  it('every write moves it', async () => {
    const writes: [string, () => Promise<unknown>][] = [
      ['Enable', () => standalone.send(new EnableCommand({ resourceTypes: ['EC2'] }))],
      ['Disable', () => standalone.send(new DisableCommand({ resourceTypes: ['EC2'] }))],
      [
        'CreateFilter',
        async () =>
          filterArns.push(
            (
              await admin.send(
                new CreateFilterCommand({ name: 'hide-low', action: 'SUPPRESS', filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'LOW' }] } }),
              )
            ).arn!,
          ),
      ],
      ['UpdateFilter', () => admin.send(new UpdateFilterCommand({ filterArn: filterArns[0], description: 'high findings' }))],
      ['DeleteFilter', () => admin.send(new DeleteFilterCommand({ arn: filterArns[1] }))],
      ['UpdateConfiguration', () => admin.send(new UpdateConfigurationCommand({ ec2Configuration: { scanMode: 'EC2_SSM_AGENT_BASED' } }))],
      ['UpdateEncryptionKey', () => admin.send(new UpdateEncryptionKeyCommand({ scanType: 'PACKAGE', resourceType: 'AWS_LAMBDA_FUNCTION', kmsKeyId: KMS }))],
      ['TagResource', () => admin.send(new TagResourceCommand({ resourceArn: filterArns[0], tags: { team: 'security' } }))],
      [
        'CreateFindingsReport',
        async () => {
          reportId = (await admin.send(new CreateFindingsReportCommand({ reportFormat: 'JSON', s3Destination: { bucketName: 'reports', kmsKeyArn: KMS } })))
            .reportId;
        },
      ],
      [
        'CreateCisScanConfiguration',
        () =>
          admin.send(
            new CreateCisScanConfigurationCommand({
              scanName: 'weekly',
              securityLevel: 'LEVEL_1',
              schedule: { weekly: { startTime: { timeOfDay: '02:00', timezone: 'UTC' }, days: ['MON'] } },
              targets: { accountIds: ['SELF'], targetResourceTags: { CisTarget: ['yes'] } },
            }),
          ),
      ],
      ['CreateCodeSecurityIntegration', () => admin.send(new CreateCodeSecurityIntegrationCommand({ name: 'acme', type: 'GITHUB' }))],
      ['AssociateMember', () => admin.send(new AssociateMemberCommand({ accountId: ORG.production }))],
    ];
    for (const [name, write] of writes) {
      const before = await settled();
      await write();
      expect(revision(), `${name} did not change the revision`).toBeGreaterThan(before);
    }
    // The report is written after the request (real I/O): its outcome is a change too, then nothing moves.
    await jobOutcome(() => admin.send(new GetFindingsReportStatusCommand({ reportId })), 'the findings report');
  });

  it('reads still leave it as it is once there is more to read', async () => {
    await expectReadsUnchanged();
  });

  it('the control plane marks it: an inventory change, a clock move', async () => {
    let before = await settled();
    const launched = await control(server.url, 'POST', `/_inspector2/inventory/${ORG.securityTooling}/${REGION}/ec2-instances`, {
      instanceId: 'i-0aaaabbbbccccdddd',
      amiId: 'ami-0123456789abcdef0',
      platform: 'AMAZON_LINUX_2',
      tags: {},
    });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    expect(revision()).toBeGreaterThan(before);

    before = await settled();
    // Nothing is due a minute from now: the move itself is the change.
    expect((await control(server.url, 'POST', '/_inspector2/clock', { advance: '1m' })).status).toBe(200);
    expect(revision()).toBeGreaterThan(before);

    // Reading the control plane changes nothing.
    before = await settled();
    await control(server.url, 'GET', '/_inspector2/clock');
    await control(server.url, 'GET', '/_inspector2/events');
    await control(server.url, 'GET', '/_inspector2/health');
    expect(revision()).toBe(before);
  });
});
