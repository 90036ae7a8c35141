// Findings reports: CreateFindingsReport, GetFindingsReportStatus, CancelFindingsReport.
import { cancelReport, createReport, reportOf } from '../world/findings/reports.js';
import type { World } from '../world/world.js';
import { checkDestination } from './destination.js';
import type { Handlers } from './types.js';

export function reportHandlers(world: World): Handlers {
  return {
    CreateFindingsReport(input, { caller }) {
      checkDestination(input.s3Destination, 's3Destination');
      const report = createReport(world, caller, {
        format: input.reportFormat,
        destination: input.s3Destination,
        ...(input.filterCriteria ? { filterCriteria: input.filterCriteria } : {}),
      });
      return { reportId: report.reportId };
    },

    GetFindingsReportStatus(input, { caller }) {
      const report = reportOf(world, caller, input.reportId);
      return {
        reportId: report.reportId,
        status: report.status,
        destination: report.destination,
        ...(report.filterCriteria ? { filterCriteria: report.filterCriteria } : {}),
        ...(report.errorCode ? { errorCode: report.errorCode, errorMessage: report.errorMessage! } : {}),
      };
    },

    CancelFindingsReport(input, { caller }) {
      cancelReport(world, caller, input.reportId);
      return { reportId: input.reportId };
    },
  };
}
