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
//
// This file holds the types, the limits and the state: each account-region keeps its own
// integrations, scan configurations and scans; only the id counter is global.
import type { components } from '../../../openapi/inspector2.js';
import { WorldError } from '../platform/errors.js';
import type { World } from '../world.js';
import { z } from 'zod';
import { declareState, savedCounter, savedRecords } from '../platform/state.js';

type Shapes = components['schemas'];
export type IntegrationType = Shapes['IntegrationType'];
type IntegrationStatus = Shapes['IntegrationStatus'];
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
  /**
   * Its place among all the configurations ever made (the id counter when it was made): a
   * member's project may have its own and its administrator's, and they apply in this order.
   */
  ordinal: number;
  name: string;
  level: Shapes['ConfigurationLevel'];
  /** As given, with the periodic schedule Inspector chose when only a frequency was given. */
  configuration: Shapes['CodeSecurityScanConfiguration'];
  /** Present on a default scan configuration: it applies to every project, present and future. */
  scopeSettings?: Shapes['ScopeSettings'];
  createdAt: Date;
  lastUpdatedAt: Date;
  /** The projects it is associated with, by project id (a delegated administrator's may name its members'). */
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

/** Code security in one account and region. */
interface CodeSecurityState {
  integrations: Map<string, CodeSecurityIntegration>;
  scanConfigurations: Map<string, CodeScanConfiguration>;
  /** On-demand scans by id, in the order they started. */
  scans: Map<string, CodeSecurityScan>;
}

/** AWS: "Code Security only supports a maximum of 100 integrations per account." */
export const MAX_INTEGRATIONS = 100;
/** AWS: at most 500 general scan configurations, and one default per account and per organization. */
export const MAX_GENERAL_SCAN_CONFIGURATIONS = 500;
/** AWS: a project can be associated with at most 4 scan configurations, the default included. */
export const MAX_CONFIGURATIONS_PER_PROJECT = 4;
/** AWS: a scan configuration can be associated with at most 100,000 projects. */
export const MAX_PROJECTS_PER_CONFIGURATION = 100_000;

const byOrdinal = (a: CodeScanConfiguration, b: CodeScanConfiguration) => a.ordinal - b.ordinal;

/** Scan configurations in the order they were made, wherever they are kept. */
export function inCreationOrder(configurations: CodeScanConfiguration[]): CodeScanConfiguration[] {
  return configurations.sort(byOrdinal);
}

/** The scan configurations of every account in a region, in the order they were made. */
export function regionScanConfigurations(world: World, region: string): CodeScanConfiguration[] {
  return inCreationOrder(world.allAccountRegions().flatMap((state) => (state.region === region ? [...state.codeSecurity.scanConfigurations.values()] : [])));
}

/** Whether the ARN is a code security resource of the account in the region that tags can be put on. */
export function ownsTaggableCodeSecurityResource(world: World, accountId: string, region: string, arn: string): boolean {
  const codeSecurity = world.existingAccountRegion(accountId, region)?.codeSecurity;
  if (!codeSecurity) return false;
  if (codeSecurity.integrations.has(arn)) return true;
  const configuration = codeSecurity.scanConfigurations.get(arn);
  if (!configuration) return false;
  if (configuration.level === 'ORGANIZATION') throw new WorldError('Invalid', `Scan configurations at the ORGANIZATION level cannot be tagged: ${arn}.`);
  return true;
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Code security integrations, scan configurations and on-demand scans. */
    codeSecurity: CodeSecurityState;
  }
  interface GlobalState {
    /** Counts the code security ids made in every account, so that the same calls give the same ids. */
    codeSecurityIds: { sequence: number };
  }
}

declareState('account-region', 'codeSecurity', {
  empty: () => ({ integrations: new Map(), scanConfigurations: new Map(), scans: new Map() }),
  schema: z.strictObject({
    integrations: savedRecords<CodeSecurityIntegration>({ arn: z.string(), name: z.string().max(256) }),
    scanConfigurations: savedRecords<CodeScanConfiguration>({ arn: z.string(), name: z.string().max(256), ordinal: savedCounter }),
    scans: savedRecords<CodeSecurityScan>({ scanId: z.string(), projectId: z.string() }),
  }),
});

declareState('global', 'codeSecurityIds', {
  empty: () => ({ sequence: 0 }),
  schema: z.strictObject({ sequence: savedCounter }),
});
