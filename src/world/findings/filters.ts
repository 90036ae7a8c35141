// Saved filters and suppression rules. A filter with action SUPPRESS turns the ACTIVE
// findings it matches SUPPRESSED at once, and keeps later matches suppressed; changing or
// deleting it recomputes. A delegated administrator's rules apply to its members' findings
// too, for as long as they are its members: associating, disassociating and removing the
// administrator recompute (recomputeSuppression); members cannot create suppression rules.
// A filter has at least one criterion, so no rule suppresses every finding by accident.
// Statuses are kept on the findings (with `updatedAt` bumped when they change), so every
// reader sees the same status.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { declareState } from '../platform/state.js';
import type { components } from '../../../openapi/inspector2.js';
import type { Caller } from '../world.js';
import { WorldError } from '../platform/errors.js';
import { findingFilter } from './query.js';
import type { Finding } from './documents.js';
import type { AccountRegion, World } from '../world.js';
import { standingOf } from '../accounts/organizations.js';
import { forgetTags } from '../accounts/tags.js';
import { arnOf } from '../platform/partition.js';

type FilterCriteria = components['schemas']['FilterCriteria'];

export interface SavedFilter {
  arn: string;
  ownerId: string;
  name: string;
  description?: string;
  reason?: string;
  action: 'NONE' | 'SUPPRESS';
  criteria: FilterCriteria;
  createdAt: Date;
  updatedAt: Date;
}

/** AWS allows this many filters and suppression rules per account and region. */
const MAX_FILTERS = 500;
const NAME = /^[A-Za-z0-9._-]{3,64}$/;

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new WorldError('Invalid', `The filter name '${name}' is not valid: use 3 to 64 letters, digits, periods, hyphens or underscores, with no spaces.`);
  }
}

/** At least one criterion: an empty `filterCriteria` would match (and, as a rule, suppress) every finding. */
function hasCriteria(criteria: FilterCriteria): boolean {
  return Object.values(criteria).some((list) => Array.isArray(list) && list.length > 0);
}

function checkCriteria(criteria: FilterCriteria): void {
  if (!hasCriteria(criteria)) {
    throw new WorldError('Invalid', 'The filter criteria are empty: a filter needs at least one criterion in filterCriteria.');
  }
}

function refuseMemberSuppression(world: World, caller: Caller, action: SavedFilter['action']): void {
  const admin = standingOf(world, caller.accountId, caller.region).delegatedAdminAccountId;
  if (action === 'SUPPRESS' && admin) {
    throw new WorldError(
      'AccessDenied',
      `Member accounts in an organization can't create or manage suppression rules; ask the delegated administrator ${admin}.`,
    );
  }
}

function filterOf(world: World, caller: Caller, arn: string): { state: AccountRegion; filter: SavedFilter } {
  const state = world.accountRegion(caller.accountId, caller.region);
  const filter = state.filters.get(arn);
  if (!filter) throw new WorldError('NotFound', `There is no filter ${arn} in account ${caller.accountId} in ${caller.region}.`);
  return { state, filter };
}

export interface NewFilter {
  name: string;
  description?: string;
  reason?: string;
  action: SavedFilter['action'];
  criteria: FilterCriteria;
}

export function createFilter(world: World, caller: Caller, spec: NewFilter): SavedFilter {
  checkName(spec.name);
  checkCriteria(spec.criteria);
  refuseMemberSuppression(world, caller, spec.action);
  const state = world.accountRegion(caller.accountId, caller.region);
  if ([...state.filters.values()].some((f) => f.name === spec.name)) {
    throw new WorldError('Invalid', `A filter named '${spec.name}' exists already in account ${caller.accountId} in ${caller.region}.`);
  }
  if (state.filters.size >= MAX_FILTERS) {
    throw new WorldError('QuotaExceeded', `Account ${caller.accountId} has reached the limit of ${MAX_FILTERS} filters in ${caller.region}.`, {
      id: caller.accountId,
      type: 'AWS::Inspector2::Filter',
    });
  }
  const now = world.clock.now();
  const id = createHash('sha256').update(`${caller.accountId}|${caller.region}|${spec.name}|${now.getTime()}|${state.filters.size}`).digest('hex').slice(0, 16);
  const filter: SavedFilter = {
    arn: arnOf('inspector2', caller.region, caller.accountId, `owner/${caller.accountId}/filter/${id}`),
    ownerId: caller.accountId,
    ...spec,
    createdAt: now,
    updatedAt: now,
  };
  state.filters.set(filter.arn, filter);
  if (filter.action === 'SUPPRESS') applySuppressionFor(world, caller);
  world.changed();
  return filter;
}

export function updateFilter(world: World, caller: Caller, arn: string, change: Partial<NewFilter>): SavedFilter {
  const { state, filter } = filterOf(world, caller, arn);
  if (change.name !== undefined) {
    checkName(change.name);
    if ([...state.filters.values()].some((f) => f.name === change.name && f.arn !== arn)) {
      throw new WorldError('Invalid', `A filter named '${change.name}' exists already in account ${caller.accountId} in ${caller.region}.`);
    }
  }
  if (change.criteria !== undefined) checkCriteria(change.criteria);
  refuseMemberSuppression(world, caller, change.action ?? filter.action);
  const wasSuppressing = filter.action === 'SUPPRESS';
  Object.assign(filter, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)), { updatedAt: world.clock.now() });
  if (wasSuppressing || filter.action === 'SUPPRESS') applySuppressionFor(world, caller);
  world.changed();
  return filter;
}

