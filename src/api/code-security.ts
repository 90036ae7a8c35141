// Code security: integrations with source code providers (Create/Get/Update/Delete/
// ListCodeSecurityIntegrations), scan configurations (Create/Get/Update/Delete/
// ListCodeSecurityScanConfigurations), their associations with projects
// (BatchAssociate/BatchDisassociateCodeSecurityScanConfiguration,
// ListCodeSecurityScanConfigurationAssociations) and on-demand scans
// (StartCodeSecurityScan, GetCodeSecurityScan). The rules are the world's
// (world/code-security/); this file maps shapes, tags and client tokens.
import { authorizeIntegration, createIntegration, deleteIntegration, integrationOf, integrationsOf } from '../world/code-security/integrations.js';
import {
  associatedProjects,
  associateProjects,
  createScanConfiguration,
  deleteScanConfiguration,
  disassociateProjects,
  scanConfigurationOf,
  updateScanConfiguration,
  visibleScanConfigurations,
  type AssociationOutcome,
} from '../world/code-security/scan-configurations.js';
import { scanOf, startScan } from '../world/code-security/scans.js';
import type { CodeScanConfiguration, CodeSecurityIntegration } from '../world/code-security/state.js';
import type { World } from '../world/world.js';
import type { ClientTokens } from './idempotency.js';
import { paginate } from './pagination.js';
import { refuseReservedTagKeys, tagsMember } from './tags.js';
import type { Handlers, Shapes } from './types.js';
import { setTags } from '../world/accounts/tags.js';
import { orderKey } from '../world/findings/paging.js';

/** Lists come in creation order (then ARN, for ties). */
/** Creation order, ties by ARN, in the one ordering encoding every list uses. */
const byCreation = (at: Date, arn: string) => orderKey([at.getTime(), arn]);

function integrationSummary(world: World, integration: CodeSecurityIntegration): Shapes['CodeSecurityIntegrationSummary'] {
  return {
    integrationArn: integration.arn,
    name: integration.name,
    type: integration.type,
    status: integration.status,
    statusReason: integration.statusReason,
    createdOn: integration.createdOn,
    lastUpdateOn: integration.lastUpdateOn,
    ...tagsMember(world, integration.arn),
  };
}

function configurationSummary(world: World, configuration: CodeScanConfiguration): Shapes['CodeSecurityScanConfigurationSummary'] {
  const { periodicScanConfiguration: periodic, continuousIntegrationScanConfiguration: continuous, ruleSetCategories } = configuration.configuration;
  return {
    scanConfigurationArn: configuration.arn,
    name: configuration.name,
    ownerAccountId: configuration.accountId,
    ...(periodic?.frequency ? { periodicScanFrequency: periodic.frequency } : {}),
    ...(periodic?.frequencyExpression ? { frequencyExpression: periodic.frequencyExpression } : {}),
    ...(continuous ? { continuousIntegrationScanSupportedEvents: continuous.supportedEvents } : {}),
    ruleSetCategories,
    ...(configuration.scopeSettings ? { scopeSettings: configuration.scopeSettings } : {}),
    ...tagsMember(world, configuration.arn),
  };
}

function associationResults(outcomes: AssociationOutcome[]): {
  successfulAssociations: Shapes['SuccessfulAssociationResult'][];
  failedAssociations: Shapes['FailedAssociationResult'][];
} {
  return {
    successfulAssociations: outcomes
      .filter((o) => !o.failure)
      .map((o) => ({ scanConfigurationArn: o.scanConfigurationArn, resource: { projectId: o.projectId } })),
    failedAssociations: outcomes
      .filter((o) => o.failure)
      .map((o) => ({ scanConfigurationArn: o.scanConfigurationArn, resource: { projectId: o.projectId }, ...o.failure! })),
  };
}

