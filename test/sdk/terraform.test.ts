// Terraform (AWS provider 5.100.0) applies, re-plans without drift, changes and destroys
// every inspector2 resource type the provider has, against a listening emulator: the
// delegated administrator (from the management account), the organization configuration,
// a member association, enablers for the administrator and a member, and a suppression
// rule. The provider asks the emulator's STS who the caller is
// (`skip_requesting_account_id = false`, credentials validated): the caller identity and
// the organization configuration's id are that answer. After each step the emulator's
// state is read through the SDK. No network: the provider comes from a filesystem mirror
// (TERRAFORM_PROVIDER_MIRROR, default /opt/tf-plugins); without terraform or the mirror
// the tests are skipped with the reason printed (see skipWithout).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BatchGetAccountStatusCommand,
  DescribeOrganizationConfigurationCommand,
  GetDelegatedAdminAccountCommand,
  GetMemberCommand,
  ListDelegatedAdminAccountsCommand,
  ListFiltersCommand,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsClientEnv, commandMissing, control, inspectorClient, ORG, skipWithout, startTestServer, useTempDirs } from '../helpers.js';

const run = promisify(execFile);

const PROVIDER_VERSION = '5.100.0';
const MIRROR = process.env.TERRAFORM_PROVIDER_MIRROR ?? '/opt/tf-plugins';
// Terraform's name for this platform: linux_amd64, darwin_arm64, …
const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
const PROVIDER_DIR = join(MIRROR, 'registry.terraform.io/hashicorp/aws', PROVIDER_VERSION, PLATFORM);

function terraformMissing(): string | undefined {
  const missing = commandMissing('terraform', ['version']);
  if (missing) return missing;
  if (!existsSync(PROVIDER_DIR)) {
    return `the AWS provider ${PROVIDER_VERSION} is not in the filesystem mirror at ${MIRROR} (${PROVIDER_DIR}); set TERRAFORM_PROVIDER_MIRROR to a mirror that has it`;
  }
  return undefined;
}

const noTerraform = skipWithout(`terraform with the AWS provider ${PROVIDER_VERSION}`, terraformMissing());

// Terraform and its provider are slow to start on a small machine, and the enabler's waiter
// polls every 10 s: generous bounds, real time (nothing here is timed).
const STEP_TIMEOUT = 600_000;

/** What the configuration can change between applies. */
interface Settings {
  filterDescription: string;
  severity: string;
  tags: Record<string, string>;
  autoEnableEcr: boolean;
}

function configuration(endpoint: string, settings: Settings): string {
  const provider = (alias: string | undefined, accessKey: string) => `
provider "aws" {
  ${alias ? `alias = "${alias}"` : ''}
  region                      = "us-east-1"
  access_key                  = "${accessKey}"
  secret_key                  = "test"
  skip_requesting_account_id  = false
  skip_credentials_validation = false
  skip_metadata_api_check     = true
  endpoints {
    inspector2 = "${endpoint}"
    sts        = "${endpoint}"
    iam        = "${endpoint}"
  }
}`;
  const tags = Object.entries(settings.tags)
    .map(([key, value]) => `${key} = "${value}"`)
    .join('\n    ');
  return `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "${PROVIDER_VERSION}" }
  }
}
${provider(undefined, ORG.securityTooling)}
${provider('management', ORG.management)}

data "aws_caller_identity" "current" {}

resource "aws_inspector2_delegated_admin_account" "admin" {
  provider   = aws.management
  account_id = "${ORG.securityTooling}"
}

resource "aws_inspector2_organization_configuration" "org" {
  auto_enable {
    ec2         = true
    ecr         = ${settings.autoEnableEcr}
    lambda      = true
    lambda_code = false
  }
  depends_on = [aws_inspector2_delegated_admin_account.admin]
}

# The administrator's own scans: the types its designation enabled (EC2, ECR, Lambda).
# Destroyed after the member association: an administrator cannot deactivate itself while
# it has members.
resource "aws_inspector2_enabler" "admin" {
  account_ids    = ["${ORG.securityTooling}"]
  resource_types = ["EC2", "ECR", "LAMBDA"]
  depends_on     = [aws_inspector2_delegated_admin_account.admin]
}

resource "aws_inspector2_member_association" "production" {
  account_id = "${ORG.production}"
  depends_on = [aws_inspector2_enabler.admin]
}

resource "aws_inspector2_enabler" "production" {
  account_ids    = ["${ORG.production}"]
  resource_types = ["EC2", "LAMBDA"]
  depends_on     = [aws_inspector2_member_association.production]
}

resource "aws_inspector2_filter" "suppress" {
  name        = "terraform-suppress"
  action      = "SUPPRESS"
  description = "${settings.filterDescription}"
  reason      = "accepted risk"
  filter_criteria {
    aws_account_id {
      comparison = "EQUALS"
      value      = "${ORG.production}"
    }
    severity {
      comparison = "EQUALS"
      value      = "${settings.severity}"
    }
  }
  tags = {
    ${tags}
  }
  depends_on = [aws_inspector2_delegated_admin_account.admin]
}

output "caller_account_id" { value = data.aws_caller_identity.current.account_id }
output "caller_arn" { value = data.aws_caller_identity.current.arn }
output "organization_configuration_id" { value = aws_inspector2_organization_configuration.org.id }
`;
}

