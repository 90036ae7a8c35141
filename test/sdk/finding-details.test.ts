// BatchGetFindingDetails, BatchGetCodeSnippet and SearchVulnerabilities through the SDK v3.
import {
  BatchGetCodeSnippetCommand,
  BatchGetFindingDetailsCommand,
  EnableCommand,
  ListFindingsCommand,
  SearchVulnerabilitiesCommand,
  type Finding,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, startTestServer } from '../helpers.js';

describe('finding details', () => {
  let server: RunningServer;
  let findings: Finding[];
  const client = () => inspectorClient(server.url, { accountId: '750000000005', region: 'eu-west-1' });
  const byType = (type: string, vulnerability?: string) =>
    findings.find((f) => f.type === type && (!vulnerability || f.packageVulnerabilityDetails?.vulnerabilityId === vulnerability))!;
  beforeAll(async () => {
    server = await startTestServer();
    await client().send(new EnableCommand({ resourceTypes: ['EC2', 'LAMBDA', 'LAMBDA_CODE'] }));
    findings = [];
    let nextToken: string | undefined;
    do {
      const page = await client().send(new ListFindingsCommand({ nextToken }));
      findings.push(...(page.findings ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  });
  afterAll(() => server.close());

  it('gives a package finding the catalog’s threat intelligence, and errors for the rest', async () => {
    const log4shell = byType('PACKAGE_VULNERABILITY', 'CVE-2021-44228');
    const unknown = 'arn:aws:inspector2:eu-west-1:750000000005:finding/00000000000000000000000000000000';
    const result = await client().send(new BatchGetFindingDetailsCommand({ findingArns: [log4shell.findingArn!, unknown] }));
    expect(result.findingDetails).toEqual([
      expect.objectContaining({
        findingArn: log4shell.findingArn,
        cwes: expect.arrayContaining(['CWE-502']),
        cisaData: expect.objectContaining({ dateAdded: new Date('2021-12-10T00:00:00Z') }),
        epssScore: expect.any(Number),
      }),
    ]);
    expect(result.errors).toEqual([expect.objectContaining({ findingArn: unknown, errorCode: 'FINDING_DETAILS_NOT_FOUND' })]);
  });

  it('shows the code a code finding points at', async () => {
    const code = byType('CODE_VULNERABILITY');
    const network = byType('NETWORK_REACHABILITY');
    const result = await client().send(new BatchGetCodeSnippetCommand({ findingArns: [code.findingArn!, network.findingArn!] }));
    expect(result.codeSnippetResults).toEqual([
      {
        findingArn: code.findingArn,
        startLine: 12,
        endLine: 12,
        codeSnippet: [{ content: 'DB_PASSWORD = "hunter2-prod"', lineNumber: 12 }],
        suggestedFixes: [{ description: expect.stringContaining('Secrets Manager') }],
      },
    ]);
    expect(result.errors).toEqual([expect.objectContaining({ findingArn: network.findingArn, errorCode: 'CODE_SNIPPET_NOT_FOUND' })]);
  });

  it('finds a vulnerability in the catalog, and nothing for one it does not know', async () => {
    const found = await client().send(new SearchVulnerabilitiesCommand({ filterCriteria: { vulnerabilityIds: ['CVE-2021-44228'] } }));
    expect(found.vulnerabilities).toEqual([
      expect.objectContaining({
        id: 'CVE-2021-44228',
        source: 'NVD',
        vendorSeverity: 'CRITICAL',
        cvss3: { baseScore: 10, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
        sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      }),
    ]);
    const none = await client().send(new SearchVulnerabilitiesCommand({ filterCriteria: { vulnerabilityIds: ['CVE-2000-99999'] } }));
    expect(none.vulnerabilities).toEqual([]);
  });
});
