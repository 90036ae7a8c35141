// Code security: integrations with source code providers (GitHub, self-managed GitLab),
// the repositories ("projects") they import, the scan configurations that say how projects
// are scanned, and on-demand scans.
//
// An integration is PENDING until the user authorizes Inspector with the provider (the
// authorization URL) and passes the code back with UpdateCodeSecurityIntegration; it is
// then IN_PROGRESS, and ACTIVE once the transition time has passed, when the provider's
// repositories join the account's inventory. From there the scanner covers each project as
// a CODE_REPOSITORY resource (when that scan type is enabled) while a scan configuration is
// associated with it or it was scanned on demand, and reports its findings. A default scan
// configuration (scopeSettings ALL) associates itself with every project, present and
// future. Deleting an integration removes its projects at once (their findings close); the
// integration is DISABLING until the transition time has passed, then gone.
import type { components } from '../../../openapi/inspector2.js';
import { WorldError } from '../platform/errors.js';
import { nextId, sha256, uuidFrom } from '../platform/ids.js';
import { enabledState, type Caller } from '../accounts/accounts.js';
import { emptyInventory, type CodeIssue, type CodeRepository, type InstalledPackage } from '../inventory/inventory.js';
import { visibleAccountRegions } from '../findings/query.js';
import { codeRepositoryId, coverageOf, queueScan, reconcile } from '../scanning/scanner.js';
import type { AccountRegion, World } from '../world.js';
import { z } from 'zod';
import { declareState, savedCounter, savedRecords } from '../platform/state.js';
import { registerTask, taskId } from '../platform/tasks.js';

type Shapes = components['schemas'];
export type IntegrationType = Shapes['IntegrationType'];
export type IntegrationStatus = Shapes['IntegrationStatus'];
export type RuleSetCategory = Shapes['RuleSetCategory'];
export type AssociationStatusCode = Shapes['AssociationResultStatusCode'];

export interface CodeSecurityIntegration {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  type: IntegrationType;
  status: IntegrationStatus;
  statusReason: string;
  createdOn: Date;
  lastUpdateOn: Date;
  /** Where the user authorizes Inspector with the provider. */
  authorizationUrl: string;
  /** A self-managed GitLab integration's instance (the access token is not kept). */
  instanceUrl?: string;
  /** A GitHub integration's installation of Inspector's GitHub App, once authorized. */
  installationId?: string;
}

export interface CodeScanConfiguration {
  arn: string;
  /** The owner: the account that created it (a delegated administrator, for ORGANIZATION level). */
  accountId: string;
  region: string;
  name: string;
  level: Shapes['ConfigurationLevel'];
  /** As given, with the periodic schedule Inspector chose when only a frequency was given. */
  configuration: Shapes['CodeSecurityScanConfiguration'];
  /** Present on a default scan configuration: it applies to every project, present and future. */
  scopeSettings?: Shapes['ScopeSettings'];
  createdAt: Date;
  lastUpdatedAt: Date;
  /** The projects it is associated with, by project id. */
  projectIds: Set<string>;
}

export interface CodeSecurityScan {
  scanId: string;
  projectId: string;
  accountId: string;
  region: string;
  status: Shapes['CodeScanStatus'];
  statusReason: string;
  createdAt: Date;
  updatedAt: Date;
  /** The commit scanned (once SUCCESSFUL). */
  lastCommitId?: string;
}

/** Code security in every account and region (each item names its own). */
export interface CodeSecurityState {
  integrations: Map<string, CodeSecurityIntegration>;
  scanConfigurations: Map<string, CodeScanConfiguration>;
  /** On-demand scans by id, in the order they started. */
  scans: Map<string, CodeSecurityScan>;
  /** Counts the ids made, so that the same calls give the same ids. */
  sequence: number;
}

export function emptyCodeSecurityState(): CodeSecurityState {
  return { integrations: new Map(), scanConfigurations: new Map(), scans: new Map(), sequence: 0 };
}

/** Forgets everything (a reset of the world). */
export function clearCodeSecurity(codeSecurity: CodeSecurityState): void {
  codeSecurity.integrations.clear();
  codeSecurity.scanConfigurations.clear();
  codeSecurity.scans.clear();
  codeSecurity.sequence = 0;
}

/** Forgets one account's integrations, scan configurations and scans (a reset of the account). */
export function forgetCodeSecurityAccount(codeSecurity: CodeSecurityState, accountId: string): void {
  for (const map of [codeSecurity.integrations, codeSecurity.scanConfigurations, codeSecurity.scans]) {
    for (const [key, item] of map) if (item.accountId === accountId) map.delete(key);
  }
}

/** AWS: "Code Security only supports a maximum of 100 integrations per account." */
export const MAX_INTEGRATIONS = 100;
/** AWS: at most 500 general scan configurations, and one default per account and per organization. */
export const MAX_GENERAL_SCAN_CONFIGURATIONS = 500;
/** AWS: a project can be associated with at most 4 scan configurations, the default included. */
export const MAX_CONFIGURATIONS_PER_PROJECT = 4;
/** AWS: a scan configuration can be associated with at most 100,000 projects. */
export const MAX_PROJECTS_PER_CONFIGURATION = 100_000;

const INTEGRATION_RESOURCE = 'AWS::Inspector2::CodeSecurityIntegration';
const CONFIGURATION_RESOURCE = 'AWS::Inspector2::CodeSecurityScanConfiguration';
const ALL_RULE_SETS: readonly RuleSetCategory[] = ['SAST', 'IAC', 'SCA'];





// ---------------------------------------------------------------- integrations

export interface NewIntegration {
  name: string;
  type: IntegrationType;
  gitlabSelfManaged?: { instanceUrl: string };
}

