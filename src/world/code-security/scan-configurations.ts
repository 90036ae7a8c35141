// Code security scan configurations: how projects are scanned (rule sets, a periodic
// schedule, the events of continuous integration), which projects each applies to, and
// the organization-level ones a delegated administrator makes for its members' projects.
import type { components } from '../../../openapi/inspector2.js';
import { WorldError } from '../platform/errors.js';
import { nextId, sha256 } from '../platform/ids.js';
import { enabledState } from '../accounts/accounts.js';
import type { Caller } from '../world.js';
import type { CodeRepository } from '../inventory/inventory.js';
import { visibleAccountRegions } from '../findings/query.js';
import { coverageOf, queueScan, reconcile } from '../scanning/coverage.js';
import { codeRepositoryId } from '../scanning/resources.js';
import type { AccountRegion, World } from '../world.js';
import { configurationsOfProject } from './projects.js';
import {
  inCreationOrder,
  MAX_CONFIGURATIONS_PER_PROJECT,
  MAX_GENERAL_SCAN_CONFIGURATIONS,
  MAX_PROJECTS_PER_CONFIGURATION,
  type AssociationStatusCode,
  type CodeScanConfiguration,
} from './state.js';
import { standingOf } from '../accounts/organizations.js';
import { forgetTags } from '../accounts/tags.js';
import { arnOf } from '../platform/partition.js';

type Shapes = components['schemas'];

