// The local console (/_inspector2/ui) in headless Chromium, driven by playwright-core: its
// numbers against what the SDK gets from the same emulator, the finding details, the
// findings filters and pages, coverage, Enable/Disable from the Accounts page, and no
// request leaving the emulator's origin. Screenshots go to test-artifacts/ui/.
import { mkdirSync } from 'node:fs';
import {
  AssociateMemberCommand,
  BatchGetAccountStatusCommand,
  EnableCommand,
  EnableDelegatedAdminAccountCommand,
  ListCoverageCommand,
  ListFindingAggregationsCommand,
  ListFindingsCommand,
  type CoveredResource,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { CHROMIUM, chromiumMissing, control, inspectorClient, listAllFindings, ORG, skipWithout, startTestServer } from '../helpers.js';

const noChromium = skipWithout('Chromium', chromiumMissing());
const ARTIFACTS = 'test-artifacts/ui';
const WORKLOAD = ORG.production;
const SCAN_TYPES = ['EC2', 'ECR', 'LAMBDA', 'LAMBDA_CODE'] as const;

/** A page of the console with every request it made and every script error it had. */
interface ConsolePage {
  page: Page;
  requests: string[];
  errors: string[];
}

describe.skipIf(noChromium)('the local console', () => {
  let server: RunningServer;
  let browser: Browser;
  let workload: Inspector2Client;

  beforeAll(async () => {
    server = await startTestServer();
    workload = inspectorClient(server.url, { accountId: WORKLOAD });
    await workload.send(new EnableCommand({ resourceTypes: [...SCAN_TYPES] }));
    // An organization with a delegated administrator and one member, for the Accounts page.
    await inspectorClient(server.url, { accountId: ORG.management }).send(
      new EnableDelegatedAdminAccountCommand({ delegatedAdminAccountId: ORG.securityTooling }),
    );
    await inspectorClient(server.url, { accountId: ORG.securityTooling }).send(new AssociateMemberCommand({ accountId: WORKLOAD }));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path: string, url = server.url): Promise<ConsolePage> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => errors.push(error.message));
    // The browser logs every 4xx answer; those the API is expected to give (ListMembers for a non-administrator) are not script errors.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    await page.goto(`${url}/_inspector2/ui/${path}`);
    return { page, requests, errors };
  }

  const ready = (page: Page, testId: string) => page.waitForSelector(`[data-testid="${testId}"][data-state="ready"]`);
  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').trim();
  const number = async (page: Page, testId: string) => Number((await text(page, testId)).replace(/,/g, ''));
  /** An attribute of every element a test id names, in page order. */
  const attributes = (page: Page, testId: string, name: string) =>
    page.getByTestId(testId).evaluateAll((elements, attribute) => elements.map((element) => element.getAttribute(attribute) ?? ''), name);
  /** Does `action`, then waits until the element a test id names is replaced by a new one, loaded. */
  const replacing = async (page: Page, testId: string, action: () => Promise<unknown>) => {
    const before = await page.getByTestId(testId).first().elementHandle();
    await action();
    await before.waitForElementState('hidden');
    await ready(page, testId);
  };
  /** Waits until the page's hash contains `part` (hash changes are not navigations). */
  const hashIncludes = (page: Page, part: string) => page.waitForFunction((p) => (globalThis as any).location.hash.includes(p), part);
  /** Waits until a test id's text contains `part`. */
  const textIncludes = (page: Page, testId: string, part: string) =>
    page.waitForFunction(([id, p]) => (globalThis as any).document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(p), [testId, part] as const);

  it('shows the dashboard numbers the API gives, and a critical finding opens its details', async () => {
    const { page, errors } = await open(`#/dashboard?account=${WORKLOAD}`);
    await ready(page, 'severity-summary');

    const aggregation = await workload.send(new ListFindingAggregationsCommand({ aggregationType: 'ACCOUNT' }));
    const counts = aggregation.responses!.map((r) => r.accountAggregation!.severityCounts!);
    const sum = (key: 'critical' | 'high' | 'medium' | 'all') => counts.reduce((total, c) => total + (c[key] ?? 0), 0);
    expect(sum('critical')).toBeGreaterThan(0);
    expect(await number(page, 'severity-count-critical')).toBe(sum('critical'));
    expect(await number(page, 'severity-count-high')).toBe(sum('high'));
    expect(await number(page, 'severity-count-medium')).toBe(sum('medium'));
    expect(await number(page, 'severity-count-all')).toBe(sum('all'));
    expect(await text(page, 'account-name')).toContain('workload-production');

    // The critical list: ListFindings' CRITICAL and ACTIVE findings, highest score first.
    await ready(page, 'critical-findings');
    const critical = await workload.send(
      new ListFindingsCommand({
        maxResults: 10,
        filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'CRITICAL' }], findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] },
        sortCriteria: { field: 'INSPECTOR_SCORE', sortOrder: 'DESC' },
      }),
    );
    const listed = await attributes(page, 'critical-finding', 'data-finding-arn');
    expect(listed).toEqual(critical.findings!.map((f) => f.findingArn));

    // Coverage: each resource type's count is the number of ListCoverage rows of that type.
    await ready(page, 'coverage-summary');
    const rows: CoveredResource[] = [];
    let nextToken: string | undefined;
    do {
      const output = await workload.send(new ListCoverageCommand({ nextToken }));
      rows.push(...(output.coveredResources ?? []));
      nextToken = output.nextToken;
    } while (nextToken);
    for (const type of ['AWS_EC2_INSTANCE', 'AWS_ECR_CONTAINER_IMAGE', 'AWS_LAMBDA_FUNCTION']) {
      const item = page.getByTestId(`coverage-${type}`);
      expect(Number(await item.getAttribute('data-total'))).toBe(rows.filter((r) => r.resourceType === type).length);
      expect(Number(await item.getAttribute('data-active'))).toBe(rows.filter((r) => r.resourceType === type && r.scanStatus?.statusCode === 'ACTIVE').length);
    }

    // The most vulnerable packages: the one with the most critical findings comes first.
    await ready(page, 'top-packages');
    const packages = await workload.send(
      new ListFindingAggregationsCommand({
        aggregationType: 'PACKAGE',
        aggregationRequest: { packageAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } },
        maxResults: 100,
      }),
    );
    const mostCritical = Math.max(...packages.responses!.map((r) => r.packageAggregation!.severityCounts?.critical ?? 0));
    const firstRow = page.getByTestId('top-packages').getByTestId('top-row').first();
    expect(Number(await firstRow.locator('td').nth(1).textContent())).toBe(mostCritical);
    for (const list of ['top-images', 'top-instances', 'top-functions']) await ready(page, list);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

    // A package vulnerability from the critical list opens in the findings page's detail pane.
    const item = page.locator('[data-testid="critical-finding"][data-finding-type="PACKAGE_VULNERABILITY"]').first();
    const findingArn = (await item.getAttribute('data-finding-arn'))!;
    await item.locator('a.finding-link').click();
    await ready(page, 'finding-detail');
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/findings/${findingArn}`);
    const finding = (await workload.send(new ListFindingsCommand({ filterCriteria: { findingArn: [{ comparison: 'EQUALS', value: findingArn }] } })))
      .findings![0]!;
    const vulnerability = finding.packageVulnerabilityDetails!;
    expect(await text(page, 'detail-title')).toBe(finding.title);
    expect(await text(page, 'detail-severity')).toBe('Critical');
    expect(await text(page, 'detail-vulnerability-id')).toBe(vulnerability.vulnerabilityId);
    expect(await text(page, 'detail-score')).toBe(finding.inspectorScore!.toFixed(1));
    expect(await text(page, 'detail-description')).toBe(finding.description);
    const packageNames = await page.getByTestId('package-name').allTextContents();
    expect(packageNames).toEqual(vulnerability.vulnerablePackages!.map((p) => p.name));
    const affected = vulnerability.vulnerablePackages![0]!;
    const packageBlock = await text(page, 'detail-package');
    for (const value of [affected.version, affected.fixedInVersion, affected.remediation, affected.filePath]) if (value) expect(packageBlock).toContain(value);
    const breakdown = await text(page, 'detail-score-breakdown');
    const adjusted = finding.inspectorScoreDetails!.adjustedCvss!;
    expect(breakdown).toContain(adjusted.scoringVector);
    for (const adjustment of adjusted.adjustments ?? []) expect(breakdown).toContain(adjustment.reason);
    expect(await page.getByTestId('detail-source-url').getAttribute('href')).toBe(vulnerability.sourceUrl);
    expect(await text(page, 'detail-references')).toContain(vulnerability.referenceUrls![0]);
    expect(await text(page, 'detail-fix')).toBe(finding.fixAvailable === 'YES' ? 'Yes' : finding.fixAvailable === 'PARTIAL' ? 'Partial' : 'No');
    expect(await text(page, 'detail-resources')).toContain(finding.resources![0]!.id);
    // The row of the open finding is marked in the table beside the pane, when it is on the first page.
    await ready(page, 'findings-table');
    await page.screenshot({ path: `${ARTIFACTS}/finding-details.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('filters the findings table by severity, and pages through it with nextToken', async () => {
    const { page, errors } = await open(`#/findings?account=${WORKLOAD}`);
    await ready(page, 'findings-table');
    await page.getByTestId('filter-severity').selectOption('HIGH');
    await replacing(page, 'findings-table', () => page.getByTestId('apply-filters').click());
    expect(new URL(page.url()).hash).toContain('severity=HIGH');

    const high = await listAllFindings(workload, {
      severity: [{ comparison: 'EQUALS', value: 'HIGH' }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    });
    expect(high.length).toBeGreaterThan(25);
    const shown: string[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const severities = await attributes(page, 'finding-row', 'data-severity');
      expect(severities.length).toBeGreaterThan(0);
      expect(severities.every((s) => s === 'HIGH')).toBe(true);
      shown.push(...(await attributes(page, 'finding-row', 'data-finding-arn')));
      expect(await text(page, 'page-number')).toContain(`Page ${pageNumber}`);
      if (await page.getByTestId('next-page').isDisabled()) break;
      await page.getByTestId('next-page').click();
      await textIncludes(page, 'page-number', `Page ${pageNumber + 1}`);
      await ready(page, 'findings-table');
    }
    // Every HIGH finding once, in the API's order (severity, then the API's tie-break).
    const sorted = await listAllFindings(workload, {
      severity: [{ comparison: 'EQUALS', value: 'HIGH' }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    });
    expect(new Set(shown)).toEqual(new Set(sorted.map((f) => f.findingArn)));
    expect(shown).toHaveLength(high.length);

    // Sorting by last observed asks the API for that order.
    await replacing(page, 'findings-table', () => page.getByTestId('sort-LAST_OBSERVED_AT').click());
    expect(new URL(page.url()).hash).toContain('sort=LAST_OBSERVED_AT');
    const byDate = await workload.send(
      new ListFindingsCommand({
        maxResults: 25,
        filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'HIGH' }], findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] },
        sortCriteria: { field: 'LAST_OBSERVED_AT', sortOrder: 'DESC' },
      }),
    );
    const firstPage = await attributes(page, 'finding-row', 'data-finding-arn');
    expect(firstPage).toEqual(byDate.findings!.map((f) => f.findingArn));
    await page.screenshot({ path: `${ARTIFACTS}/findings.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('lists coverage per resource type as ListCoverage does', async () => {
    const { page, errors } = await open(`#/coverage?type=AWS_EC2_INSTANCE&account=${WORKLOAD}`);
    await ready(page, 'coverage-table');
    const instances = await workload.send(new ListCoverageCommand({ filterCriteria: { resourceType: [{ comparison: 'EQUALS', value: 'AWS_EC2_INSTANCE' }] } }));
    const ids = await attributes(page, 'coverage-row', 'data-resource-id');
    const codes = await attributes(page, 'coverage-row', 'data-status-code');
    const shown = ids.map((id, i) => `${id}|${codes[i]}`);
    expect(shown.sort()).toEqual(instances.coveredResources!.map((r) => `${r.resourceId}|${r.scanStatus?.statusCode}`).sort());
    expect(shown.some((row) => row.endsWith('|INACTIVE'))).toBe(true);
    await page.waitForSelector('[data-testid="coverage-tab-count-AWS_EC2_INSTANCE"][data-state="ready"]');
    expect(await number(page, 'coverage-tab-count-AWS_EC2_INSTANCE')).toBe(instances.coveredResources!.length);
    await page.screenshot({ path: `${ARTIFACTS}/coverage.png`, fullPage: true });

    // Another tab: Lambda functions.
    await replacing(page, 'coverage-table', () => page.getByTestId('coverage-tab-AWS_LAMBDA_FUNCTION').click());
    expect(new URL(page.url()).hash).toContain('type=AWS_LAMBDA_FUNCTION');
    const types = await page.locator('[data-testid="coverage-row"] td:nth-child(2)').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['Lambda function']));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows the organization, its delegated administrator and members', async () => {
    const { page, errors } = await open(`#/accounts?account=${ORG.securityTooling}`);
    await ready(page, 'members-card');
    const members = await page.getByTestId('member-row').allTextContents();
    expect(members.some((row) => row.includes(WORKLOAD) && row.includes('Enabled'))).toBe(true);
    await ready(page, 'delegated-admin-card');
    expect(await text(page, 'delegated-admin')).toContain(`${ORG.securityTooling} (this account)`);
    await ready(page, 'account-status-card');
    expect(await page.getByTestId('scan-status-EC2').getAttribute('data-status')).toBe('ENABLED');
    await page.screenshot({ path: `${ARTIFACTS}/accounts.png`, fullPage: true });

    // The management account lists the delegated administrators; a workload account cannot list members.
    await page.getByTestId('account-picker').fill(ORG.management);
    await replacing(page, 'delegated-admin-card', () => page.getByTestId('account-picker').dispatchEvent('change'));
    expect(new URL(page.url()).hash).toContain(`account=${ORG.management}`);
    expect(await text(page, 'delegated-admin')).toContain(ORG.securityTooling);
    expect(await text(page, 'organization-role')).toBe('Management account');
    await ready(page, 'members-card');
    expect(await text(page, 'members-note')).toMatch(/Only the delegated administrator/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('enables and disables a scan type from the Accounts page, as the SDK sees it', async () => {
    const account = ORG.staging;
    const client = inspectorClient(server.url, { accountId: account });
    const ecrStatus = async () => (await client.send(new BatchGetAccountStatusCommand({ accountIds: [account] }))).accounts![0]!.resourceState!.ecr!.status;
    const { page, errors } = await open(`#/accounts?account=${account}`);
    await ready(page, 'account-status-card');
    const status = page.getByTestId('scan-status-ECR');
    expect(await status.getAttribute('data-status')).toBe('DISABLED');
    expect(await page.getByTestId('disable-ECR').isDisabled()).toBe(true);

    await page.getByTestId('enable-ECR').click();
    await page.waitForSelector('[data-testid="scan-status-ECR"][data-status="ENABLED"]');
    expect(await ecrStatus()).toBe('ENABLED');
    expect(await page.getByTestId('account-status').getAttribute('data-status')).toBe('ENABLED');

    await page.getByTestId('disable-ECR').click();
    await page.waitForSelector('[data-testid="scan-status-ECR"][data-status="DISABLED"]');
    expect(await ecrStatus()).toBe('DISABLED');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows ENABLING until the transition completes on the emulator clock', async () => {
    // A manual clock: only the control plane's move below completes the transition.
    const slow = await startTestServer({ transitionMs: 10 * 60_000, manualClock: true });
    try {
      const account = '777788889999';
      const { page, errors } = await open(`#/accounts?account=${account}`, slow.url);
      await ready(page, 'account-status-card');
      await page.getByTestId('enable-EC2').click();
      await page.waitForSelector('[data-testid="scan-status-EC2"][data-status="ENABLING"]');
      expect(await page.getByTestId('enable-EC2').isDisabled()).toBe(true);
      const status = await inspectorClient(slow.url, { accountId: account }).send(new BatchGetAccountStatusCommand({ accountIds: [account] }));
      expect(status.accounts![0]!.resourceState!.ec2!.status).toBe('ENABLING');
      // The page looks again while a transition is under way: moving the clock completes it.
      expect((await control(slow.url, 'POST', '/_inspector2/clock', { advance: '11m' })).status).toBe(200);
      await page.waitForSelector('[data-testid="scan-status-EC2"][data-status="ENABLED"]', { timeout: 10_000 });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('shows API errors in the banner', async () => {
    const { page } = await open(`#/dashboard?account=${WORKLOAD}`);
    await ready(page, 'severity-summary');
    // A fault injected into ListFindings: the critical list fails and says why.
    await control(server.url, 'POST', '/_inspector2/faults', { operation: 'ListFindings', fault: 'ThrottlingException', count: 1 });
    await page.getByTestId('nav-findings').click();
    await page.waitForSelector('[data-testid="findings-table"][data-state="error"]');
    expect(await text(page, 'error-message')).toMatch(/^ListFindings: ThrottlingException — /);
    await control(server.url, 'DELETE', '/_inspector2/faults');
    await page.close();
  }, 60_000);

  it('loads nothing from outside the emulator', async () => {
    const { page, requests, errors } = await open(`#/dashboard?account=${WORKLOAD}`);
    await ready(page, 'critical-findings');
    for (const route of ['findings', 'coverage', 'accounts']) {
      await page.getByTestId(`nav-${route}`).click();
      await hashIncludes(page, `#/${route}`);
      await page.waitForSelector('[data-state="ready"]');
      await page.waitForLoadState('networkidle');
    }
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.filter((url) => new URL(url).origin !== server.url)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('is served at /_inspector2/ui and its files only', async () => {
    const redirect = await fetch(`${server.url}/_inspector2/ui?account=${WORKLOAD}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/_inspector2/ui/?account=${WORKLOAD}`);
    const index = await fetch(`${server.url}/_inspector2/ui/`);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await index.text()).toContain('<script type="module" src="app.js">');
    const script = await fetch(`${server.url}/_inspector2/ui/app.js`);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const missing = await fetch(`${server.url}/_inspector2/ui/..%2Fpackage.json`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toMatch(/no file/);
  });
});