export function integrationsOf(world: World, caller: Caller): CodeSecurityIntegration[] {
  enabledState(world, caller);
  return [...world.global.codeSecurity.integrations.values()].filter((i) => i.accountId === caller.accountId && i.region === caller.region);
}

export function integrationOf(world: World, caller: Caller, arn: string): CodeSecurityIntegration {
  enabledState(world, caller);
  const integration = world.global.codeSecurity.integrations.get(arn);
  if (!integration || integration.accountId !== caller.accountId || integration.region !== caller.region) {
    throw new WorldError('NotFound', `There is no code security integration ${arn} in account ${caller.accountId} in ${caller.region}.`);
  }
  return integration;
}

export function createIntegration(world: World, caller: Caller, spec: NewIntegration): CodeSecurityIntegration {
  const own = integrationsOf(world, caller);
  if (spec.type === 'GITLAB_SELF_MANAGED' && !spec.gitlabSelfManaged) {
    throw new WorldError('Invalid', 'A GITLAB_SELF_MANAGED integration needs details.gitlabSelfManaged: the instanceUrl and a personal accessToken.');
  }
  if (spec.type === 'GITHUB' && spec.gitlabSelfManaged) {
    throw new WorldError('Invalid', 'details.gitlabSelfManaged is for GITLAB_SELF_MANAGED integrations; a GITHUB integration is created without details.');
  }
  const namesake = own.find((i) => i.name === spec.name);
  if (namesake) {
    throw new WorldError('Conflict', `A code security integration named '${spec.name}' exists already: ${namesake.arn}.`, {
      id: namesake.arn,
      type: INTEGRATION_RESOURCE,
    });
  }
  if (own.length >= MAX_INTEGRATIONS) {
    throw new WorldError('QuotaExceeded', `Account ${caller.accountId} has reached the limit of ${MAX_INTEGRATIONS} code security integrations in ${caller.region}.`, {
      id: caller.accountId,
      type: INTEGRATION_RESOURCE,
    });
  }
  const id = nextId(world.global.codeSecurity, caller.accountId, caller.region, 'integration', spec.name);
  const arn = `arn:aws:inspector2:${caller.region}:${caller.accountId}:codesecurity-integration/${id}`;
  // The OAuth state that ties the provider's answer to this integration.
  const state = sha256(`${arn}|authorization`).slice(0, 32);
  const instanceUrl = spec.gitlabSelfManaged?.instanceUrl.replace(/\/+$/, '');
  const now = world.clock.now();
  const integration: CodeSecurityIntegration = {
    arn,
    accountId: caller.accountId,
    region: caller.region,
    name: spec.name,
    type: spec.type,
    status: 'PENDING',
    statusReason:
      spec.type === 'GITHUB'
        ? 'Waiting for authorization: install the Amazon Inspector GitHub App at the authorization URL, then call UpdateCodeSecurityIntegration with the code and installation id GitHub returns.'
        : 'Waiting for authorization: approve Amazon Inspector at the authorization URL of your GitLab instance, then call UpdateCodeSecurityIntegration with the authorization code it returns.',
    createdOn: now,
    lastUpdateOn: now,
    authorizationUrl:
      spec.type === 'GITHUB'
        ? `https://github.com/apps/amazon-inspector-code-security/installations/new?state=${state}`
        : `${instanceUrl}/oauth/authorize?response_type=code&scope=api+read_api+read_repository&state=${state}`,
    ...(instanceUrl ? { instanceUrl } : {}),
  };
  world.global.codeSecurity.integrations.set(arn, integration);
  return integration;
}

export interface IntegrationAuthorization {
  github?: { code: string; installationId: string };
  gitlabSelfManaged?: { authCode: string };
}

/** The provider's authorization code arrives: the integration is IN_PROGRESS, and ACTIVE after the transition time. */
export function authorizeIntegration(world: World, caller: Caller, arn: string, details: IntegrationAuthorization): CodeSecurityIntegration {
  const integration = integrationOf(world, caller, arn);
  if (integration.status !== 'PENDING' && integration.status !== 'INACTIVE') {
    throw new WorldError('Conflict', `The code security integration ${arn} is ${integration.status}: only a PENDING or INACTIVE integration takes an authorization code.`, {
      id: arn,
      type: INTEGRATION_RESOURCE,
    });
  }
  if (integration.type === 'GITHUB' && !details.github) {
    throw new WorldError('Invalid', 'A GITHUB integration is authorized with details.github: the code and installationId that GitHub returns.');
  }
  if (integration.type === 'GITLAB_SELF_MANAGED' && !details.gitlabSelfManaged) {
    throw new WorldError('Invalid', 'A GITLAB_SELF_MANAGED integration is authorized with details.gitlabSelfManaged: the authCode that the GitLab instance returns.');
  }
  integration.status = 'IN_PROGRESS';
  integration.statusReason = 'Authorized: the repositories the provider grants access to are being imported.';
  integration.lastUpdateOn = world.clock.now();
  if (details.github) integration.installationId = details.github.installationId;
  world.afterTransition({ kind: 'activate-code-security-integration', integrationArn: arn });
  return integration;
}

/** Starts deleting an integration: its projects go at once; the integration is DISABLING until the transition time has passed. */
export function deleteIntegration(world: World, caller: Caller, arn: string): void {
  const integration = integrationOf(world, caller, arn);
  if (integration.status === 'DISABLING') return;
  integration.status = 'DISABLING';
  integration.statusReason = 'The integration is being deleted; its projects were removed from Amazon Inspector.';
  integration.lastUpdateOn = world.clock.now();
  const state = world.existingAccountRegion(integration.accountId, integration.region);
  const inventory = state?.inventory;
  if (state && inventory?.codeRepositories) {
    const removed = new Set(inventory.codeRepositories.filter((r) => r.integrationArn === arn).map((r) => r.projectId));
    inventory.codeRepositories = inventory.codeRepositories.filter((r) => r.integrationArn !== arn);
    for (const configuration of world.global.codeSecurity.scanConfigurations.values()) for (const id of removed) configuration.projectIds.delete(id);
    reconcile(world, state);
  }
  world.afterTransition({ kind: 'remove-code-security-integration', integrationArn: arn });
}

