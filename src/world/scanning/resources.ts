// The names the scanner gives the resources it covers (their ARNs and ids), and the
// inventory found again by those names.
import type { Finding } from '../findings/documents.js';
import type { CodeIssue, CodeRepository, EcrImage, EcrRepository } from '../inventory/inventory.js';
import type { AccountRegion } from '../world.js';
import { arnOf } from '../platform/partition.js';

export function ecrRepositoryArn(state: AccountRegion, repository: string): string {
  return arnOf('ecr', state.region, state.accountId, `repository/${repository}`);
}

export function lambdaFunctionArn(state: AccountRegion, name: string): string {
  return arnOf('lambda', state.region, state.accountId, `function:${name}:$LATEST`);
}

/** A code repository's resource id: its integration's ARN and its project id. */
export function codeRepositoryId(repository: CodeRepository): string {
  return `${repository.integrationArn}/${repository.projectId}`;
}

export function findCodeRepository(state: AccountRegion, resourceId: string): CodeRepository | undefined {
  return state.inventory?.codeRepositories?.find((r) => codeRepositoryId(r) === resourceId);
}

export function findImage(state: AccountRegion, imageArn: string): { repository: EcrRepository; image: EcrImage } | undefined {
  for (const repository of state.inventory?.ecrRepositories ?? []) {
    const prefix = `${ecrRepositoryArn(state, repository.name)}/`;
    if (!imageArn.startsWith(prefix)) continue;
    const image = repository.images.find((i) => i.digest === imageArn.slice(prefix.length));
    if (image) return { repository, image };
  }
  return undefined;
}

/** The code issue behind a code finding, from the function's or the repository's code. */
export function codeIssueOf(state: AccountRegion, finding: Finding): CodeIssue | undefined {
  const details = finding.codeVulnerabilityDetails;
  const resource = finding.resources[0];
  if (!details || !resource) return undefined;
  const repository = resource.type === 'CODE_REPOSITORY' ? findCodeRepository(state, resource.id) : undefined;
  const issues =
    resource.type === 'AWS_LAMBDA_FUNCTION'
      ? state.inventory?.lambdaFunctions.find((f) => lambdaFunctionArn(state, f.name) === resource.id)?.codeIssues
      : repository && [...repository.codeIssues, ...repository.iacIssues];
  return issues?.find(
    (issue) => issue.detectorId === details.detectorId && issue.filePath === details.filePath.filePath && issue.startLine === details.filePath.startLine,
  );
}
