// What Inspector tells about a finding beyond the finding itself: BatchGetFindingDetails
// (threat intelligence from the data set: KEV, exploit tools, ATT&CK, EPSS), BatchGetCodeSnippet (the code a code finding
// points at), and SearchVulnerabilities (the catalog's entry for a CVE).
import { intelligenceOf } from '../world/scanning/intelligence.js';
import type { Finding } from '../world/findings/documents.js';
import { visibleAccountRegions } from '../world/findings/query.js';
import { codeIssueOf } from '../world/scanning/resources.js';
import type { AccountRegion, World } from '../world/world.js';
import type { Handlers, Shapes } from './types.js';

function visibleFinding(world: World, accountId: string, region: string, arn: string): { state: AccountRegion; finding: Finding } | undefined {
  for (const state of visibleAccountRegions(world, accountId, region)) {
    const finding = state.findings.get(arn);
    if (finding) return { state, finding };
  }
  return undefined;
}

export function findingDetailHandlers(world: World): Handlers {
  return {
    BatchGetFindingDetails(input, { caller }) {
      const findingDetails: Shapes['FindingDetail'][] = [];
      const errors: Shapes['FindingDetailsError'][] = [];
      for (const findingArn of input.findingArns) {
        const found = visibleFinding(world, caller.accountId, caller.region, findingArn);
        const id = found?.finding.packageVulnerabilityDetails?.vulnerabilityId;
        const vulnerability = id ? world.catalog.get(id) : undefined;
        if (found?.finding.type === 'CODE_VULNERABILITY') {
          findingDetails.push({
            findingArn,
            cwes: found.finding.codeVulnerabilityDetails!.cwes,
            referenceUrls: found.finding.codeVulnerabilityDetails!.referenceUrls ?? [],
          });
        } else if (vulnerability) {
          const { references, ...intelligence } = intelligenceOf(world.catalog, vulnerability.id);
          findingDetails.push({
            findingArn,
            cwes: vulnerability.cwes,
            referenceUrls: [...new Set([...vulnerability.references, ...references])],
            ...intelligence,
          });
        } else {
          errors.push({ findingArn, errorCode: 'FINDING_DETAILS_NOT_FOUND', errorMessage: `No details are available for ${findingArn}.` });
        }
      }
      return { findingDetails, errors };
    },

    BatchGetCodeSnippet(input, { caller }) {
      const codeSnippetResults: Shapes['CodeSnippetResult'][] = [];
      const errors: Shapes['CodeSnippetError'][] = [];
      for (const findingArn of input.findingArns) {
        const found = visibleFinding(world, caller.accountId, caller.region, findingArn);
        const issue = found ? codeIssueOf(found.state, found.finding) : undefined;
        if (!issue) {
          errors.push({ findingArn, errorCode: 'CODE_SNIPPET_NOT_FOUND', errorMessage: `${findingArn} is not a code finding the caller can see.` });
          continue;
        }
        codeSnippetResults.push({
          findingArn,
          startLine: issue.startLine,
          endLine: issue.endLine,
          codeSnippet: issue.code.map((content, i) => ({ content, lineNumber: issue.startLine + i })),
          ...(issue.suggestedFix ? { suggestedFixes: [{ description: issue.suggestedFix }] } : {}),
        });
      }
      return { codeSnippetResults, errors };
    },

    SearchVulnerabilities(input) {
      const vulnerabilities: Shapes['Vulnerability'][] = [];
      for (const id of input.filterCriteria.vulnerabilityIds) {
        const vulnerability = world.catalog.get(id);
        if (!vulnerability) continue;
        const { cisaData, exploitObserved, epssScore } = intelligenceOf(world.catalog, id);
        vulnerabilities.push({
          id,
          cwes: vulnerability.cwes,
          source: 'NVD',
          description: vulnerability.description,
          vendorSeverity: vulnerability.severity,
          cvss3: { baseScore: vulnerability.cvss3.baseScore, scoringVector: vulnerability.cvss3.vector },
          vendorCreatedAt: new Date(`${vulnerability.published}T00:00:00Z`),
          sourceUrl: `https://nvd.nist.gov/vuln/detail/${id}`,
          referenceUrls: vulnerability.references,
          ...(cisaData ? { cisaData } : {}),
          ...(exploitObserved ? { exploitObserved } : {}),
          ...(epssScore !== undefined ? { epss: { score: epssScore } } : {}),
        });
      }
      return { vulnerabilities };
    },
  };
}