/** The transition after authorization: the integration is ACTIVE and its repositories are imported. */
export function activateIntegration(world: World, arn: string): void {
  const integration = world.global.codeSecurity.integrations.get(arn);
  if (integration?.status !== 'IN_PROGRESS') return;
  const state = world.existingAccountRegion(integration.accountId, integration.region);
  if (!state) return;
  const inventory = (state.inventory ??= emptyInventory());
  const imported = importedRepositories(integration);
  inventory.codeRepositories = [...(inventory.codeRepositories ?? []).filter((r) => r.integrationArn !== arn), ...imported];
  integration.status = 'ACTIVE';
  integration.statusReason = `Connected: ${imported.length} repositories imported as projects.`;
  integration.lastUpdateOn = world.clock.now();
  // Default scan configurations apply to new projects as they are imported.
  for (const configuration of applicableDefaults(world, state)) {
    for (const repository of imported) associateIfRoom(world, configuration, repository.projectId);
  }
  reconcile(world, state);
}

/** The transition after a delete: the integration is gone. */
export function removeIntegration(world: World, arn: string): void {
  if (world.global.codeSecurity.integrations.get(arn)?.status !== 'DISABLING') return;
  world.global.codeSecurity.integrations.delete(arn);
  world.global.tags.delete(arn);
}

// ---------------------------------------------------------------- repositories

const CODE_WEAKNESSES = {
  sqlInjection: (): CodeIssue => ({
    detectorId: 'python/sql-injection@v1.0',
    detectorName: 'SQL injection',
    ruleId: 'python-sql-injection',
    title: 'SQL injection',
    description: 'A SQL statement is built by formatting a request parameter into it, so a caller can change the query and read or modify any row.',
    cwes: ['CWE-89'],
    severity: 'HIGH',
    detectorTags: ['injection', 'sql', 'owasp-top10', 'security'],
    filePath: 'src/payments/repository.py',
    startLine: 42,
    endLine: 43,
    code: ['    query = f"SELECT * FROM payments WHERE customer_id = \'{customer_id}\'"', '    return connection.execute(query).fetchall()'],
    suggestedFix: 'Pass the value as a query parameter: connection.execute("SELECT * FROM payments WHERE customer_id = %s", (customer_id,)).',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/89.html'],
  }),
  hardcodedCredentials: (): CodeIssue => ({
    detectorId: 'python/hardcoded-credentials@v1.0',
    detectorName: 'Hardcoded credentials',
    ruleId: 'python-hardcoded-credentials',
    title: 'Hardcoded credentials',
    description: 'The payment gateway password is written into the source code, where anyone who can read the repository can use it.',
    cwes: ['CWE-798'],
    severity: 'CRITICAL',
    detectorTags: ['secrets', 'security'],
    filePath: 'src/payments/settings.py',
    startLine: 9,
    endLine: 9,
    code: ['PAYMENT_GATEWAY_PASSWORD = "correct-horse-battery-staple"'],
    suggestedFix: 'Read the password from AWS Secrets Manager or an environment variable at run time.',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/798.html'],
  }),
  pathTraversal: (): CodeIssue => ({
    detectorId: 'javascript/path-traversal@v1.0',
    detectorName: 'Path traversal',
    ruleId: 'javascript-path-traversal',
    title: 'Path traversal',
    description: 'A file name from the query string is joined to the upload folder and served, so "../" sequences read any file the server can.',
    cwes: ['CWE-22'],
    severity: 'HIGH',
    detectorTags: ['path-traversal', 'owasp-top10', 'security'],
    filePath: 'server/routes/download.js',
    startLine: 17,
    endLine: 18,
    code: ['  const file = path.join(UPLOAD_DIR, req.query.name);', '  res.sendFile(file);'],
    suggestedFix: 'Resolve the path and refuse it unless it stays inside UPLOAD_DIR, or serve files by id from a lookup table.',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/22.html'],
  }),
  crossSiteScripting: (): CodeIssue => ({
    detectorId: 'javascript/cross-site-scripting@v1.0',
    detectorName: 'Cross-site scripting',
    ruleId: 'javascript-react-dangerously-set-inner-html',
    title: 'Cross-site scripting',
    description: 'A comment body written by users is rendered as raw HTML, so a comment can run script in the browser of everyone who reads it.',
    cwes: ['CWE-79'],
    severity: 'MEDIUM',
    detectorTags: ['xss', 'injection', 'owasp-top10', 'security'],
    filePath: 'src/components/Comment.jsx',
    startLine: 23,
    endLine: 23,
    code: ['      <div className="comment-body" dangerouslySetInnerHTML={{ __html: comment.body }} />'],
    suggestedFix: 'Render the body as text ({comment.body}), or sanitize it with a vetted HTML sanitizer first.',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/79.html'],
  }),
  openSsh: (): CodeIssue => ({
    detectorId: 'terraform/aws-security-group-unrestricted-ssh@v1.0',
    detectorName: 'Security group allows SSH from the internet',
    ruleId: 'terraform-aws-security-group-unrestricted-ssh',
    title: 'Security group allows SSH from the internet',
    description: 'The security group admits TCP port 22 from 0.0.0.0/0, exposing SSH on every instance that uses it to the whole internet.',
    cwes: ['CWE-284'],
    severity: 'HIGH',
    detectorTags: ['iac', 'terraform', 'network', 'security'],
    filePath: 'modules/network/main.tf',
    startLine: 31,
    endLine: 36,
    code: ['  ingress {', '    description = "ssh"', '    from_port   = 22', '    to_port     = 22', '    protocol    = "tcp"', '    cidr_blocks = ["0.0.0.0/0"]'],
    suggestedFix: 'Limit cidr_blocks to your administration network, or use AWS Systems Manager Session Manager instead of SSH.',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/284.html'],
  }),
  unencryptedBucket: (): CodeIssue => ({
    detectorId: 'terraform/aws-s3-bucket-encryption-disabled@v1.0',
    detectorName: 'S3 bucket without default encryption',
    ruleId: 'terraform-aws-s3-bucket-encryption-disabled',
    title: 'S3 bucket without default encryption',
    description: 'The bucket that keeps exported reports has no server-side encryption configuration, so its objects are stored unencrypted by this configuration.',
    cwes: ['CWE-311'],
    severity: 'MEDIUM',
    detectorTags: ['iac', 'terraform', 'encryption', 'security'],
    filePath: 'modules/storage/s3.tf',
    startLine: 5,
    endLine: 8,
    code: ['resource "aws_s3_bucket" "reports" {', '  bucket = var.reports_bucket_name', '  acl    = "private"', '}'],
    suggestedFix: 'Add an aws_s3_bucket_server_side_encryption_configuration with SSE-KMS for the bucket.',
    referenceUrls: ['https://cwe.mitre.org/data/definitions/311.html'],
  }),
};

