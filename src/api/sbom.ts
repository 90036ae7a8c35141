// SBOM exports: CreateSbomExport, GetSbomExport, CancelSbomExport.
import { cancelSbomExport, createSbomExport, sbomExportOf } from '../world/findings/sbom.js';
import type { World } from '../world/world.js';
import { checkDestination } from './destination.js';
import type { Handlers } from './types.js';

export function sbomHandlers(world: World): Handlers {
  return {
    CreateSbomExport(input, { caller }) {
      checkDestination(input.s3Destination, 's3Destination');
      const exported = createSbomExport(world, caller, {
        format: input.reportFormat,
        s3Destination: input.s3Destination,
        ...(input.resourceFilterCriteria ? { filterCriteria: input.resourceFilterCriteria } : {}),
      });
      return { reportId: exported.reportId };
    },

    GetSbomExport(input, { caller }) {
      const exported = sbomExportOf(world, caller, input.reportId);
      return {
        reportId: exported.reportId,
        format: exported.format,
        status: exported.status,
        s3Destination: exported.s3Destination,
        ...(exported.filterCriteria ? { filterCriteria: exported.filterCriteria } : {}),
        ...(exported.errorCode ? { errorCode: exported.errorCode, errorMessage: exported.errorMessage! } : {}),
      };
    },

    CancelSbomExport(input, { caller }) {
      cancelSbomExport(world, caller, input.reportId);
      return { reportId: input.reportId };
    },
  };
}