const CONFIGURATION_RESOURCE = 'AWS::Inspector2::CodeSecurityScanConfiguration';

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
      if (frequency === undefined)
        throw new WorldError('Invalid', 'periodicScanConfiguration needs a frequency (WEEKLY, MONTHLY or NEVER) or a frequencyExpression.');
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
        throw new WorldError(
          'Invalid',
          `The frequencyExpression '${frequencyExpression}' is not a weekly or monthly cron expression such as cron(0 3 ? * MON *) or cron(0 3 1 * ? *).`,
        );
      }
      if (frequency !== undefined && frequency !== cadence) {
        throw new WorldError(
          'Invalid',
          `The frequencyExpression '${frequencyExpression}' runs ${cadence.toLowerCase()}, which does not match the frequency ${frequency}.`,
        );
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

/** A delegated administrator's organization-level scan configurations in a region (none when the account is its own administrator or has none). */
function organizationConfigurations(world: World, accountId: string, region: string): CodeScanConfiguration[] {
  const admin = standingOf(world, accountId, region).delegatedAdminAccountId;
  if (admin === undefined || admin === accountId) return [];
  return [...(world.existingAccountRegion(admin, region)?.codeSecurity.scanConfigurations.values() ?? [])].filter((c) => c.level === 'ORGANIZATION');
}

/** The scan configurations the caller sees: its own, and its delegated administrator's organization-level ones. */
export function visibleScanConfigurations(world: World, caller: Caller): CodeScanConfiguration[] {
  const own = enabledState(world, caller).codeSecurity.scanConfigurations.values();
  return inCreationOrder([...own, ...organizationConfigurations(world, caller.accountId, caller.region)]);
}

/** A scan configuration the caller may read (its own, or its administrator's for the organization) or change (its own). */
export function scanConfigurationOf(world: World, caller: Caller, arn: string, access: 'read' | 'write'): CodeScanConfiguration {
  const configuration = visibleScanConfigurations(world, caller).find((c) => c.arn === arn);
  if (!configuration)
    throw new WorldError('NotFound', `There is no code security scan configuration ${arn} in account ${caller.accountId} in ${caller.region}.`);
  if (access === 'write' && configuration.accountId !== caller.accountId) {
    throw new WorldError(
      'AccessDenied',
      `The scan configuration ${arn} belongs to the delegated administrator ${configuration.accountId}: only it can change it.`,
    );
  }
  return configuration;
}

/** The default scan configurations that apply to an account's projects: its own, and its delegated administrator's for the organization. */
export function applicableDefaults(world: World, state: AccountRegion): CodeScanConfiguration[] {
  const candidates = [...state.codeSecurity.scanConfigurations.values(), ...organizationConfigurations(world, state.accountId, state.region)];
  return inCreationOrder(candidates.filter((c) => c.scopeSettings?.projectSelectionScope === 'ALL'));
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

export function associateIfRoom(world: World, configuration: CodeScanConfiguration, projectId: string): void {
  if (!configuration.projectIds.has(projectId) && !roomFor(world, configuration, projectId)) configuration.projectIds.add(projectId);
}

/** The account-regions whose projects a scan configuration may apply to: the owner's, and its members' for an organization-level one. */
function scopeOf(world: World, configuration: CodeScanConfiguration): AccountRegion[] {
  const own = world.accountRegion(configuration.accountId, configuration.region);
  return configuration.level === 'ORGANIZATION' ? visibleAccountRegions(world, configuration.accountId, configuration.region) : [own];
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
  // Every change to scan configurations and their projects ends here.
  world.changed();
}

export function createScanConfiguration(world: World, caller: Caller, spec: NewScanConfiguration): CodeScanConfiguration {
  const own = enabledState(world, caller).codeSecurity.scanConfigurations;
  const standing = standingOf(world, caller.accountId, caller.region);
  if (spec.level === 'ORGANIZATION' && !standing.isDelegatedAdmin) {
    throw new WorldError(
      'AccessDenied',
      `Only the delegated administrator of an organization can create ORGANIZATION level scan configurations; account ${caller.accountId} is not one in ${caller.region}.`,
    );
  }
  if (spec.level === 'ORGANIZATION' && spec.tagged) throw new WorldError('Invalid', 'Scan configurations at the ORGANIZATION level cannot be tagged.');
  const owned = [...own.values()];
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
    throw new WorldError(
      'QuotaExceeded',
      `Account ${caller.accountId} has reached the limit of ${MAX_GENERAL_SCAN_CONFIGURATIONS} scan configurations in ${caller.region}.`,
      {
        id: caller.accountId,
        type: CONFIGURATION_RESOURCE,
      },
    );
  }
  const ordinal = world.global.codeSecurityIds.sequence;
  const id = nextId(world.global.codeSecurityIds, caller.accountId, caller.region, 'scan-configuration', spec.name);
  const owner = spec.level === 'ORGANIZATION' ? standing.organization!.id : caller.accountId;
  const now = world.clock.now();
  const configuration: CodeScanConfiguration = {
    arn: arnOf('inspector2', caller.region, caller.accountId, `owner/${owner}/codesecurity-configuration/${id}`),
    accountId: caller.accountId,
    region: caller.region,
    ordinal,
    name: spec.name,
    level: spec.level,
    configuration: normalized(spec.configuration, id),
    ...(spec.scopeSettings ? { scopeSettings: spec.scopeSettings } : {}),
    createdAt: now,
    lastUpdatedAt: now,
    projectIds: new Set(),
  };
  own.set(configuration.arn, configuration);
  if (configuration.scopeSettings) {
    // A default scan configuration is associated with every existing project in its scope.
    for (const state of scopeOf(world, configuration)) {
      for (const repository of state.inventory?.codeRepositories ?? []) associateIfRoom(world, configuration, repository.projectId);
    }
    refreshProjects(world, configuration.region, configuration.projectIds, false);
  }
  world.changed();
  return configuration;
}

/** New settings: the projects it applies to are scanned again with them. */
export function updateScanConfiguration(
  world: World,
  caller: Caller,
  arn: string,
  configuration: Shapes['CodeSecurityScanConfiguration'],
): CodeScanConfiguration {
  const existing = scanConfigurationOf(world, caller, arn, 'write');
  existing.configuration = normalized(configuration, arn.split('/').at(-1)!);
  existing.lastUpdatedAt = world.clock.now();
  refreshProjects(world, existing.region, existing.projectIds, true);
  return existing;
}

export function deleteScanConfiguration(world: World, caller: Caller, arn: string): void {
  const configuration = scanConfigurationOf(world, caller, arn, 'write');
  // Only its owner may delete it, so it is the caller's.
  world.accountRegion(caller.accountId, caller.region).codeSecurity.scanConfigurations.delete(arn);
  forgetTags(world, arn);
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
    return {
      failure: {
        statusCode: 'SCAN_CONFIGURATION_NOT_FOUND',
        statusMessage: `There is no scan configuration ${request.scanConfigurationArn} in account ${caller.accountId} in ${caller.region}.`,
      },
    };
  }
  if (configuration.accountId !== caller.accountId) {
    return {
      failure: {
        statusCode: 'ACCESS_DENIED',
        statusMessage: `The scan configuration belongs to the delegated administrator ${configuration.accountId}: only it can change its associations.`,
      },
    };
  }
  const inScope = scopeOf(world, configuration).some((state) => state.inventory?.codeRepositories?.some((r) => r.projectId === request.projectId));
  if (!inScope) {
    return {
      failure: {
        statusCode: 'RESOURCE_NOT_FOUND',
        statusMessage: `There is no project ${request.projectId} in account ${caller.accountId} in ${caller.region}.`,
      },
    };
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
      return {
        ...request,
        failure: { statusCode: 'INVALID_INPUT', statusMessage: `Project ${request.projectId} is associated with ${configuration.arn} already.` },
      };
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
      return {
        ...request,
        failure: { statusCode: 'INVALID_INPUT', statusMessage: `Project ${request.projectId} is not associated with ${target.configuration.arn}.` },
      };
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