const pypi = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'pypi', filePath: 'requirements.txt' });
const npm = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'npm', filePath: 'package-lock.json' });

/**
 * The repositories an integration imports: the same account, region and integration always
 * import the same ones — a Python service, a web front end and infrastructure as code, owned
 * by the organization the integration is named after, with real weaknesses and real
 * vulnerable dependency versions.
 */
function importedRepositories(integration: CodeSecurityIntegration): CodeRepository[] {
  const owner = integration.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'organization';
  const repository = (name: string, visibility: CodeRepository['visibility']) => ({
    projectId: `project-${uuidFrom(sha256(`${integration.arn}|project|${name}`))}`,
    name: `${owner}/${name}`,
    integrationArn: integration.arn,
    providerType: integration.type,
    visibility,
    headCommitId: sha256(`${integration.arn}|commit|${name}`).slice(0, 40),
  });
  return [
    {
      ...repository('payments-api', 'PRIVATE'),
      codeIssues: [CODE_WEAKNESSES.sqlInjection(), CODE_WEAKNESSES.hardcodedCredentials()],
      iacIssues: [],
      packages: [pypi('requests', '2.25.1'), pypi('pyyaml', '5.3.1')],
    },
    {
      ...repository('web-portal', 'PUBLIC'),
      codeIssues: [CODE_WEAKNESSES.pathTraversal(), CODE_WEAKNESSES.crossSiteScripting()],
      iacIssues: [],
      packages: [npm('lodash', '4.17.15'), npm('axios', '0.21.0')],
    },
    {
      ...repository('infrastructure', 'PRIVATE'),
      codeIssues: [],
      iacIssues: [CODE_WEAKNESSES.openSsh(), CODE_WEAKNESSES.unencryptedBucket()],
      packages: [],
    },
  ];
}

/** The account-region and repository of a project, wherever it is in the region. */
function findProject(world: World, region: string, projectId: string): { state: AccountRegion; repository: CodeRepository } | undefined {
  for (const state of world.allAccountRegions()) {
    if (state.region !== region) continue;
    const repository = state.inventory?.codeRepositories?.find((r) => r.projectId === projectId);
    if (repository) return { state, repository };
  }
  return undefined;
}

// ---------------------------------------------------------------- scan configurations

export interface NewScanConfiguration {
  name: string;
  level: Shapes['ConfigurationLevel'];
  configuration: Shapes['CodeSecurityScanConfiguration'];
  scopeSettings?: Shapes['ScopeSettings'];
  tagged: boolean;
}

const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The cadence of a cron expression ("cron(0 3 ? * MON *)" or five fields), if it is weekly or monthly. */
function cadenceOf(expression: string): 'WEEKLY' | 'MONTHLY' | undefined {
  const body = /^cron\((.*)\)$/i.exec(expression.trim())?.[1] ?? expression;
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) return undefined;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (!/^\d{1,2}$/.test(minute) || Number(minute) > 59 || !/^\d{1,2}$/.test(hour) || Number(hour) > 23 || month !== '*') return undefined;
  const any = (field: string) => field === '*' || field === '?';
  if (any(dayOfMonth) && (/^[0-7]$/.test(dayOfWeek) || WEEK_DAYS.includes(dayOfWeek.toUpperCase()))) return 'WEEKLY';
  if (any(dayOfWeek) && /^([1-9]|[12]\d|3[01]|L)$/.test(dayOfMonth)) return 'MONTHLY';
  return undefined;
}

/**
 * The configuration as kept: rule sets and events without repeats, and a periodic schedule
 * whose expression matches its frequency ("If you don't provide the frequencyExpression
 * Amazon Inspector chooses day for the scan to run").
 */
