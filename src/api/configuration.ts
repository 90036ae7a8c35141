// Scan configuration: Get/UpdateConfiguration, EC2 deep inspection (the account's, the
// organization's paths, the members'), and GetClustersForImage.
import type { MemberDeepInspection } from '../world/accounts/settings.js';
import { memberDeepInspection, updateConfiguration, updateDeepInspection, updateOrgDeepInspectionPaths } from '../world/accounts/settings.js';
import { effectiveConfiguration } from '../world/scanning/coverage.js';
import { ecrRepositoryArn } from '../world/scanning/resources.js';
import type { World } from '../world/world.js';
import { paginate } from './pagination.js';
import type { Handlers, Shapes } from './types.js';
import { standingOf } from '../world/accounts/organizations.js';

function deepInspectionState(world: World, accountId: string, region: string): Shapes['GetEc2DeepInspectionConfigurationResponse'] {
  const state = world.accountRegion(accountId, region);
  const organization = standingOf(world, accountId, region).inspectorOrganization;
  return {
    packagePaths: state.configuration.deepInspection.packagePaths,
    orgPackagePaths: organization?.orgPackagePaths ?? [],
    status: state.configuration.deepInspection.activated ? 'ACTIVATED' : 'DEACTIVATED',
  };
}

function memberStates(results: MemberDeepInspection[], world: World, region: string) {
  return {
    accountIds: results
      .filter((r) => r.failure === undefined)
      .map((r) => ({ accountId: r.accountId, status: r.activated ? ('ACTIVATED' as const) : ('DEACTIVATED' as const) })),
    failedAccountIds: results
      .filter((r) => r.failure !== undefined)
      .map((r) => ({ accountId: r.accountId, ec2ScanStatus: world.accountRegion(r.accountId, region).enablement.status('EC2'), errorMessage: r.failure! })),
  };
}

export function configurationHandlers(world: World): Handlers {
  return {
    GetConfiguration(_input, { caller }) {
      const state = world.accountRegion(caller.accountId, caller.region);
      const configuration = effectiveConfiguration(world, state);
      const now = world.clock.nowMs();
      const pending = (until: number | undefined) => (until !== undefined && until > now ? ('PENDING' as const) : ('SUCCESS' as const));
      return {
        ecrConfiguration: {
          rescanDurationState: {
            rescanDuration: configuration.ecr.rescanDuration,
            status: pending(configuration.pending.ecrUntil),
            updatedAt: configuration.ecr.updatedAt,
            pullDateRescanDuration: configuration.ecr.pullDateRescanDuration,
            pullDateRescanMode: configuration.ecr.pullDateRescanMode,
          },
        },
        ec2Configuration: { scanModeState: { scanMode: configuration.ec2.scanMode, scanModeStatus: pending(configuration.pending.ec2Until) } },
      };
    },

    UpdateConfiguration(input, { caller }) {
      updateConfiguration(world, caller, {
        ...(input.ecrConfiguration ? { ecr: input.ecrConfiguration } : {}),
        ...(input.ec2Configuration ? { ec2: input.ec2Configuration } : {}),
      });
      return {};
    },

    GetEc2DeepInspectionConfiguration: (_input, { caller }) => deepInspectionState(world, caller.accountId, caller.region),

    UpdateEc2DeepInspectionConfiguration(input, { caller }) {
      updateDeepInspection(world, caller, {
        ...(input.activateDeepInspection !== undefined ? { activate: input.activateDeepInspection } : {}),
        ...(input.packagePaths !== undefined ? { packagePaths: input.packagePaths } : {}),
      });
      return deepInspectionState(world, caller.accountId, caller.region);
    },

    UpdateOrgEc2DeepInspectionConfiguration(input, { caller }) {
      updateOrgDeepInspectionPaths(world, caller, input.orgPackagePaths);
      return {};
    },

    BatchGetMemberEc2DeepInspectionStatus(input, { caller }) {
      const accountIds = input.accountIds?.length ? input.accountIds : [caller.accountId];
      return memberStates(
        memberDeepInspection(
          world,
          caller,
          accountIds.map((accountId) => ({ accountId })),
        ),
        world,
        caller.region,
      );
    },

    BatchUpdateMemberEc2DeepInspectionStatus(input, { caller }) {
      const changes = input.accountIds.map((a) => ({ accountId: a.accountId, activate: a.activateDeepInspection }));
      return memberStates(memberDeepInspection(world, caller, changes), world, caller.region);
    },

    GetClustersForImage(input, { caller, operation }) {
      // The filter names a repository, or one image of it (repository ARN + /sha256:...).
      const state = world.accountRegion(caller.accountId, caller.region);
      const wanted = input.filter.resourceId;
      const clusters = (state.inventory?.clusters ?? [])
        .map((cluster) => ({
          cluster,
          running: cluster.images.filter((image) => {
            const repositoryArn = ecrRepositoryArn(state, image.repository);
            return wanted === repositoryArn || wanted === `${repositoryArn}/${image.digest}`;
          }),
        }))
        .filter((c) => c.running.length > 0);
      const page = paginate(operation, clusters, (c) => c.cluster.arn, input, 100);
      return {
        cluster: page.items.map(({ cluster, running }) => ({
          clusterArn: cluster.arn,
          clusterDetails: [
            {
              lastInUse: world.clock.now(),
              runningUnitCount: running.length,
              stoppedUnitCount: 0,
              clusterMetadata: cluster.arn.includes(':ecs:')
                ? { awsEcsMetadataDetails: { detailsGroup: 'service', taskDefinitionArn: `${cluster.arn.replace(':cluster/', ':task-definition/')}:1` } }
                : {
                    awsEksMetadataDetails: { namespace: 'default', workloadInfoList: running.map((image) => ({ name: image.repository, type: 'Deployment' })) },
                  },
            },
          ],
        })),
        nextToken: page.nextToken,
      };
    },
  };
}