export function deleteFilter(world: World, caller: Caller, arn: string): void {
  const { state, filter } = filterOf(world, caller, arn);
  state.filters.delete(arn);
  forgetTags(world, arn);
  if (filter.action === 'SUPPRESS') applySuppressionFor(world, caller);
  world.changed();
}

/** The suppression rules that govern an account-region's findings: its own and its delegated administrator's. */
function suppressionRules(world: World, state: AccountRegion): SavedFilter[] {
  const admin = standingOf(world, state.accountId, state.region).delegatedAdminAccountId;
  const adminState = admin ? world.existingAccountRegion(admin, state.region) : undefined;
  const sources = adminState ? [state, adminState] : [state];
  return sources.flatMap((s) => [...s.filters.values()].filter((f) => f.action === 'SUPPRESS'));
}

/**
 * Brings open findings of the account-region (all, or those given) to ACTIVE or SUPPRESSED,
 * as the rules say now; a status that changes is an event unless the caller reports it.
 */
export function applySuppression(world: World, state: AccountRegion, findings?: Finding[], options: { quiet?: boolean } = {}): void {
  const rules = suppressionRules(world, state).map((rule) => findingFilter(rule.criteria));
  const now = world.clock.now();
  for (const finding of findings ?? state.findings.values()) {
    if (finding.status === 'CLOSED') continue;
    const asActive = { ...finding, status: 'ACTIVE' as const };
    const status = rules.some((matches) => matches(asActive)) ? 'SUPPRESSED' : 'ACTIVE';
    if (status !== finding.status) {
      const updated = state.findings.update(finding, { status, updatedAt: now });
      if (!options.quiet) world.events.finding(state.region, updated);
    }
  }
}

/**
 * Recomputes the findings of accounts whose delegated administrator changed in a region: a
 * member associated (again) falls under the administrator's rules; a member disassociated,
 * or every member when the administrator is removed, keeps only its own (AWS: they become
 * standalone accounts). Accounts Inspector has not seen in the region are left alone.
 */
export function recomputeSuppression(world: World, region: string, accountIds: Iterable<string>): void {
  for (const accountId of accountIds) {
    const state = world.existingAccountRegion(accountId, region);
    if (state) applySuppression(world, state);
  }
  world.changed();
}

/** Recomputes the findings a caller's rules govern: its own, and a delegated administrator's members'. */
function applySuppressionFor(world: World, caller: Caller): void {
  const standing = standingOf(world, caller.accountId, caller.region);
  const states = [world.accountRegion(caller.accountId, caller.region)];
  if (standing.isDelegatedAdmin) {
    const organization = standing.inspectorOrganization!;
    for (const id of organization.members.keys()) if (organization.isAssociated(id)) states.push(world.accountRegion(id, caller.region));
  }
  for (const state of states) applySuppression(world, state);
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Saved filters and suppression rules, by ARN. */
    filters: Map<string, SavedFilter>;
  }
}

/** The model's FilterCriteria members. */
const CRITERIA = [
  'awsAccountId',
  'codeRepositoryProjectName',
  'codeRepositoryProviderType',
  'codeVulnerabilityDetectorName',
  'codeVulnerabilityDetectorTags',
  'codeVulnerabilityFilePath',
  'componentId',
  'componentType',
  'ec2InstanceImageId',
  'ec2InstanceSubnetId',
  'ec2InstanceVpcId',
  'ecrImageArchitecture',
  'ecrImageHash',
  'ecrImageInUseCount',
  'ecrImageLastInUseAt',
  'ecrImagePushedAt',
  'ecrImageRegistry',
  'ecrImageRepositoryName',
  'ecrImageTags',
  'epssScore',
  'exploitAvailable',
  'findingArn',
  'findingStatus',
  'findingType',
  'firstObservedAt',
  'fixAvailable',
  'inspectorScore',
  'lambdaFunctionExecutionRoleArn',
  'lambdaFunctionLastModifiedAt',
  'lambdaFunctionLayers',
  'lambdaFunctionName',
  'lambdaFunctionRuntime',
  'lastObservedAt',
  'networkProtocol',
  'portRange',
  'relatedVulnerabilities',
  'resourceId',
  'resourceTags',
  'resourceType',
  'severity',
  'title',
  'updatedAt',
  'vendorSeverity',
  'vulnerabilityId',
  'vulnerabilitySource',
  'vulnerablePackages',
] as const satisfies readonly (keyof FilterCriteria)[];

const dated = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');
const scalar = z.union([z.string().max(1024), z.number().finite(), dated]);
const criterion = z.record(
  z.string().max(64),
  z.union([scalar, z.strictObject({ comparison: z.string().max(64), value: z.string().max(1024) }), z.record(z.string().max(64), scalar)]),
);
const criteriaSchema = z
  .strictObject(Object.fromEntries(CRITERIA.map((key) => [key, z.array(criterion).max(100).optional()])))
  .refine((criteria) => hasCriteria(criteria as FilterCriteria), 'a filter with no criterion');

declareState('account-region', 'filters', {
  empty: () => new Map(),
  // Deactivating Inspector deletes filters and suppression rules (deactivating-best-practices).
  deactivation: 'delete',
  schema: z.map(
    z.string().max(2048),
    z.strictObject({
      arn: z.string().max(2048),
      ownerId: z.string().regex(/^\d{12}$/),
      name: z.string().max(128),
      description: z.string().max(512).optional(),
      reason: z.string().max(512).optional(),
      action: z.enum(['NONE', 'SUPPRESS']),
      criteria: criteriaSchema,
      createdAt: dated,
      updatedAt: dated,
    }),
  ),
});