function normalized(configuration: Shapes['CodeSecurityScanConfiguration'], seed: string): Shapes['CodeSecurityScanConfiguration'] {
  const periodic = configuration.periodicScanConfiguration;
  let schedule: Shapes['PeriodicScanConfiguration'] | undefined;
  if (periodic) {
    const { frequency, frequencyExpression } = periodic;
    if (frequencyExpression === undefined) {
      if (frequency === undefined) throw new WorldError('Invalid', 'periodicScanConfiguration needs a frequency (WEEKLY, MONTHLY or NEVER) or a frequencyExpression.');
      const day = parseInt(sha256(seed).slice(0, 8), 16);
      schedule =
        frequency === 'WEEKLY'
          ? { frequency, frequencyExpression: `cron(0 0 ? * ${WEEK_DAYS[day % 7]} *)` }
          : frequency === 'MONTHLY'
            ? { frequency, frequencyExpression: `cron(0 0 ${1 + (day % 28)} * ? *)` }
            : { frequency };
    } else {
      const cadence = cadenceOf(frequencyExpression);
      if (!cadence) {
        throw new WorldError('Invalid', `The frequencyExpression '${frequencyExpression}' is not a weekly or monthly cron expression such as cron(0 3 ? * MON *) or cron(0 3 1 * ? *).`);
      }
      if (frequency !== undefined && frequency !== cadence) {
        throw new WorldError('Invalid', `The frequencyExpression '${frequencyExpression}' runs ${cadence.toLowerCase()}, which does not match the frequency ${frequency}.`);
      }
      schedule = { frequency: cadence, frequencyExpression };
    }
  }
  const events = configuration.continuousIntegrationScanConfiguration?.supportedEvents;
  return {
    ruleSetCategories: [...new Set(configuration.ruleSetCategories)],
    ...(schedule ? { periodicScanConfiguration: schedule } : {}),
    ...(events ? { continuousIntegrationScanConfiguration: { supportedEvents: [...new Set(events)] } } : {}),
  };
}

function configurationsOwnedBy(world: World, caller: Caller): CodeScanConfiguration[] {
  return [...world.global.codeSecurity.scanConfigurations.values()].filter((c) => c.accountId === caller.accountId && c.region === caller.region);
}

/** The scan configurations the caller sees: its own, and its delegated administrator's organization-level ones. */
export function visibleScanConfigurations(world: World, caller: Caller): CodeScanConfiguration[] {
  enabledState(world, caller);
  const admin = world.standing(caller.accountId, caller.region).delegatedAdminAccountId;
  return [...world.global.codeSecurity.scanConfigurations.values()].filter(
    (c) => c.region === caller.region && (c.accountId === caller.accountId || (c.level === 'ORGANIZATION' && c.accountId === admin)),
  );
}

/** A scan configuration the caller may read (its own, or its administrator's for the organization) or change (its own). */
export function scanConfigurationOf(world: World, caller: Caller, arn: string, access: 'read' | 'write'): CodeScanConfiguration {
  const configuration = visibleScanConfigurations(world, caller).find((c) => c.arn === arn);
  if (!configuration) throw new WorldError('NotFound', `There is no code security scan configuration ${arn} in account ${caller.accountId} in ${caller.region}.`);
  if (access === 'write' && configuration.accountId !== caller.accountId) {
    throw new WorldError('AccessDenied', `The scan configuration ${arn} belongs to the delegated administrator ${configuration.accountId}: only it can change it.`);
  }
  return configuration;
}

/** The default scan configurations that apply to an account's projects: its own, and its delegated administrator's for the organization. */
function applicableDefaults(world: World, state: AccountRegion): CodeScanConfiguration[] {
  const admin = world.standing(state.accountId, state.region).delegatedAdminAccountId;
  return [...world.global.codeSecurity.scanConfigurations.values()].filter(
    (c) =>
      c.region === state.region &&
      c.scopeSettings?.projectSelectionScope === 'ALL' &&
      (c.accountId === state.accountId || (c.level === 'ORGANIZATION' && c.accountId === admin)),
  );
}

/** The scan configurations associated with a project. */
function configurationsOfProject(world: World, region: string, projectId: string): CodeScanConfiguration[] {
  return [...world.global.codeSecurity.scanConfigurations.values()].filter((c) => c.region === region && c.projectIds.has(projectId));
}

/** Why a project cannot take one more scan configuration, or undefined when it can. */
function roomFor(world: World, configuration: CodeScanConfiguration, projectId: string): string | undefined {
  if (configurationsOfProject(world, configuration.region, projectId).length >= MAX_CONFIGURATIONS_PER_PROJECT) {
    return `Project ${projectId} is associated with ${MAX_CONFIGURATIONS_PER_PROJECT} scan configurations already, the most a project can have.`;
  }
  if (configuration.projectIds.size >= MAX_PROJECTS_PER_CONFIGURATION) {
    return `The scan configuration ${configuration.arn} is associated with ${MAX_PROJECTS_PER_CONFIGURATION} projects already, the most it can have.`;
  }
  return undefined;
}

function associateIfRoom(world: World, configuration: CodeScanConfiguration, projectId: string): void {
  if (!configuration.projectIds.has(projectId) && !roomFor(world, configuration, projectId)) configuration.projectIds.add(projectId);
}

/** The account-regions whose projects a scan configuration may apply to: the owner's, and its members' for an organization-level one. */
function scopeOf(world: World, configuration: CodeScanConfiguration): AccountRegion[] {
  const own = world.accountRegion(configuration.accountId, configuration.region);
  return configuration.level === 'ORGANIZATION' ? visibleAccountRegions(world, configuration.accountId, configuration.region) : [own];
}

/**
 * Looks at the coverage of these projects again (metadata, activity); with `rescan`, the
 * projects scanned before are scanned again (their rule sets may have changed). A project
 * that becomes covered waits for its initial scan as any resource does.
 */
function refreshProjects(world: World, region: string, projectIds: Iterable<string>, rescan: boolean): void {
  const states = new Map<AccountRegion, CodeRepository[]>();
  for (const projectId of projectIds) {
    const found = findProject(world, region, projectId);
    if (found) states.set(found.state, [...(states.get(found.state) ?? []), found.repository]);
  }
  for (const [state, repositories] of states) {
    reconcile(world, state);
    for (const repository of repositories) {
      const id = codeRepositoryId(repository);
      if (rescan && coverageOf(state, id, 'CODE')?.resource.lastScannedAt) queueScan(world, state, id, 'CODE');
    }
  }
}

