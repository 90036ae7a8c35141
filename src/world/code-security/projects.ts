// What the scanner reads about code security projects: how each is scanned (its scan
// configurations and latest on-demand scan) and with which rule sets. It only reads the
// state, so it imports neither the scanner nor the accounts (they import it).
import type { components } from '../../../openapi/inspector2.js';
import type { CodeRepository } from '../inventory/inventory.js';
import type { AccountRegion, World } from '../world.js';
import { regionScanConfigurations, type CodeScanConfiguration, type RuleSetCategory } from './state.js';

type Shapes = components['schemas'];
type CodeRepositoryMetadata = Shapes['CodeRepositoryMetadata'];

const ALL_RULE_SETS: readonly RuleSetCategory[] = ['SAST', 'IAC', 'SCA'];

/** The scan configurations associated with a project: its account's, and its delegated administrator's (in any account of the region). */
export function configurationsOfProject(world: World, region: string, projectId: string): CodeScanConfiguration[] {
  return regionScanConfigurations(world, region).filter((c) => c.projectIds.has(projectId));
}

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
    .map((c) => ({
      frequencyExpression: c.configuration.periodicScanConfiguration!.frequencyExpression!,
      ruleSetCategories: c.configuration.ruleSetCategories,
    }));
  const continuous = configurations.flatMap((c) =>
    (c.configuration.continuousIntegrationScanConfiguration?.supportedEvents ?? []).map((supportedEvent) => ({
      supportedEvent,
      ruleSetCategories: c.configuration.ruleSetCategories,
    })),
  );
  const latest = [...state.codeSecurity.scans.values()].filter((s) => s.projectId === repository.projectId).at(-1);
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
