// CIS scans: scan configurations (Create/Update/Delete/ListCisScanConfigurations), the scans
// they run (ListCisScans), their results (GetCisScanResultDetails,
// ListCisScanResultsAggregatedByChecks, ListCisScanResultsAggregatedByTargetResource,
// GetCisScanReport), and the sessions through which the SSM plugin on an instance reports a
// scan job (Start/StopCisSession, SendCisSessionHealth, SendCisSessionTelemetry). The rules
// are the world's (world/cis/scans.ts, world/cis/query.ts); this file maps shapes and tags.
import { checkDescription, levelOf } from '../world/cis/checks.js';
import {
  checkAggregateDescription,
  checkAggregateOrder,
  checkAggregates,
  cisScanReport,
  configurationOrder,
  filterConfigurations,
  filterResultDetails,
  filterScans,
  filterTargets,
  readableScan,
  resultDetailOrder,
  resultDetails,
  scanCounts,
  scanOrder,
  targetCounts,
  targetOrder,
  targetTagsOf,
  visibleScans,
} from '../world/cis/query.js';
import {
  configurationsOf,
  createConfiguration,
  deleteConfiguration,
  resolvedTargets,
  sessionHealth,
  sessionTelemetry,
  startSession,
  stopSession,
  updateConfiguration,
  type CisScanConfigurationRecord,
} from '../world/cis/scans.js';
import type { World } from '../world/world.js';
import { paginate } from './pagination.js';
import { refuseReservedTagKeys, tagsMember } from './tags.js';
import type { Handlers, Shapes } from './types.js';
import { setTags } from '../world/accounts/tags.js';

/** ListCisScans answers at most 50 scans a page (the model's CisScanList). */
const MAX_SCANS_PER_PAGE = 50;

function configurationShape(world: World, configuration: CisScanConfigurationRecord): Shapes['CisScanConfiguration'] {
  return {
    scanConfigurationArn: configuration.arn,
    ownerId: configuration.ownerId,
    scanName: configuration.scanName,
    securityLevel: configuration.securityLevel,
    schedule: configuration.schedule,
    targets: resolvedTargets(world, configuration),
    ...tagsMember(world, configuration.arn),
  };
}

/** A list the model says is never empty is left out when it would be. */
function nonEmpty<K extends string, T>(name: K, items: T[]): { [P in K]?: T[] } {
  return (items.length ? { [name]: items } : {}) as { [P in K]?: T[] };
}

