// The Dashboard page: coverage by resource type, active findings by severity and by account,
// the critical findings, and the most vulnerable images, instances, functions and packages.
// @ts-check
import { currentIdentity, inspector, listAll } from './api.js';
import { card, emptyNote, facts, fill, h, main, pageHeader, scoreChip, table } from './dom.js';
import { defaultFindingsQuery, findingsHash } from './findings-query.js';
import { formatNumber, humanize, RESOURCE_TYPES, resourceTypeLabel, shortResourceId } from './format.js';
import { accountLabel } from './identity.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {Wire<Shapes['AggregationResponse']>} AggregationResponse */
/** @typedef {Wire<Shapes['CoverageStringFilter']>[]} CoverageStringFilters */
/**
 * A row of a dashboard top list, from one aggregation response.
 * @typedef {{ name: string, resourceId?: string, packageName?: string, severityCounts?: Wire<Shapes['SeverityCounts']> }} TopRow
 */
/**
 * @typedef {{ aggregationType: Shapes['AggregationType'], request: Wire<Shapes['AggregationRequest']>, title: string, heading: string, testid: string, row: (response: AggregationResponse) => TopRow | undefined }} TopList
 */

/** @type {TopList[]} */
const TOP_LISTS = [
  {
    aggregationType: 'AWS_ECR_CONTAINER',
    request: { awsEcrContainerAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } },
    title: 'Container images',
    heading: 'Most vulnerable container images',
    testid: 'top-images',
    row: ({ awsEcrContainerAggregation: r }) =>
      r && {
        name: `${r.repository ?? 'image'}:${r.imageTags?.[0] ?? r.imageSha?.slice(7, 19) ?? ''}`,
        resourceId: r.resourceId,
        severityCounts: r.severityCounts,
      },
  },
  {
    aggregationType: 'AWS_EC2_INSTANCE',
    request: { ec2InstanceAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } },
    title: 'EC2 instances',
    heading: 'Most vulnerable EC2 instances',
    testid: 'top-instances',
    row: ({ ec2InstanceAggregation: r }) =>
      r && {
        name: r.instanceTags?.Name ? `${r.instanceId} (${r.instanceTags.Name})` : r.instanceId,
        resourceId: r.instanceId,
        severityCounts: r.severityCounts,
      },
  },
  {
    aggregationType: 'AWS_LAMBDA_FUNCTION',
    request: { lambdaFunctionAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } },
    title: 'Lambda functions',
    heading: 'Most vulnerable Lambda functions',
    testid: 'top-functions',
    row: ({ lambdaFunctionAggregation: r }) => r && { name: r.functionName ?? r.resourceId, resourceId: r.resourceId, severityCounts: r.severityCounts },
  },
  {
    aggregationType: 'PACKAGE',
    request: { packageAggregation: { sortBy: 'CRITICAL', sortOrder: 'DESC' } },
    title: 'Packages',
    heading: 'Most vulnerable packages',
    testid: 'top-packages',
    row: ({ packageAggregation: r }) => r && { name: r.packageName, packageName: r.packageName, severityCounts: r.severityCounts },
  },
];

export function dashboardPage() {
  const { accountId, region } = currentIdentity();
  const notice = h('div', { testid: 'enablement-notice' });
  const coverage = card('Environment coverage', { testid: 'coverage-summary', subtitle: 'Resources Inspector scans, by type' });
  const severity = card('Findings by severity', { testid: 'severity-summary', subtitle: 'Active findings' });
  const critical = card('Critical findings', {
    testid: 'critical-findings',
    subtitle: 'Active, highest Inspector score first',
    actions: h('a', { class: 'card-action', href: findingsHash({ ...defaultFindingsQuery(), severity: 'CRITICAL' }) }, 'View all'),
  });
  const tops = TOP_LISTS.map((list) => ({ list, card: card(list.heading, { testid: list.testid, subtitle: 'By critical, then high findings' }) }));
  const accounts = card('Accounts by critical findings', { testid: 'accounts-summary' });
  main.replaceChildren(
    pageHeader('Dashboard', `${accountLabel(accountId)} · ${region}`),
    notice,
    h('div', { class: 'grid two' }, coverage.element, severity.element),
    critical.element,
    h(
      'div',
      { class: 'grid two' },
      tops.map((top) => top.card.element),
    ),
    accounts.element,
  );
  void fill(notice, enablementNotice, { quiet: true });
  void fill(coverage.body, coverageSummary);
  const accountAggregations = listAll(inspector.listFindingAggregations, { aggregationType: 'ACCOUNT', maxResults: 100 }, 'responses');
  // Each fill shows its own failure; this keeps a failed load from also being an unhandled rejection.
  accountAggregations.catch(() => undefined);
  void fill(severity.body, async () => severitySummary(await accountAggregations));
  void fill(accounts.body, async () => accountsSummary(await accountAggregations));
  void fill(critical.body, criticalFindings);
  for (const top of tops) void fill(top.card.body, () => topList(top.list));
}