export function createScanConfiguration(world: World, caller: Caller, spec: NewScanConfiguration): CodeScanConfiguration {
  enabledState(world, caller);
  const standing = world.standing(caller.accountId, caller.region);
  if (spec.level === 'ORGANIZATION' && !standing.isDelegatedAdmin) {
    throw new WorldError(
      'AccessDenied',
      `Only the delegated administrator of an organization can create ORGANIZATION level scan configurations; account ${caller.accountId} is not one in ${caller.region}.`,
    );
  }
  if (spec.level === 'ORGANIZATION' && spec.tagged) throw new WorldError('Invalid', 'Scan configurations at the ORGANIZATION level cannot be tagged.');
  const owned = configurationsOwnedBy(world, caller);
  const namesake = owned.find((c) => c.name === spec.name);
  if (namesake) {
    throw new WorldError('Conflict', `A code security scan configuration named '${spec.name}' exists already: ${namesake.arn}.`, {
      id: namesake.arn,
      type: CONFIGURATION_RESOURCE,
    });
  }
  if (spec.scopeSettings) {
    const existing = owned.find((c) => c.scopeSettings && c.level === spec.level);
    if (existing) {
      throw new WorldError(
        'Conflict',
        `There is a default scan configuration at the ${spec.level} level already: ${existing.arn}. There can be one per account and one per organization.`,
        { id: existing.arn, type: CONFIGURATION_RESOURCE },
      );
    }
  } else if (owned.filter((c) => !c.scopeSettings).length >= MAX_GENERAL_SCAN_CONFIGURATIONS) {
    throw new WorldError('QuotaExceeded', `Account ${caller.accountId} has reached the limit of ${MAX_GENERAL_SCAN_CONFIGURATIONS} scan configurations in ${caller.region}.`, {
      id: caller.accountId,
      type: CONFIGURATION_RESOURCE,
    });
  }
  const id = nextId(world.global.codeSecurity, caller.accountId, caller.region, 'scan-configuration', spec.name);
  const owner = spec.level === 'ORGANIZATION' ? standing.organization!.id : caller.accountId;
  const now = world.clock.now();
  const configuration: CodeScanConfiguration = {
    arn: `arn:aws:inspector2:${caller.region}:${caller.accountId}:owner/${owner}/codesecurity-configuration/${id}`,
    accountId: caller.accountId,
    region: caller.region,
    name: spec.name,
    level: spec.level,
    configuration: normalized(spec.configuration, id),
    ...(spec.scopeSettings ? { scopeSettings: spec.scopeSettings } : {}),
    createdAt: now,
    lastUpdatedAt: now,
    projectIds: new Set(),
  };
  world.global.codeSecurity.scanConfigurations.set(configuration.arn, configuration);
  if (configuration.scopeSettings) {
    // A default scan configuration is associated with every existing project in its scope.
    for (const state of scopeOf(world, configuration)) {
      for (const repository of state.inventory?.codeRepositories ?? []) associateIfRoom(world, configuration, repository.projectId);
    }
    refreshProjects(world, configuration.region, configuration.projectIds, false);
  }
  return configuration;
}

/** New settings: the projects it applies to are scanned again with them. */
export function updateScanConfiguration(world: World, caller: Caller, arn: string, configuration: Shapes['CodeSecurityScanConfiguration']): CodeScanConfiguration {
  const existing = scanConfigurationOf(world, caller, arn, 'write');
  existing.configuration = normalized(configuration, arn.split('/').at(-1)!);
  existing.lastUpdatedAt = world.clock.now();
  refreshProjects(world, existing.region, existing.projectIds, true);
  return existing;
}

export function deleteScanConfiguration(world: World, caller: Caller, arn: string): void {
  const configuration = scanConfigurationOf(world, caller, arn, 'write');
  world.global.codeSecurity.scanConfigurations.delete(arn);
  world.global.tags.delete(arn);
  refreshProjects(world, configuration.region, configuration.projectIds, true);
}

export interface AssociationRequest {
  scanConfigurationArn: string;
  projectId: string;
}

export interface AssociationOutcome extends AssociationRequest {
  failure?: { statusCode: AssociationStatusCode; statusMessage: string };
}

/** The configuration and project of a request, or why the caller cannot change their association. */
function associationTarget(
  world: World,
  caller: Caller,
  request: AssociationRequest,
): { configuration: CodeScanConfiguration } | { failure: NonNullable<AssociationOutcome['failure']> } {
  const configuration = visibleScanConfigurations(world, caller).find((c) => c.arn === request.scanConfigurationArn);
  if (!configuration) {
    return { failure: { statusCode: 'SCAN_CONFIGURATION_NOT_FOUND', statusMessage: `There is no scan configuration ${request.scanConfigurationArn} in account ${caller.accountId} in ${caller.region}.` } };
  }
  if (configuration.accountId !== caller.accountId) {
    return { failure: { statusCode: 'ACCESS_DENIED', statusMessage: `The scan configuration belongs to the delegated administrator ${configuration.accountId}: only it can change its associations.` } };
  }
  const inScope = scopeOf(world, configuration).some((state) => state.inventory?.codeRepositories?.some((r) => r.projectId === request.projectId));
  if (!inScope) {
    return { failure: { statusCode: 'RESOURCE_NOT_FOUND', statusMessage: `There is no project ${request.projectId} in account ${caller.accountId} in ${caller.region}.` } };
  }
  return { configuration };
}