export function cisHandlers(world: World): Handlers {
  return {
    CreateCisScanConfiguration(input, { caller }) {
      refuseReservedTagKeys(input.tags, 'ValidationException');
      const configuration = createConfiguration(world, caller, {
        scanName: input.scanName,
        securityLevel: input.securityLevel,
        schedule: input.schedule,
        accountIds: input.targets.accountIds,
        targetResourceTags: input.targets.targetResourceTags,
      });
      if (input.tags && Object.keys(input.tags).length) setTags(world, configuration.arn, { ...input.tags });
      return { scanConfigurationArn: configuration.arn };
    },

    UpdateCisScanConfiguration(input, { caller }) {
      const configuration = updateConfiguration(world, caller, input.scanConfigurationArn, {
        ...(input.scanName !== undefined ? { scanName: input.scanName } : {}),
        ...(input.securityLevel ? { securityLevel: input.securityLevel } : {}),
        ...(input.schedule ? { schedule: input.schedule } : {}),
        ...(input.targets?.accountIds ? { accountIds: input.targets.accountIds } : {}),
        ...(input.targets?.targetResourceTags ? { targetResourceTags: input.targets.targetResourceTags } : {}),
      });
      return { scanConfigurationArn: configuration.arn };
    },

    DeleteCisScanConfiguration(input, { caller }) {
      deleteConfiguration(world, caller, input.scanConfigurationArn);
      return { scanConfigurationArn: input.scanConfigurationArn };
    },

    ListCisScanConfigurations(input, { caller, operation }) {
      const configurations = filterConfigurations(configurationsOf(world, caller), input.filterCriteria);
      const order = configurationOrder(input.sortBy, input.sortOrder);
      const page = paginate(`${operation}(${order.name})`, configurations, order.keyOf, input, 100);
      return { scanConfigurations: page.items.map((c) => configurationShape(world, c)), nextToken: page.nextToken };
    },

    ListCisScans(input, { caller, operation }) {
      const views = filterScans(visibleScans(world, caller, input.detailLevel), input.filterCriteria);
      const size = Math.min(input.maxResults ?? MAX_SCANS_PER_PAGE, MAX_SCANS_PER_PAGE);
      const order = scanOrder(input.sortBy, input.sortOrder);
      const page = paginate(`${operation}(${order.name})`, views, order.keyOf, { ...input, maxResults: size }, MAX_SCANS_PER_PAGE);
      return {
        scans: page.items.map((view): Shapes['CisScan'] => ({
          scanArn: view.scan.scanArn,
          scanConfigurationArn: view.scan.configurationArn,
          status: view.scan.status,
          scanName: view.scan.scanName,
          scanDate: view.scan.scanDate,
          ...scanCounts(view),
          targets: { accountIds: [...view.scan.targets.accountIds], targetResourceTags: structuredClone(view.scan.targets.targetResourceTags) },
          scheduledBy: view.scan.ownerId,
          securityLevel: view.scan.securityLevel,
        })),
        nextToken: page.nextToken,
      };
    },

    GetCisScanResultDetails(input, { caller, operation }) {
      const view = readableScan(world, caller, input.scanArn, 'Invalid');
      const details = filterResultDetails(resultDetails(view, input.accountId, input.targetResourceId), input.filterCriteria);
      const order = resultDetailOrder(input.sortBy, input.sortOrder);
      const page = paginate(`${operation}(${order.name})`, details, order.keyOf, input, 1000);
      return {
        ...nonEmpty(
          'scanResultDetails',
          page.items.map((d): Shapes['CisScanResultDetails'] => ({
            scanArn: view.scan.scanArn,
            accountId: d.target.accountId,
            targetResourceId: d.target.instanceId,
            platform: d.target.platform,
            status: d.result.status,
            statusReason: d.result.statusReason,
            checkId: d.check.id,
            title: d.check.title,
            checkDescription: checkDescription(d.benchmark, d.check),
            remediation: d.check.remediation,
            level: levelOf(d.check),
            findingArn: d.findingArn,
          })),
        ),
        nextToken: page.nextToken,
      };
    },

    ListCisScanResultsAggregatedByChecks(input, { caller, operation }) {
      const view = readableScan(world, caller, input.scanArn, 'Invalid');
      const aggregates = checkAggregates(view, input.filterCriteria);
      const order = checkAggregateOrder(input.sortBy, input.sortOrder);
      const page = paginate(`${operation}(${order.name})`, aggregates, order.keyOf, input, 100);
      return {
        ...nonEmpty(
          'checkAggregations',
          page.items.map((a): Shapes['CisCheckAggregation'] => ({
            scanArn: view.scan.scanArn,
            checkId: a.check.id,
            title: a.check.title,
            checkDescription: checkAggregateDescription(a),
            level: levelOf(a.check),
            // An aggregate over one account's instances names it.
            ...(a.accountIds.size === 1 ? { accountId: [...a.accountIds][0]! } : {}),
            statusCounts: { ...a.counts },
            platform: a.platform,
          })),
        ),
        nextToken: page.nextToken,
      };
    },

    ListCisScanResultsAggregatedByTargetResource(input, { caller, operation }) {
      const view = readableScan(world, caller, input.scanArn, 'Invalid');
      const targets = filterTargets(view, input.filterCriteria);
      const order = targetOrder(input.sortBy, input.sortOrder);
      const page = paginate(`${operation}(${order.name})`, targets, order.keyOf, input, 100);
      return {
        ...nonEmpty(
          'targetResourceAggregations',
          page.items.map((t): Shapes['CisTargetResourceAggregation'] => {
            const tags = targetTagsOf(view, t);
            return {
              scanArn: view.scan.scanArn,
              targetResourceId: t.instanceId,
              accountId: t.accountId,
              ...(Object.keys(tags).length ? { targetResourceTags: tags } : {}),
              statusCounts: targetCounts(t),
              platform: t.platform,
              ...(t.targetStatus ? { targetStatus: t.targetStatus } : {}),
              ...(t.targetStatusReason ? { targetStatusReason: t.targetStatusReason } : {}),
            };
          }),
        ),
        nextToken: page.nextToken,
      };
    },

    async GetCisScanReport(input, { caller }) {
      const report = await cisScanReport(world, caller, input.scanArn, input.reportFormat ?? 'PDF', input.targetAccounts);
      return { status: report.status, ...(report.url ? { url: report.url } : {}) };
    },

    StartCisSession(input, { caller }) {
      startSession(world, caller, input.scanJobId, input.message.sessionToken);
      return {};
    },

    SendCisSessionHealth(input, { caller }) {
      sessionHealth(world, caller, input.scanJobId, input.sessionToken);
      return {};
    },

    SendCisSessionTelemetry(input, { caller }) {
      sessionTelemetry(
        world,
        caller,
        input.scanJobId,
        input.sessionToken,
        input.messages.map((m) => ({ ruleId: m.ruleId, status: m.status })),
      );
      return {};
    },

    StopCisSession(input, { caller }) {
      stopSession(world, caller, input.scanJobId, input.sessionToken, input.message);
      return {};
    },
  };
}
