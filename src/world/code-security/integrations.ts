// Code security integrations with source code providers: created PENDING, authorized by
// the user with the provider (IN_PROGRESS), ACTIVE after the transition time with their
// repositories imported as projects; deleted, DISABLING until the transition time, then gone.
import { WorldError } from '../platform/errors.js';
import { nextId, sha256 } from '../platform/ids.js';
import { enabledState } from '../accounts/accounts.js';
import type { Caller } from '../world.js';
import { emptyInventory } from '../inventory/inventory.js';
import { reconcile } from '../scanning/coverage.js';
import type { AccountRegion, World } from '../world.js';
import { z } from 'zod';
import { registerTask, taskId } from '../platform/tasks.js';
import { importedRepositories } from './repositories.js';
import { applicableDefaults, associateIfRoom } from './scan-configurations.js';
import { MAX_INTEGRATIONS, regionScanConfigurations, type CodeSecurityIntegration, type IntegrationType } from './state.js';
import { forgetTags } from '../accounts/tags.js';
import { arnOf } from '../platform/partition.js';

const INTEGRATION_RESOURCE = 'AWS::Inspector2::CodeSecurityIntegration';

/** The account-region an integration's ARN names (arn:aws:inspector2:<region>:<account>:...), if it exists: a task finds its integration there. */
function accountRegionOf(world: World, arn: string): AccountRegion | undefined {
  const [, , , region, accountId] = arn.split(':');
  return region && accountId ? world.existingAccountRegion(accountId, region) : undefined;
}

export interface NewIntegration {
  name: string;
  type: IntegrationType;
  gitlabSelfManaged?: { instanceUrl: string };
}

export function integrationsOf(world: World, caller: Caller): CodeSecurityIntegration[] {
  return [...enabledState(world, caller).codeSecurity.integrations.values()];
}

export function integrationOf(world: World, caller: Caller, arn: string): CodeSecurityIntegration {
  const integration = enabledState(world, caller).codeSecurity.integrations.get(arn);
  if (!integration) {
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
    throw new WorldError(
      'QuotaExceeded',
      `Account ${caller.accountId} has reached the limit of ${MAX_INTEGRATIONS} code security integrations in ${caller.region}.`,
      {
        id: caller.accountId,
        type: INTEGRATION_RESOURCE,
      },
    );
  }
  const id = nextId(world.global.codeSecurityIds, caller.accountId, caller.region, 'integration', spec.name);
  const arn = arnOf('inspector2', caller.region, caller.accountId, `codesecurity-integration/${id}`);
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
  world.accountRegion(caller.accountId, caller.region).codeSecurity.integrations.set(arn, integration);
  world.changed();
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
    throw new WorldError(
      'Conflict',
      `The code security integration ${arn} is ${integration.status}: only a PENDING or INACTIVE integration takes an authorization code.`,
      {
        id: arn,
        type: INTEGRATION_RESOURCE,
      },
    );
  }
  if (integration.type === 'GITHUB' && !details.github) {
    throw new WorldError('Invalid', 'A GITHUB integration is authorized with details.github: the code and installationId that GitHub returns.');
  }
  if (integration.type === 'GITLAB_SELF_MANAGED' && !details.gitlabSelfManaged) {
    throw new WorldError(
      'Invalid',
      'A GITLAB_SELF_MANAGED integration is authorized with details.gitlabSelfManaged: the authCode that the GitLab instance returns.',
    );
  }
  integration.status = 'IN_PROGRESS';
  integration.statusReason = 'Authorized: the repositories the provider grants access to are being imported.';
  integration.lastUpdateOn = world.clock.now();
  if (details.github) integration.installationId = details.github.installationId;
  world.afterTransition({ kind: 'activate-code-security-integration', integrationArn: arn });
  world.changed();
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
    for (const configuration of regionScanConfigurations(world, integration.region)) for (const id of removed) configuration.projectIds.delete(id);
    reconcile(world, state);
  }
  world.afterTransition({ kind: 'remove-code-security-integration', integrationArn: arn });
  world.changed();
}

/** The transition after authorization: the integration is ACTIVE and its repositories are imported. */
function activateIntegration(world: World, arn: string): void {
  const state = accountRegionOf(world, arn);
  const integration = state?.codeSecurity.integrations.get(arn);
  if (!state || integration?.status !== 'IN_PROGRESS') return;
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
function removeIntegration(world: World, arn: string): void {
  const integrations = accountRegionOf(world, arn)?.codeSecurity.integrations;
  if (!integrations || integrations.get(arn)?.status !== 'DISABLING') return;
  integrations.delete(arn);
  forgetTags(world, arn);
}

declare module '../platform/tasks.js' {
  interface TaskKinds {
    /** An authorized code security integration turns ACTIVE and imports its repositories. */
    'activate-code-security-integration': { integrationArn: string };
    /** A deleted code security integration is gone. */
    'remove-code-security-integration': { integrationArn: string };
  }
}

registerTask('activate-code-security-integration', z.strictObject({ integrationArn: taskId }), (world, task) =>
  activateIntegration(world, task.integrationArn),
);
registerTask('remove-code-security-integration', z.strictObject({ integrationArn: taskId }), (world, task) => removeIntegration(world, task.integrationArn));