export function codeSecurityHandlers(world: World, clientTokens: ClientTokens): Handlers {
  return {
    CreateCodeSecurityIntegration(input, { caller }) {
      refuseReservedTagKeys(input.tags, 'ValidationException');
      const gitlab = input.details?.gitlabSelfManaged;
      const integration = createIntegration(world, caller, {
        name: input.name,
        type: input.type,
        ...(gitlab ? { gitlabSelfManaged: { instanceUrl: gitlab.instanceUrl } } : {}),
      });
      if (input.tags && Object.keys(input.tags).length) setTags(world, integration.arn, { ...input.tags });
      return { integrationArn: integration.arn, status: integration.status, authorizationUrl: integration.authorizationUrl };
    },

    GetCodeSecurityIntegration(input, { caller }) {
      const integration = integrationOf(world, caller, input.integrationArn);
      // The authorization URL is shown while the user has to (re)authorize Inspector.
      const authorizing = integration.status === 'PENDING' || integration.status === 'INACTIVE';
      return { ...integrationSummary(world, integration), ...(authorizing ? { authorizationUrl: integration.authorizationUrl } : {}) };
    },

    UpdateCodeSecurityIntegration(input, { caller }) {
      const { github, gitlabSelfManaged } = input.details;
      const integration = authorizeIntegration(world, caller, input.integrationArn, {
        ...(github ? { github } : {}),
        ...(gitlabSelfManaged ? { gitlabSelfManaged } : {}),
      });
      return { integrationArn: integration.arn, status: integration.status };
    },

    DeleteCodeSecurityIntegration(input, { caller }) {
      deleteIntegration(world, caller, input.integrationArn);
      return { integrationArn: input.integrationArn };
    },

    ListCodeSecurityIntegrations(input, { caller, operation }) {
      const page = paginate(operation, integrationsOf(world, caller), (i) => byCreation(i.createdOn, i.arn), input, 100);
      return { integrations: page.items.map((i) => integrationSummary(world, i)), nextToken: page.nextToken };
    },

    CreateCodeSecurityScanConfiguration(input, { caller }) {
      refuseReservedTagKeys(input.tags, 'ValidationException');
      const tagged = input.tags !== undefined && Object.keys(input.tags).length > 0;
      const configuration = createScanConfiguration(world, caller, {
        name: input.name,
        level: input.level,
        configuration: input.configuration,
        ...(input.scopeSettings ? { scopeSettings: input.scopeSettings } : {}),
        tagged,
      });
      if (tagged) setTags(world, configuration.arn, { ...input.tags });
      return { scanConfigurationArn: configuration.arn };
    },

    GetCodeSecurityScanConfiguration(input, { caller }) {
      const configuration = scanConfigurationOf(world, caller, input.scanConfigurationArn, 'read');
      return {
        scanConfigurationArn: configuration.arn,
        name: configuration.name,
        configuration: configuration.configuration,
        level: configuration.level,
        ...(configuration.scopeSettings ? { scopeSettings: configuration.scopeSettings } : {}),
        createdAt: configuration.createdAt,
        lastUpdatedAt: configuration.lastUpdatedAt,
        ...tagsMember(world, configuration.arn),
      };
    },

    UpdateCodeSecurityScanConfiguration(input, { caller }) {
      const configuration = updateScanConfiguration(world, caller, input.scanConfigurationArn, input.configuration);
      return { scanConfigurationArn: configuration.arn };
    },

    DeleteCodeSecurityScanConfiguration(input, { caller }) {
      deleteScanConfiguration(world, caller, input.scanConfigurationArn);
      return { scanConfigurationArn: input.scanConfigurationArn };
    },

    ListCodeSecurityScanConfigurations(input, { caller, operation }) {
      const page = paginate(operation, visibleScanConfigurations(world, caller), (c) => byCreation(c.createdAt, c.arn), input, 100);
      return { configurations: page.items.map((c) => configurationSummary(world, c)), nextToken: page.nextToken };
    },

    ListCodeSecurityScanConfigurationAssociations(input, { caller, operation }) {
      const page = paginate(operation, associatedProjects(world, caller, input.scanConfigurationArn), (id) => id, input, 100);
      return { associations: page.items.map((projectId) => ({ resource: { projectId } })), nextToken: page.nextToken };
    },

    BatchAssociateCodeSecurityScanConfiguration(input, { caller }) {
      const requests = input.associateConfigurationRequests.map((r) => ({ scanConfigurationArn: r.scanConfigurationArn, projectId: r.resource.projectId! }));
      return associationResults(associateProjects(world, caller, requests));
    },

    BatchDisassociateCodeSecurityScanConfiguration(input, { caller }) {
      const requests = input.disassociateConfigurationRequests.map((r) => ({ scanConfigurationArn: r.scanConfigurationArn, projectId: r.resource.projectId! }));
      return associationResults(disassociateProjects(world, caller, requests));
    },

    StartCodeSecurityScan: (input, { caller, operation }) =>
      clientTokens.once(`${caller.accountId}/${caller.region}/${operation}`, input.clientToken, input, () => {
        const scan = startScan(world, caller, input.resource.projectId!);
        return { scanId: scan.scanId, status: scan.status };
      }),

    GetCodeSecurityScan(input, { caller }) {
      const scan = scanOf(world, caller, input.resource.projectId!, input.scanId);
      return {
        scanId: scan.scanId,
        resource: { projectId: scan.projectId },
        accountId: scan.accountId,
        status: scan.status,
        statusReason: scan.statusReason,
        createdAt: scan.createdAt,
        updatedAt: scan.updatedAt,
        ...(scan.lastCommitId ? { lastCommitId: scan.lastCommitId } : {}),
      };
    },
  };
}
