// The Coverage page: the resources Inspector covers, by resource type (tabs) and scan status,
// a page of ListCoverage at a time.
// @ts-check
import { currentIdentity, inspector } from './api.js';
import { emptyNote, fill, h, main, pageHeader, pager, statusBadge, table } from './dom.js';
import { defaultFindingsQuery, findingsHash } from './findings-query.js';
import { formatNumber, formatTime, humanize, RESOURCE_TYPES, resourceTypeLabel, SCAN_MODE_LABELS, shortResourceId } from './format.js';
import { accountLabel } from './identity.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {Wire<Shapes['CoverageStringFilter']>[]} CoverageStringFilters */
/** @typedef {import('./route.js').Route} Route */

const COVERAGE_PAGE_SIZE = 50;

/** Which page of the coverage list the table shows; the tokens are those ListCoverage gave. */
/** @type {{ tokens: (string | undefined)[], pageIndex: number }} */
const coverageTable = { tokens: [undefined], pageIndex: 0 };

/** @param {Route} route */
export function coveragePage(route) {
  const requested = route.params.get('type');
  const type = RESOURCE_TYPES.find((t) => t.type === requested)?.type ?? 'AWS_EC2_INSTANCE';
  const requestedStatus = route.params.get('status');
  const status = requestedStatus === 'ACTIVE' || requestedStatus === 'INACTIVE' ? requestedStatus : '';
  Object.assign(coverageTable, { tokens: [undefined], pageIndex: 0 });
  /**
   * @param {string} t
   * @param {string} s
   */
  const hash = (t, s) => `#/coverage?type=${t}${s ? `&status=${s}` : ''}`;
  const tabs = h(
    'nav',
    { class: 'tabs', testid: 'coverage-tabs', role: 'tablist' },
    RESOURCE_TYPES.map((t) => {
      const count = h('span', { class: 'tab-count', testid: `coverage-tab-count-${t.type}` });
      void fill(
        count,
        async () =>
          formatNumber((await inspector.listCoverageStatistics({ filterCriteria: { resourceType: [{ comparison: 'EQUALS', value: t.type }] } })).totalCounts),
        { quiet: true },
      );
      return h(
        'a',
        {
          class: `tab ${t.type === type ? 'active' : ''}`,
          href: hash(t.type, status),
          role: 'tab',
          'aria-selected': String(t.type === type),
          testid: `coverage-tab-${t.type}`,
        },
        t.label,
        count,
      );
    }),
  );
  const statusFilter = h(
    'label',
    { class: 'field inline' },
    h('span', {}, 'Scan status'),
    h(
      'select',
      {
        testid: 'coverage-status',
        onchange: (/** @type {Event} */ event) => event.target instanceof HTMLSelectElement && (location.hash = hash(type, event.target.value)),
      },
      h('option', { value: '', selected: status === '' }, 'Any'),
      h('option', { value: 'ACTIVE', selected: status === 'ACTIVE' }, 'Active'),
      h('option', { value: 'INACTIVE', selected: status === 'INACTIVE' }, 'Inactive'),
    ),
  );
  const body = h('div', { class: 'card-body flush', testid: 'coverage-table' });
  const pagerSlot = h('div', { class: 'pager' });
  const { accountId, region } = currentIdentity();
  main.replaceChildren(
    pageHeader('Coverage', `${accountLabel(accountId)} · ${region}`),
    h('section', { class: 'card' }, h('div', { class: 'tab-bar' }, tabs, statusFilter), body, pagerSlot),
  );
  const load = () => void fill(body, () => coverageRows(type, status, pagerSlot, load));
  load();
}

/**
 * @param {string} type
 * @param {string} status
 * @param {HTMLElement} pagerSlot
 * @param {() => void} reload
 */
async function coverageRows(type, status, pagerSlot, reload) {
  /**
   * @param {string} value
   * @returns {CoverageStringFilters}
   */
  const equals = (value) => [{ comparison: 'EQUALS', value }];
  const token = coverageTable.tokens[coverageTable.pageIndex];
  const output = await inspector.listCoverage({
    maxResults: COVERAGE_PAGE_SIZE,
    filterCriteria: { resourceType: equals(type), ...(status ? { scanStatusCode: equals(status) } : {}) },
    ...(token ? { nextToken: token } : {}),
  });
  coverageTable.tokens[coverageTable.pageIndex + 1] = output.nextToken;
  const rows = output.coveredResources ?? [];
  pagerSlot.replaceChildren(
    ...pager(coverageTable.pageIndex, Boolean(output.nextToken), rows.length, 'resources', (delta) => {
      coverageTable.pageIndex += delta;
      reload();
    }),
  );
  if (!rows.length) return emptyNote(coverageTable.pageIndex ? 'No more resources.' : 'Inspector covers no resources of this type here.');
  return table(
    ['Resource', 'Type', 'Account', 'Scan type', 'Status', 'Reason', 'Last scanned', 'Scan mode'],
    rows.map((row) =>
      h(
        'tr',
        { testid: 'coverage-row', dataset: { resourceId: row.resourceId, statusCode: row.scanStatus?.statusCode ?? '' } },
        h(
          'td',
          { class: 'resource-cell', title: row.resourceId },
          h(
            'div',
            { class: 'mono truncate' },
            h('a', { href: findingsHash({ ...defaultFindingsQuery(), resourceId: row.resourceId }) }, shortResourceId(row.resourceId)),
          ),
          coverageHint(row) ? h('div', { class: 'muted' }, coverageHint(row)) : null,
        ),
        h('td', {}, resourceTypeLabel(row.resourceType)),
        h('td', { class: 'mono' }, row.accountId),
        h('td', {}, humanize(row.scanType)),
        h('td', {}, statusBadge(row.scanStatus?.statusCode, 'coverage-status-code')),
        h('td', {}, humanize(row.scanStatus?.reason)),
        h('td', { class: 'nowrap' }, formatTime(row.lastScannedAt)),
        h('td', {}, row.scanMode ? (SCAN_MODE_LABELS[row.scanMode] ?? row.scanMode) : '—'),
      ),
    ),
    { class: 'coverage' },
  );
}

/**
 * What makes a row recognisable besides its id: the instance's Name, the image's tags, the runtime.
 * @param {Wire<Shapes['CoveredResource']>} row
 */
function coverageHint(row) {
  const m = row.resourceMetadata ?? {};
  if (m.ec2) return [m.ec2.tags?.Name, m.ec2.platform].filter(Boolean).join(' · ');
  if (m.ecrImage) return [m.ecrRepository?.name, m.ecrImage.tags?.join(', ')].filter(Boolean).join(' · ');
  if (m.ecrRepository) return humanize(m.ecrRepository.scanFrequency);
  if (m.lambdaFunction) return [m.lambdaFunction.functionName, m.lambdaFunction.runtime].filter(Boolean).join(' · ');
  if (m.codeRepository) return [m.codeRepository.projectName, m.codeRepository.providerType].filter(Boolean).join(' · ');
  return '';
}
