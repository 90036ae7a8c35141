// The simulated AWS world. Inspector's state is addressed as world[account][region], as
// the real service's is: nothing leaks from one region to another. What is global — the
// organizations, IAM's service-linked roles, the clock — is named as such. No HTTP here.
import { Clock, type ClockOptions } from './clock.js';
import { clearCis, emptyCisState, forgetCisAccount, type CisState } from './cis.js';
import { clearCodeSecurity, emptyCodeSecurityState, forgetCodeSecurityAccount, type CodeSecurityState } from './code-security.js';
import { defaultConfiguration, type ScanConfiguration } from './configuration.js';
import type { CoverageRow, Finding } from './documents.js';
import { Enablement, type ScanType } from './enablement.js';
import { EventLog } from './events.js';
import { FindingMap } from './finding-map.js';
import type { Inventory } from './inventory.js';
import { defaultInventory } from './default-inventory.js';
import type { SavedFilter } from './filters.js';
import { Iam } from './iam.js';
import { InspectorOrganization, Organization } from './organizations.js';
import type { ObjectStore, Report } from './reports.js';
import { reconcile } from './scanner.js';
import { clearSbomExports, emptySbomState, forgetSbomAccount, type SbomState } from './sbom.js';
import { Scheduler } from './scheduler.js';
import { runTask, type WorldTask } from './tasks.js';
import { UsageLedger } from './usage.js';
import { VulnerabilityCatalog } from './vulnerabilities.js';

export interface WorldOptions {
  /** How long Enable, Disable and other transitions take, in clock milliseconds (0: done at the next request). */
  transitionMs: number;
  /** How many members a delegated administrator may associate per region (AWS: 10,000). */
  maxMembers: number;
  /** How long a resource's scan takes, in clock milliseconds (0: done at the next request). */
  scanMs: number;
}

export const DEFAULT_WORLD_OPTIONS: WorldOptions = { transitionMs: 0, maxMembers: 10_000, scanMs: 0 };

export interface AccountRegion {
  accountId: string;
  region: string;
  enablement: Enablement;
  /** The resources Inspector finds; undefined until seeded or generated. */
  inventory?: Inventory;
  configuration: ScanConfiguration;
  /** Coverage rows by `<resourceId>|<scanType>`. */
  coverage: Map<string, CoverageRow>;
  /** Findings by ARN, closed ones included; each document frozen, changed by storing a new one. */
  findings: FindingMap;
  usage: UsageLedger;
  /** Saved filters and suppression rules, by ARN. */
  filters: Map<string, SavedFilter>;
  /** Customer managed KMS keys by `<scanType>/<resourceType>`; absent: an AWS owned key. */
  encryptionKeys: Map<string, string>;
}

/** What an account is, in a region, for Inspector. */
export interface Standing {
  organization?: Organization;
  inspectorOrganization?: InspectorOrganization;
  isManagementAccount: boolean;
  isDelegatedAdmin: boolean;
  /** The delegated administrator this account is an associated member of. */
  delegatedAdminAccountId?: string;
}

export class World {
  readonly clock: Clock;
  /** Global: the EventBridge events Inspector has sent. */
  readonly events: EventLog;
  readonly scheduler: Scheduler<WorldTask> = new Scheduler((task) => runTask(this, task));
  /** Global: IAM is not regional. */
  readonly iam = new Iam();
  /** Findings reports, by id. */
  readonly reports = new Map<string, Report>();
  /** SBOM exports of every account and region, by report id. */
  readonly sbom: SbomState = emptySbomState();
  /** Code security integrations, scan configurations and on-demand scans of every account and region. */
  readonly codeSecurity: CodeSecurityState = emptyCodeSecurityState();
  /** CIS scan configurations, scans and scan jobs of every account and region. */
  readonly cis: CisState = emptyCisState();
  /** Where reports are written; the emulator gives a folder or an S3 endpoint. */
  objectStore: ObjectStore = {
    put: () => Promise.reject(new Error('no object store is configured')),
  };
  /** Tags of Inspector resources (filters, CIS and code security configurations), by ARN. */
  readonly tags = new Map<string, Record<string, string>>();
  /** Global: organizations and their accounts. */
  readonly organizations = new Map<string, Organization>();
  /** Counts changes to the state (see `changed`). */
  revision = 0;
  /** Called on every change (persistence listens). */
  onChange?: () => void;
  private readonly accountRegions = new Map<string, AccountRegion>();
  private readonly inspectorOrganizations = new Map<string, InspectorOrganization>();

  constructor(
    readonly options: WorldOptions = DEFAULT_WORLD_OPTIONS,
    /** Global: the vulnerabilities the scanner knows. */
    readonly catalog: VulnerabilityCatalog = new VulnerabilityCatalog(),
    clock: ClockOptions = {},
  ) {
    this.clock = new Clock(clock);
    this.events = new EventLog(() => this.clock.now());
  }

  /** The state of an account in a region; an account Inspector has never seen starts with everything disabled. */
  accountRegion(accountId: string, region: string): AccountRegion {
    const key = `${accountId}/${region}`;
    let state = this.accountRegions.get(key);
    if (!state) {
      state = {
        accountId,
        region,
        enablement: new Enablement(),
        configuration: defaultConfiguration(this.clock.now()),
        coverage: new Map(),
        findings: new FindingMap(),
        usage: new UsageLedger(),
        filters: new Map(),
        encryptionKeys: new Map(),
      };
      this.accountRegions.set(key, state);
    }
    return state;
  }

  allAccountRegions(): AccountRegion[] {
    return [...this.accountRegions.values()];
  }