async function enablementNotice() {
  const { accountId, region } = currentIdentity();
  const output = await inspector.batchGetAccountStatus({ accountIds: [accountId] });
  const status = output.accounts?.find((a) => a.accountId === accountId)?.state?.status;
  if (status === 'ENABLED') return [];
  return h(
    'div',
    { class: 'callout' },
    h('strong', {}, `Amazon Inspector is ${humanize(status ?? 'DISABLED').toLowerCase()} for account ${accountId} in ${region}. `),
    'Nothing is scanned until a scan type is enabled — ',
    h('a', { href: '#/accounts' }, 'activate scanning on the Accounts page'),
    '.',
  );
}

async function coverageSummary() {
  /** @param {Wire<Shapes['CoverageFilterCriteria']>} criteria */
  const count = async (criteria) => (await inspector.listCoverageStatistics({ filterCriteria: criteria })).totalCounts ?? 0;
  /**
   * @param {string} value
   * @returns {CoverageStringFilters}
   */
  const eq = (value) => [{ comparison: 'EQUALS', value }];
  // ListCoverageStatistics' groupKey names the dimension, not the group, so each number is its own filtered count.
  const rows = await Promise.all(
    RESOURCE_TYPES.map(async ({ type, label }) => {
      const [total, active] = await Promise.all([count({ resourceType: eq(type) }), count({ resourceType: eq(type), scanStatusCode: eq('ACTIVE') })]);
      return { type, label, total, active };
    }),
  );
  return h(
    'ul',
    { class: 'coverage-list' },
    rows.map(({ type, label, total, active }) => {
      const percent = total ? Math.round((active / total) * 100) : 0;
      const bar = h('span', { class: 'bar-fill' });
      bar.style.width = `${percent}%`;
      return h(
        'li',
        { testid: `coverage-${type}`, dataset: { total: String(total), active: String(active) } },
        h('a', { class: 'coverage-label', href: `#/coverage?type=${type}` }, label),
        h('span', { class: 'bar' }, bar),
        h('span', { class: 'coverage-numbers' }, total ? `${formatNumber(active)} of ${formatNumber(total)} scanned · ${percent}%` : 'none found'),
      );
    }),
  );
}

/** @param {AggregationResponse[]} responses */
function severitySummary(responses) {
  const totals = { critical: 0, high: 0, medium: 0, all: 0, exploit: 0, fix: 0 };
  for (const { accountAggregation: a } of responses) {
    if (!a) continue;
    totals.critical += a.severityCounts?.critical ?? 0;
    totals.high += a.severityCounts?.high ?? 0;
    totals.medium += a.severityCounts?.medium ?? 0;
    totals.all += a.severityCounts?.all ?? 0;
    totals.exploit += a.exploitAvailableCount ?? 0;
    totals.fix += a.fixAvailableCount ?? 0;
  }
  const other = Math.max(0, totals.all - totals.critical - totals.high - totals.medium);
  /**
   * @param {string} label
   * @param {number} value
   * @param {string} key
   * @param {string} [severity]
   */
  const tile = (label, value, key, severity) =>
    h(
      'a',
      { class: `tile ${severity ? `tile-${severity.toLowerCase()}` : ''}`, href: findingsHash({ ...defaultFindingsQuery(), severity: severity ?? '' }) },
      h('span', { class: 'tile-value', testid: `severity-count-${key}` }, formatNumber(value)),
      h('span', { class: 'tile-label' }, label),
    );
  const segments = h('div', { class: 'severity-bar', title: 'Share of active findings by severity' });
  /** @type {[number, string][]} */
  const shares = [
    [totals.critical, 'critical'],
    [totals.high, 'high'],
    [totals.medium, 'medium'],
    [other, 'other'],
  ];
  for (const [value, name] of shares) {
    if (!value) continue;
    const segment = h('span', { class: `segment segment-${name}` });
    segment.style.flexGrow = String(value);
    segments.append(segment);
  }
  return [
    h(
      'div',
      { class: 'tiles' },
      tile('Critical', totals.critical, 'critical', 'CRITICAL'),
      tile('High', totals.high, 'high', 'HIGH'),
      tile('Medium', totals.medium, 'medium', 'MEDIUM'),
      h(
        'div',
        { class: 'tile tile-other' },
        h('span', { class: 'tile-value', testid: 'severity-count-other' }, formatNumber(other)),
        h('span', { class: 'tile-label' }, 'Low & other'),
      ),
      tile('All active', totals.all, 'all'),
    ),
    totals.all ? segments : null,
    facts([
      ['Exploit available', h('span', { testid: 'exploit-available-count' }, formatNumber(totals.exploit))],
      ['Fix available', h('span', { testid: 'fix-available-count' }, formatNumber(totals.fix))],
    ]),
  ];
}