export function associateProjects(world: World, caller: Caller, requests: AssociationRequest[]): AssociationOutcome[] {
  enabledState(world, caller);
  const outcomes = requests.map((request): AssociationOutcome => {
    const target = associationTarget(world, caller, request);
    if ('failure' in target) return { ...request, failure: target.failure };
    const { configuration } = target;
    if (configuration.projectIds.has(request.projectId)) {
      return { ...request, failure: { statusCode: 'INVALID_INPUT', statusMessage: `Project ${request.projectId} is associated with ${configuration.arn} already.` } };
    }
    const full = roomFor(world, configuration, request.projectId);
    if (full) return { ...request, failure: { statusCode: 'QUOTA_EXCEEDED', statusMessage: full } };
    configuration.projectIds.add(request.projectId);
    return request;
  });
  refreshProjects(world, caller.region, changedProjects(outcomes), true);
  return outcomes;
}

export function disassociateProjects(world: World, caller: Caller, requests: AssociationRequest[]): AssociationOutcome[] {
  enabledState(world, caller);
  const outcomes = requests.map((request): AssociationOutcome => {
    const target = associationTarget(world, caller, request);
    if ('failure' in target) return { ...request, failure: target.failure };
    if (!target.configuration.projectIds.delete(request.projectId)) {
      return { ...request, failure: { statusCode: 'INVALID_INPUT', statusMessage: `Project ${request.projectId} is not associated with ${target.configuration.arn}.` } };
    }
    return request;
  });
  refreshProjects(world, caller.region, changedProjects(outcomes), true);
  return outcomes;
}

function changedProjects(outcomes: AssociationOutcome[]): Set<string> {
  return new Set(outcomes.filter((o) => !o.failure).map((o) => o.projectId));
}

/** The projects associated with a configuration that the caller sees (its own, and its members' for a delegated administrator), in id order. */
export function associatedProjects(world: World, caller: Caller, arn: string): string[] {
  const configuration = scanConfigurationOf(world, caller, arn, 'read');
  const visible = new Set(
    visibleAccountRegions(world, caller.accountId, caller.region).flatMap((state) => (state.inventory?.codeRepositories ?? []).map((r) => r.projectId)),
  );
  return [...configuration.projectIds].filter((id) => visible.has(id)).sort();
}

// ---------------------------------------------------------------- on-demand scans

/** Starts an on-demand scan of one of the caller's projects: IN_PROGRESS until the scan time has passed. */
export function startScan(world: World, caller: Caller, projectId: string): CodeSecurityScan {
  const state = enabledState(world, caller);
  const repository = state.inventory?.codeRepositories?.find((r) => r.projectId === projectId);
  if (!repository) {
    throw new WorldError('NotFound', `There is no project ${projectId} in account ${caller.accountId} in ${caller.region}: projects come from ACTIVE code security integrations.`);
  }
  const running = [...world.global.codeSecurity.scans.values()].find(
    (s) => s.projectId === projectId && s.accountId === caller.accountId && s.region === caller.region && s.status === 'IN_PROGRESS',
  );
  if (running) {
    throw new WorldError('Conflict', `A scan of project ${projectId} is in progress already: ${running.scanId}.`, { id: projectId, type: 'CODE_REPOSITORY' });
  }
  const now = world.clock.now();
  const scan: CodeSecurityScan = {
    scanId: nextId(world.global.codeSecurity, caller.accountId, caller.region, 'scan', projectId),
    projectId,
    accountId: caller.accountId,
    region: caller.region,
    status: 'IN_PROGRESS',
    statusReason: 'The default branch is being scanned.',
    createdAt: now,
    updatedAt: now,
  };
  world.global.codeSecurity.scans.set(scan.scanId, scan);
  // A project scanned on demand is covered, with or without a scan configuration; the
  // scanner scans it as it scans every resource, and the scan reads the outcome after.
  reconcile(world, state);
  queueScan(world, state, codeRepositoryId(repository), 'CODE');
  // Due no earlier than the scanner's scan, and scheduled after it: it reads that scan's outcome.
  world.scheduler.schedule(world.clock.nowMs() + world.options.scanMs, { kind: 'complete-code-security-scan', scanId: scan.scanId });
  return scan;
}

export function scanOf(world: World, caller: Caller, projectId: string, scanId: string): CodeSecurityScan {
  enabledState(world, caller);
  const scan = world.global.codeSecurity.scans.get(scanId);
  if (!scan || scan.projectId !== projectId || scan.accountId !== caller.accountId || scan.region !== caller.region) {
    throw new WorldError('NotFound', `There is no scan ${scanId} of project ${projectId} in account ${caller.accountId} in ${caller.region}.`);
  }
  return scan;
}

/** An on-demand scan's time has come: its outcome is that of the scanner's scan of the project. */
export function completeOnDemandScan(world: World, scanId: string): void {
  const scan = world.global.codeSecurity.scans.get(scanId);
  if (scan?.status !== 'IN_PROGRESS') return;
  const state = world.existingAccountRegion(scan.accountId, scan.region);
  const repository = state?.inventory?.codeRepositories?.find((r) => r.projectId === scan.projectId);
  const row = state && repository ? coverageOf(state, codeRepositoryId(repository), 'CODE') : undefined;
  const commit = row?.resource.resourceMetadata?.codeRepository?.lastScannedCommitId;
  let failure: string | undefined;
  if (!state || !repository) failure = 'The project was removed (its integration was deleted) before the scan completed.';
  else if (!row) failure = `Code repository scanning is not enabled for account ${scan.accountId} in ${scan.region}: enable CODE_REPOSITORY to scan projects.`;
  else if (row.resource.scanStatus?.statusCode !== 'ACTIVE') failure = `The project is not scanned: ${row.resource.scanStatus?.reason ?? 'it is not covered'}.`;
  else if (!commit || (row.resource.lastScannedAt?.getTime() ?? 0) < scan.createdAt.getTime()) failure = 'The scan did not complete; start another.';
  scan.status = failure ? 'FAILED' : 'SUCCESSFUL';
  scan.statusReason = failure ?? `Scanned commit ${commit} of the default branch.`;
  if (!failure) scan.lastCommitId = commit;
  scan.updatedAt = world.clock.now();
  // The project's coverage shows its latest on-demand scan.
  if (state) reconcile(world, state);
}