  /** Every region in which the account's Inspector state exists. */
  regionsOf(accountId: string): AccountRegion[] {
    return [...this.accountRegions.values()].filter((s) => s.accountId === accountId);
  }

  organizationOf(accountId: string): Organization | undefined {
    for (const organization of this.organizations.values()) if (organization.accounts.has(accountId)) return organization;
    return undefined;
  }

  inspectorOrganization(organization: Organization, region: string): InspectorOrganization {
    const key = `${organization.id}/${region}`;
    let state = this.inspectorOrganizations.get(key);
    if (!state) {
      state = new InspectorOrganization(organization, region);
      this.inspectorOrganizations.set(key, state);
    }
    return state;
  }

  allInspectorOrganizations(): InspectorOrganization[] {
    return [...this.inspectorOrganizations.values()];
  }

  /** Inspector's organization state in every region where it exists. */
  inspectorOrganizationsOf(organization: Organization): InspectorOrganization[] {
    return [...this.inspectorOrganizations.values()].filter((s) => s.organization === organization);
  }

  standing(accountId: string, region: string): Standing {
    const organization = this.organizationOf(accountId);
    if (!organization) return { isManagementAccount: false, isDelegatedAdmin: false };
    const inspectorOrganization = this.inspectorOrganization(organization, region);
    const delegatedAdmin = inspectorOrganization.delegatedAdmin;
    return {
      organization,
      inspectorOrganization,
      isManagementAccount: organization.managementAccountId === accountId,
      isDelegatedAdmin: delegatedAdmin?.accountId === accountId,
      ...(delegatedAdmin && inspectorOrganization.isAssociated(accountId) ? { delegatedAdminAccountId: delegatedAdmin.accountId } : {}),
    };
  }

  /**
   * Starts enabling scan types in an account. The first enablement anywhere creates the
   * service-linked role; the types become ENABLED when the transition time has passed.
   */
  enable(state: AccountRegion, types: readonly ScanType[]): void {
    const now = this.clock.nowMs();
    const dueAt = now + this.options.transitionMs;
    // An account-region the seeds say nothing about gets a small generated inventory.
    state.inventory ??= defaultInventory(state.accountId, state.region, this.clock.now());
    for (const type of state.enablement.enable(types, now, dueAt)) {
      this.scheduler.schedule(dueAt, { kind: 'complete-transition', accountId: state.accountId, region: state.region, scanType: type, dueAt });
    }
    this.iam.ensureInspectorRole(state.accountId, this.clock.now());
  }

  /**
   * Starts disabling scan types: their coverage is PENDING_DISABLE until they are DISABLED,
   * then it is gone and their findings are closed.
   */
  disable(state: AccountRegion, types: readonly ScanType[]): void {
    const dueAt = this.clock.nowMs() + this.options.transitionMs;
    for (const type of state.enablement.disable(types, dueAt)) {
      this.scheduler.schedule(dueAt, { kind: 'complete-transition', accountId: state.accountId, region: state.region, scanType: type, dueAt });
    }
    reconcile(this, state);
  }

  /** Runs a task once the transition time has passed. */
  afterTransition(task: WorldTask): void {
    this.scheduler.schedule(this.clock.nowMs() + this.options.transitionMs, task);
  }

  /** The state of an account in a region if Inspector has seen it (a task must not create one). */
  existingAccountRegion(accountId: string, region: string): AccountRegion | undefined {
    return this.accountRegions.get(`${accountId}/${region}`);
  }

  inspectorOrganizationById(organizationId: string, region: string): InspectorOrganization | undefined {
    return this.inspectorOrganizations.get(`${organizationId}/${region}`);
  }

  /**
   * Forgets everything Inspector knows: accounts, organizations' Inspector settings, roles,
   * reports, tags, events and what was scheduled. The caller reloads the seed. The clock and
   * the catalog stay.
   */
  reset(): void {
    this.accountRegions.clear();
    this.inspectorOrganizations.clear();
    this.organizations.clear();
    this.iam.forget();
    this.reports.clear();
    clearSbomExports(this.sbom);
    clearCodeSecurity(this.codeSecurity);
    clearCis(this.cis);
    this.tags.clear();
    this.events.clear();
    this.scheduler.clear();
  }

  /** Forgets one account: its state in every region, its role, reports and tags, its memberships. */
  resetAccount(accountId: string): void {
    for (const [key, state] of this.accountRegions) if (state.accountId === accountId) this.accountRegions.delete(key);
    for (const regional of this.inspectorOrganizations.values()) {
      regional.members.delete(accountId);
      if (regional.delegatedAdmin?.accountId === accountId) {
        regional.delegatedAdmin = undefined;
        regional.members.clear();
      }
    }
    this.iam.forget(accountId);
    for (const [id, report] of this.reports) if (report.accountId === accountId) this.reports.delete(id);
    forgetSbomAccount(this.sbom, accountId);
    forgetCodeSecurityAccount(this.codeSecurity, accountId);
    forgetCisAccount(this.cis, accountId);
    for (const arn of this.tags.keys()) if (arn.split(':')[4] === accountId) this.tags.delete(arn);
    this.scheduler.drop((task) => 'accountId' in task && task.accountId === accountId);
  }

  /** Completes every scheduled transition whose time has come. */
  settle(): void {
    if (this.clock.stopped((now) => this.scheduler.runDue(now)) > 0) this.changed();
  }

  /**
   * Says that the state changed (an operation that writes, a transition, an async
   * completion), so that persistence saves it. Reads need not call it.
   */
  changed(): void {
    this.revision++;
    this.onChange?.();
  }
}