/** @param {AggregationResponse[]} responses */
function accountsSummary(responses) {
  const rows = responses
    .map((r) => r.accountAggregation)
    .filter((a) => a !== undefined)
    .sort((a, b) => (b.severityCounts?.critical ?? 0) - (a.severityCounts?.critical ?? 0) || (b.severityCounts?.all ?? 0) - (a.severityCounts?.all ?? 0));
  if (!rows.length) return emptyNote('No active findings in any account this account can see.');
  return table(
    [
      'Account',
      h('th', { class: 'num' }, 'Critical'),
      h('th', { class: 'num' }, 'High'),
      h('th', { class: 'num' }, 'Medium'),
      h('th', { class: 'num' }, 'All active'),
    ],
    rows.map((a) =>
      h(
        'tr',
        {},
        h(
          'td',
          {},
          h('a', { href: findingsHash({ ...defaultFindingsQuery(), awsAccountId: a.accountId ?? '' }) }, accountLabel(a.accountId).replace(/^Account /, '')),
        ),
        h('td', { class: 'num' }, formatNumber(a.severityCounts?.critical)),
        h('td', { class: 'num' }, formatNumber(a.severityCounts?.high)),
        h('td', { class: 'num' }, formatNumber(a.severityCounts?.medium)),
        h('td', { class: 'num' }, formatNumber(a.severityCounts?.all)),
      ),
    ),
  );
}

async function criticalFindings() {
  const output = await inspector.listFindings({
    maxResults: 10,
    filterCriteria: { severity: [{ comparison: 'EQUALS', value: 'CRITICAL' }], findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }] },
    sortCriteria: { field: 'INSPECTOR_SCORE', sortOrder: 'DESC' },
  });
  const findings = output.findings ?? [];
  if (!findings.length) return emptyNote('No active critical findings.');
  return h(
    'ul',
    { class: 'finding-list' },
    findings.map((finding) =>
      h(
        'li',
        { testid: 'critical-finding', dataset: { findingArn: finding.findingArn, findingType: finding.type } },
        h('a', { class: 'finding-link', href: findingsHash(defaultFindingsQuery(), finding.findingArn) }, finding.title),
        h(
          'span',
          { class: 'finding-meta' },
          scoreChip(finding.inspectorScore),
          h('span', {}, resourceTypeLabel(finding.resources?.[0]?.type)),
          h('span', { class: 'mono' }, shortResourceId(finding.resources?.[0]?.id)),
          h('span', {}, `account ${finding.awsAccountId}`),
        ),
      ),
    ),
  );
}

/** @param {TopList} list */
async function topList(list) {
  const responses = await listAll(
    inspector.listFindingAggregations,
    { aggregationType: list.aggregationType, aggregationRequest: list.request, maxResults: 100 },
    'responses',
    1,
  );
  const rows = responses
    .map(list.row)
    .filter((r) => r !== undefined)
    .filter((r) => (r.severityCounts?.critical ?? 0) + (r.severityCounts?.high ?? 0) > 0)
    .sort((a, b) => (b.severityCounts?.critical ?? 0) - (a.severityCounts?.critical ?? 0) || (b.severityCounts?.high ?? 0) - (a.severityCounts?.high ?? 0))
    .slice(0, 5);
  if (!rows.length) return emptyNote(`No ${list.title.replace(/^(Container|Packages)/, (word) => word.toLowerCase())} with critical or high findings.`);
  return table(
    [list.title.replace(/s$/, ''), h('th', { class: 'num' }, 'Critical'), h('th', { class: 'num' }, 'High'), h('th', { class: 'num' }, 'All')],
    rows.map((r) => {
      const query = { ...defaultFindingsQuery(), ...(r.packageName !== undefined ? { packageName: r.packageName } : { resourceId: r.resourceId ?? '' }) };
      return h(
        'tr',
        { testid: 'top-row' },
        h('td', { class: 'truncate', title: r.resourceId ?? r.name }, h('a', { href: findingsHash(query) }, r.name)),
        h('td', { class: 'num sev-text-critical' }, formatNumber(r.severityCounts?.critical)),
        h('td', { class: 'num sev-text-high' }, formatNumber(r.severityCounts?.high)),
        h('td', { class: 'num' }, formatNumber(r.severityCounts?.all)),
      );
    }),
  );
}