// ---------------------------------------------------------------- what the scanner asks

type CodeRepositoryMetadata = Shapes['CodeRepositoryMetadata'];

/**
 * How a project is scanned, as its coverage metadata says (its scan configurations and
 * latest on-demand scan), and whether anything asks for it to be scanned at all.
 */
export function projectScanning(
  world: World,
  state: AccountRegion,
  repository: CodeRepository,
): { scanned: boolean } & Pick<CodeRepositoryMetadata, 'scanConfiguration' | 'onDemandScan'> {
  const configurations = configurationsOfProject(world, state.region, repository.projectId);
  const periodic = configurations
    .filter((c) => c.configuration.periodicScanConfiguration?.frequencyExpression !== undefined)
    .map((c) => ({ frequencyExpression: c.configuration.periodicScanConfiguration!.frequencyExpression!, ruleSetCategories: c.configuration.ruleSetCategories }));
  const continuous = configurations.flatMap((c) =>
    (c.configuration.continuousIntegrationScanConfiguration?.supportedEvents ?? []).map((supportedEvent) => ({
      supportedEvent,
      ruleSetCategories: c.configuration.ruleSetCategories,
    })),
  );
  const latest = [...world.global.codeSecurity.scans.values()]
    .filter((s) => s.projectId === repository.projectId && s.accountId === state.accountId && s.region === state.region)
    .at(-1);
  const scanStatus: Shapes['ScanStatus'] | undefined =
    latest?.status === 'IN_PROGRESS'
      ? { statusCode: 'ACTIVE', reason: 'SCAN_IN_PROGRESS' }
      : latest?.status === 'SUCCESSFUL'
        ? { statusCode: 'ACTIVE', reason: 'SUCCESSFUL' }
        : latest
          ? { statusCode: 'INACTIVE', reason: 'INTERNAL_ERROR' }
          : undefined;
  return {
    scanned: configurations.length > 0 || latest !== undefined,
    ...(configurations.length
      ? {
          scanConfiguration: {
            ...(periodic.length ? { periodicScanConfigurations: periodic } : {}),
            ...(continuous.length ? { continuousIntegrationScanConfigurations: continuous } : {}),
          },
        }
      : {}),
    ...(latest
      ? {
          onDemandScan: {
            lastScanAt: latest.createdAt,
            ...(latest.lastCommitId ? { lastScannedCommitId: latest.lastCommitId } : {}),
            ...(scanStatus ? { scanStatus } : {}),
          },
        }
      : {}),
  };
}

/** The rule sets a project's scans apply: its scan configurations' (all of them for a project scanned only on demand). */
export function ruleSetsOf(world: World, state: AccountRegion, repository: CodeRepository): Set<RuleSetCategory> {
  const configurations = configurationsOfProject(world, state.region, repository.projectId);
  return new Set(configurations.length ? configurations.flatMap((c) => c.configuration.ruleSetCategories) : ALL_RULE_SETS);
}

/** Whether the ARN is a code security resource of the account in the region that tags can be put on. */
export function ownsTaggableCodeSecurityResource(world: World, accountId: string, region: string, arn: string): boolean {
  const integration = world.global.codeSecurity.integrations.get(arn);
  if (integration) return integration.accountId === accountId && integration.region === region;
  const configuration = world.global.codeSecurity.scanConfigurations.get(arn);
  if (!configuration || configuration.accountId !== accountId || configuration.region !== region) return false;
  if (configuration.level === 'ORGANIZATION') throw new WorldError('Invalid', `Scan configurations at the ORGANIZATION level cannot be tagged: ${arn}.`);
  return true;
}

declare module '../platform/state.js' {
  interface GlobalState {
    /** Code security integrations, scan configurations and on-demand scans of every account and region. */
    codeSecurity: CodeSecurityState;
  }
}

declareState('global', 'codeSecurity', {
  empty: () => emptyCodeSecurityState(),
  schema: z.strictObject({
    integrations: savedRecords<CodeSecurityIntegration>({ arn: z.string(), name: z.string().max(256) }),
    scanConfigurations: savedRecords<CodeScanConfiguration>({ arn: z.string(), name: z.string().max(256) }),
    scans: savedRecords<CodeSecurityScan>({ scanId: z.string(), projectId: z.string() }),
    sequence: savedCounter,
  }),
  forgetAccount: forgetCodeSecurityAccount,
});

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** An authorized code security integration turns ACTIVE and imports its repositories. */
    'activate-code-security-integration': { integrationArn: string };
    /** A deleted code security integration is gone. */
    'remove-code-security-integration': { integrationArn: string };
    /** An on-demand code security scan completes. */
    'complete-code-security-scan': { scanId: string };
  }
}

registerTask('activate-code-security-integration', z.strictObject({ integrationArn: taskId }), (world, task) =>
  activateIntegration(world, task.integrationArn),
);
registerTask('remove-code-security-integration', z.strictObject({ integrationArn: taskId }), (world, task) =>
  removeIntegration(world, task.integrationArn),
);
registerTask('complete-code-security-scan', z.strictObject({ scanId: taskId }), (world, task) => completeOnDemandScan(world, task.scanId));