describe.skipIf(noTerraform)(`Terraform with the AWS provider ${PROVIDER_VERSION}`, () => {
  const tempDir = useTempDirs('inspector2-terraform-');
  let server: RunningServer;
  let workDir: string;
  let env: NodeJS.ProcessEnv;
  const as = (accountId: string) => inspectorClient(server.url, { accountId, region: 'us-east-1' });

  beforeAll(async () => {
    server = await startTestServer();
    const root = tempDir();
    workDir = join(root, 'config');
    const cliConfig = join(root, 'terraform.rc');
    // The provider from the mirror only: nothing is looked up on the network.
    writeFileSync(
      cliConfig,
      `provider_installation {
  filesystem_mirror {
    path    = "${MIRROR}"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["*/*"]
  }
}
`,
    );
    mkdirSync(workDir);
    env = awsClientEnv(ORG.securityTooling, 'us-east-1', {
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_DATA_DIR: join(root, 'data'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    });
  });
  afterAll(() => server?.close());

  /** Runs terraform in the configuration's folder; a failure carries its output. */
  async function terraform(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run('terraform', [...args, '-no-color'], { cwd: workDir, env, maxBuffer: 64 * 1024 * 1024 });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '', code } = error as { stdout?: string; stderr?: string; code?: number };
      throw new Error(`terraform ${args.join(' ')} exited with ${code}:\n${stderr}\n${stdout.slice(-8000)}`, { cause: error });
    }
  }

  function write(settings: Settings): void {
    writeFileSync(join(workDir, 'main.tf'), configuration(server.url, settings));
  }

  /** `plan -detailed-exitcode`: exit 0 is no changes, 2 is changes (drift). */
  async function expectNoDrift(): Promise<void> {
    const plan = await terraform('plan', '-detailed-exitcode', '-input=false');
    expect(plan).toContain('No changes.');
  }

  const initial: Settings = { filterDescription: 'made by Terraform', severity: 'LOW', tags: { team: 'security' }, autoEnableEcr: false };

  it('initializes from the mirror alone', { timeout: STEP_TIMEOUT }, async () => {
    write(initial);
    const init = await terraform('init', '-input=false');
    expect(init).toContain(`Installed hashicorp/aws v${PROVIDER_VERSION}`);
  });

  it('applies every inspector2 resource, with the account asked of the emulator’s STS', { timeout: STEP_TIMEOUT }, async () => {
    const apply = await terraform('apply', '-auto-approve', '-input=false');
    expect(apply).toContain('Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');

    const outputs = JSON.parse(await terraform('output', '-json')) as Record<string, { value: string }>;
    expect(outputs.caller_account_id?.value).toBe(ORG.securityTooling);
    expect(outputs.caller_arn?.value).toBe(`arn:aws:iam::${ORG.securityTooling}:root`);
    expect(outputs.organization_configuration_id?.value).toBe(ORG.securityTooling);

    // The emulator holds what Terraform made.
    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts).toEqual([
      { accountId: ORG.securityTooling, status: 'ENABLED' },
    ]);
    const { accounts } = await as(ORG.securityTooling).send(new BatchGetAccountStatusCommand({ accountIds: [ORG.securityTooling, ORG.production] }));
    const statuses = Object.fromEntries((accounts ?? []).map((a) => [a.accountId, a]));
    expect(statuses[ORG.securityTooling]?.resourceState).toMatchObject({
      ec2: { status: 'ENABLED' },
      ecr: { status: 'ENABLED' },
      lambda: { status: 'ENABLED' },
    });
    expect(statuses[ORG.production]?.resourceState).toMatchObject({
      ec2: { status: 'ENABLED' },
      ecr: { status: 'DISABLED' },
      lambda: { status: 'ENABLED' },
    });
    expect((await as(ORG.securityTooling).send(new GetMemberCommand({ accountId: ORG.production }))).member).toMatchObject({
      relationshipStatus: 'ENABLED',
      delegatedAdminAccountId: ORG.securityTooling,
    });
    expect((await as(ORG.securityTooling).send(new DescribeOrganizationConfigurationCommand({}))).autoEnable).toMatchObject({
      ec2: true,
      ecr: false,
      lambda: true,
      lambdaCode: false,
    });
    const { filters } = await as(ORG.securityTooling).send(new ListFiltersCommand({}));
    expect(filters).toHaveLength(1);
    expect(filters?.[0]).toMatchObject({
      name: 'terraform-suppress',
      action: 'SUPPRESS',
      description: 'made by Terraform',
      reason: 'accepted risk',
      ownerId: ORG.securityTooling,
      tags: { team: 'security' },
      criteria: {
        awsAccountId: [{ comparison: 'EQUALS', value: ORG.production }],
        severity: [{ comparison: 'EQUALS', value: 'LOW' }],
      },
    });
  });

  it('re-plans without drift', { timeout: STEP_TIMEOUT }, async () => {
    await expectNoDrift();
  });

  it('applies a change in place, then re-plans without drift', { timeout: STEP_TIMEOUT }, async () => {
    write({ filterDescription: 'changed by Terraform', severity: 'INFORMATIONAL', tags: { team: 'security', env: 'test' }, autoEnableEcr: true });
    const apply = await terraform('apply', '-auto-approve', '-input=false');
    expect(apply).toContain('Apply complete! Resources: 0 added, 2 changed, 0 destroyed.');

    const { filters } = await as(ORG.securityTooling).send(new ListFiltersCommand({}));
    expect(filters?.[0]).toMatchObject({
      description: 'changed by Terraform',
      tags: { team: 'security', env: 'test' },
      criteria: { severity: [{ comparison: 'EQUALS', value: 'INFORMATIONAL' }] },
    });
    expect((await as(ORG.securityTooling).send(new DescribeOrganizationConfigurationCommand({}))).autoEnable).toMatchObject({ ecr: true });
    await expectNoDrift();
  });

  it('destroys every resource', { timeout: STEP_TIMEOUT }, async () => {
    const destroy = await terraform('destroy', '-auto-approve', '-input=false');
    expect(destroy).toContain('Destroy complete! Resources: 6 destroyed.');
    expect(await terraform('state', 'list')).toBe('');

    expect((await as(ORG.management).send(new ListDelegatedAdminAccountsCommand({}))).delegatedAdminAccounts ?? []).toEqual([]);
    expect((await as(ORG.management).send(new GetDelegatedAdminAccountCommand({}))).delegatedAdmin).toBeUndefined();
    for (const account of [ORG.securityTooling, ORG.production]) {
      const { accounts } = await as(account).send(new BatchGetAccountStatusCommand({}));
      expect(accounts?.[0]?.state?.status).toBe('DISABLED');
    }
    expect((await as(ORG.securityTooling).send(new ListFiltersCommand({}))).filters).toEqual([]);
    const organizations = await control(server.url, 'GET', '/_inspector2/organizations');
    const region = organizations.body[0].inspector.find((entry: { region: string }) => entry.region === 'us-east-1');
    expect(region).toMatchObject({ delegatedAdmin: null, members: [] });
  });
});
