// The local console: hash-routed pages — #/dashboard, #/findings, #/findings/<arn>,
// #/coverage, #/accounts — drawn with DOM calls only. Every text that comes from the API
// goes in as a text node (never through innerHTML), and links from data must be http(s).
// The account and region come from the URL (?account=&region=, in the hash or the query
// string), else from localStorage, else the emulator's defaults.
//
// Type-checked by tsc through JSDoc (src/ui/tsconfig.json), with the API's shapes from api.js.
// @ts-check
import { ApiError, controlPlane, currentIdentity, inspector, listAll, setIdentity } from './api.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/** @typedef {import('./api.js').Organization} Organization */
/** @typedef {Node | string | number | null | undefined | false} Leaf */
/**
 * What `h` and `append` take: nodes, texts, nothing, or lists of them, nested up to three
 * deep (a JSDoc type alias cannot name itself).
 * @typedef {Leaf | (Leaf | (Leaf | Leaf[])[])[]} Child
 */
/** @typedef {string | number | boolean | null | undefined | Record<string, string | undefined> | ((event: never) => unknown)} PropValue */
/**
 * An element's properties for `h`: `class`, `testid`, `dataset`, `on<event>` listeners, the
 * live properties `value`/`checked`/`selected`/`disabled`; anything else is an attribute.
 * @typedef {{ class?: string, testid?: string, dataset?: Record<string, string | undefined>, [name: string]: PropValue }} Props
 */
/** @typedef {{ page: string, id: string | undefined, params: URLSearchParams }} Route */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {Wire<Shapes['Finding']>} Finding */
/** @typedef {Wire<Shapes['AggregationResponse']>} AggregationResponse */
/** @typedef {Wire<Shapes['StringFilter']>[]} StringFilters */
/** @typedef {Wire<Shapes['CoverageStringFilter']>[]} CoverageStringFilters */
/** @typedef {Wire<Shapes['Account']> | Wire<Shapes['AccountState']>} AccountAnswer An account as Enable/Disable or BatchGetAccountStatus answers it. */
/**
 * A row of a dashboard top list, from one aggregation response.
 * @typedef {{ name: string, resourceId?: string, packageName?: string, severityCounts?: Wire<Shapes['SeverityCounts']> }} TopRow
 */
/**
 * @typedef {{ aggregationType: Shapes['AggregationType'], request: Wire<Shapes['AggregationRequest']>, title: string, heading: string, testid: string, row: (response: AggregationResponse) => TopRow | undefined }} TopList
 */
/** @typedef {Shapes['ResourceScanType']} ScanTypeName A scan type as Enable and Disable name it. */
/** @typedef {keyof Shapes['ResourceState'] & keyof Shapes['ResourceStatus']} ScanTypeKey A scan type as account statuses name it. */
/** @typedef {{ severity: string, status: string, type: string, awsAccountId: string, resourceId: string, packageName: string, sort: string }} FindingsQuery */

const STORAGE_KEYS = { account: 'inspector2-console.account', region: 'inspector2-console.region' };
const DEFAULT_ACCOUNT = '000000000000';
const DEFAULT_REGION = 'us-east-1';
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'me-south-1',
  'af-south-1',
];
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNTRIAGED'];
const FINDING_STATUSES = ['ACTIVE', 'SUPPRESSED', 'CLOSED'];
const FINDING_TYPES = ['PACKAGE_VULNERABILITY', 'NETWORK_REACHABILITY', 'CODE_VULNERABILITY'];
// BatchGetAccountStatus names the scan types in camelCase; Enable and Disable in upper case.
/** @type {{ type: ScanTypeName, key: ScanTypeKey, label: string }[]} */
const SCAN_TYPES = [
  { type: 'EC2', key: 'ec2', label: 'Amazon EC2 scanning' },
  { type: 'ECR', key: 'ecr', label: 'Amazon ECR scanning' },
  { type: 'LAMBDA', key: 'lambda', label: 'AWS Lambda standard scanning' },
  { type: 'LAMBDA_CODE', key: 'lambdaCode', label: 'AWS Lambda code scanning' },
  { type: 'CODE_REPOSITORY', key: 'codeRepository', label: 'Code repository scanning' },
];
const RESOURCE_TYPES = [
  { type: 'AWS_EC2_INSTANCE', label: 'EC2 instances' },
  { type: 'AWS_ECR_REPOSITORY', label: 'ECR repositories' },
  { type: 'AWS_ECR_CONTAINER_IMAGE', label: 'Container images' },
  { type: 'AWS_LAMBDA_FUNCTION', label: 'Lambda functions' },
  { type: 'CODE_REPOSITORY', label: 'Code repositories' },
];
const FINDINGS_PAGE_SIZE = 25;
const COVERAGE_PAGE_SIZE = 50;
const DEFAULT_FINDINGS_SORT = 'SEVERITY:DESC';
const TRANSITIONAL = new Set(['ENABLING', 'DISABLING']);

/**
 * The element of index.html with this id, of this class.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return element;
}

const main = byId('main', HTMLElement);
const banner = byId('banner', HTMLDivElement);
const accountPicker = byId('account-picker', HTMLInputElement);
const accountOptions = byId('account-options', HTMLDataListElement);
const accountName = byId('account-name', HTMLSpanElement);
const regionPicker = byId('region-picker', HTMLSelectElement);
const clock = byId('clock', HTMLSpanElement);

/**
 * The organizations of the world (control plane), for the account picker and the Accounts page.
 * @type {Organization[]}
 */
let organizations = [];

// ---------------------------------------------------------------------------------------
// DOM helpers

/**
 * An element with properties and children; strings become text nodes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') {
      if (key.startsWith('on')) element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (typeof value === 'object') {
      if (key === 'dataset') Object.assign(element.dataset, value);
    } else if (key === 'class') element.className = String(value);
    else if (key === 'testid') element.dataset.testid = String(value);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled') Object.assign(element, { [key]: value });
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element} element
 * @param {Child[]} children
 */
function append(element, children) {
  for (const child of /** @type {Leaf[]} */ (children.flat(Infinity))) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * A link out of the console, only for http(s) URLs; anything else is shown as text.
 * @param {string | undefined} url
 * @param {string} [text]
 * @param {string} [testid]
 */
function externalLink(url, text, testid) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return h('span', { testid }, text ?? url ?? '—');
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', testid }, text ?? url);
}

/** @param {number | undefined} epochSeconds */
function formatTime(epochSeconds) {
  if (typeof epochSeconds !== 'number') return '—';
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** @param {number | undefined} value */
function formatNumber(value) {
  return (value ?? 0).toLocaleString('en-US');
}

const ACRONYMS = new Set(['AWS', 'EC2', 'ECR', 'SSM', 'OS', 'KMS', 'ID', 'CVSS', 'EPSS', 'CIS']);
/** @type {Record<string, string | undefined>} */
const RESOURCE_TYPE_LABELS = {
  AWS_EC2_INSTANCE: 'EC2 instance',
  AWS_ECR_REPOSITORY: 'ECR repository',
  AWS_ECR_CONTAINER_IMAGE: 'ECR container image',
  AWS_LAMBDA_FUNCTION: 'Lambda function',
  CODE_REPOSITORY: 'Code repository',
};
/** @type {Record<string, string | undefined>} */
const SCAN_MODE_LABELS = { EC2_SSM_AGENT_BASED: 'Agent-based (SSM)', EC2_AGENTLESS: 'Agentless' };

/**
 * CRITICAL → Critical, UNMANAGED_EC2_INSTANCE → Unmanaged EC2 instance.
 * @param {string | undefined} value
 */
function humanize(value) {
  if (!value) return '—';
  const text = value
    .split('_')
    .map((word) => (ACRONYMS.has(word) ? word : word.toLowerCase()))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @param {string | undefined} type */
function resourceTypeLabel(type) {
  return (type && RESOURCE_TYPE_LABELS[type]) ?? humanize(type);
}

/**
 * @param {string | undefined} severity
 * @param {string} [testid]
 */
function severityBadge(severity, testid) {
  const value = severity ?? 'UNTRIAGED';
  return h('span', { class: `badge sev sev-${value.toLowerCase()}`, testid, dataset: { severity: value } }, humanize(value));
}

/**
 * @param {string | undefined} status
 * @param {string} [testid]
 */
function statusBadge(status, testid) {
  const value = status ?? 'UNKNOWN';
  return h('span', { class: `badge status status-${value.toLowerCase()}`, testid, dataset: { status: value } }, humanize(value));
}

/**
 * @param {string} title
 * @param {{ testid?: string, class?: string, subtitle?: string, actions?: Node }} [options]
 */
function card(title, options = {}) {
  const body = h('div', { class: 'card-body', testid: options.testid });
  const element = h(
    'section',
    { class: `card ${options.class ?? ''}` },
    h(
      'header',
      { class: 'card-header' },
      h('h2', {}, title),
      options.subtitle ? h('span', { class: 'card-subtitle' }, options.subtitle) : null,
      options.actions ?? null,
    ),
    body,
  );
  return { element, body };
}

/**
 * @param {string} title
 * @param {string} [subtitle]
 */
function pageHeader(title, subtitle) {
  return h('div', { class: 'page-header' }, h('h1', {}, title), subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null);
}

/** @param {string} text */
function emptyNote(text) {
  return h('p', { class: 'empty' }, text);
}

/** @param {unknown} error */
function errorNote(error) {
  return h('p', { class: 'inline-error' }, error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`);
}

/**
 * @param {(string | Node)[]} headers
 * @param {Node[]} rows
 * @param {{ class?: string, testid?: string }} [options]
 */
function table(headers, rows, options = {}) {
  return h(
    'table',
    { class: `table ${options.class ?? ''}`, testid: options.testid },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((header) => (header instanceof Node ? header : h('th', {}, header))),
      ),
    ),
    h('tbody', {}, rows),
  );
}

/**
 * A definition list of [label, value] pairs; pairs without a value are left out.
 * @param {[string, Child][]} pairs
 * @param {string} [testid]
 */
function facts(pairs, testid) {
  return h(
    'dl',
    { class: 'facts', testid },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== '').map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/** The latest fill of each element: an answer to an earlier one is dropped. */
/** @type {WeakMap<HTMLElement, number>} */
const fillTokens = new WeakMap();

/**
 * Fills an element with what `load` resolves to, showing "Loading…" meanwhile and the
 * error (inline and in the banner) on failure. A later fill of the same element, or the
 * element leaving the page, makes an earlier answer be dropped.
 * @param {HTMLElement} target
 * @param {() => Child | Promise<Child>} load
 * @param {{ quiet?: boolean }} [options]
 * @returns {Promise<void>}
 */
async function fill(target, load, options = {}) {
  const token = (fillTokens.get(target) ?? 0) + 1;
  fillTokens.set(target, token);
  target.dataset.state = 'loading';
  if (!options.quiet) target.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  try {
    const content = await load();
    if (fillTokens.get(target) !== token || !target.isConnected) return;
    target.replaceChildren();
    append(target, [content]);
    target.dataset.state = 'ready';
  } catch (error) {
    if (fillTokens.get(target) !== token || !target.isConnected) return;
    target.replaceChildren(errorNote(error));
    target.dataset.state = 'error';
    showError(error);
  }
}

// ---------------------------------------------------------------------------------------
// The error banner

/** @param {unknown} error */
function showError(error) {
  const text = error instanceof ApiError ? `${error.operation}: ${error.name} — ${error.message}` : error instanceof Error ? error.message : String(error);
  if ([...banner.querySelectorAll('.banner-message')].some((line) => line.textContent === text)) return;
  banner.append(h('div', { class: 'banner-line' }, h('span', { class: 'banner-message', testid: 'error-message' }, text)));
  if (!banner.querySelector('.banner-close')) {
    banner.prepend(h('button', { class: 'banner-close', type: 'button', title: 'Dismiss', 'aria-label': 'Dismiss', onclick: clearBanner }, '×'));
  }
  banner.hidden = false;
}

function clearBanner() {
  banner.replaceChildren();
  banner.hidden = true;
}

// ---------------------------------------------------------------------------------------
// Identity: the account and region the console calls the API as

function routeParams() {
  const hash = location.hash.replace(/^#/, '');
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

/** @param {string} key */
function storedValue(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/**
 * @param {string} key
 * @param {string} value
 */
function store(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage off (private mode): the choice lasts until the page is closed.
  }
}

/** The account and region named by the URL, if any, else the remembered ones. */
function identityFromUrl() {
  const hashParams = routeParams();
  const search = new URLSearchParams(location.search);
  const account = hashParams.get('account') ?? search.get('account');
  const region = hashParams.get('region') ?? search.get('region');
  const current = currentIdentity();
  return {
    accountId: account && /^\d{12}$/.test(account) ? account : current.accountId,
    region: region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : current.region,
  };
}

/**
 * @param {string} accountId
 * @param {string} region
 */
function useIdentity(accountId, region) {
  setIdentity(accountId, region);
  store(STORAGE_KEYS.account, accountId);
  store(STORAGE_KEYS.region, region);
  accountPicker.value = accountId;
  accountPicker.classList.remove('invalid');
  if (![...regionPicker.options].some((option) => option.value === region)) regionPicker.append(h('option', { value: region }, region));
  regionPicker.value = region;
  showAccountName();
}

/** @param {string | undefined} accountId */
function accountNameOf(accountId) {
  for (const organization of organizations) {
    const account = organization.accounts.find((a) => a.id === accountId);
    if (account) return account.name;
  }
  return undefined;
}

/** @param {string} accountId */
function organizationOf(accountId) {
  return organizations.find((organization) => organization.accounts.some((a) => a.id === accountId));
}

function showAccountName() {
  const { accountId } = currentIdentity();
  const organization = organizationOf(accountId);
  const name = accountNameOf(accountId);
  accountName.textContent = name ? `${name}${organization?.managementAccountId === accountId ? ' · management' : ''}` : 'standalone account';
}

async function loadOrganizations() {
  try {
    organizations = await controlPlane('organizations');
  } catch (error) {
    organizations = [];
    showError(error);
  }
  accountOptions.replaceChildren(
    ...organizations.flatMap((organization) =>
      organization.accounts.map((account) =>
        h('option', {
          value: account.id,
          label: `${account.name} (${organization.id}${organization.managementAccountId === account.id ? ', management' : ''})`,
        }),
      ),
    ),
  );
  showAccountName();
}

async function showClock() {
  try {
    const health = await controlPlane('health');
    clock.textContent = `Clock ${health.clock.slice(0, 16).replace('T', ' ')} UTC`;
    clock.title = `The emulator's virtual clock: ${health.clock}`;
  } catch {
    clock.textContent = '';
  }
}

/**
 * Changes the identity from the pickers; the URL follows when it named one.
 * @param {string} accountId
 * @param {string} region
 */
function pickIdentity(accountId, region) {
  useIdentity(accountId, region);
  const hash = location.hash.replace(/^#/, '') || '/dashboard';
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  if (params.has('account') || params.has('region')) {
    params.set('account', accountId);
    params.set('region', region);
    location.hash = `${q < 0 ? hash : hash.slice(0, q)}?${params.toString()}`;
  } else {
    render();
  }
}

// ---------------------------------------------------------------------------------------
// Routing

/** @returns {Route} */
function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/dashboard';
  const q = hash.indexOf('?');
  const path = q < 0 ? hash : hash.slice(0, q);
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  return { page: parts[0] ?? 'dashboard', id: parts[1], params: new URLSearchParams(q < 0 ? '' : hash.slice(q + 1)) };
}

/** @type {Record<string, ((route: Route) => void) | undefined>} */
const PAGES = { dashboard: dashboardPage, findings: findingsPage, coverage: coveragePage, accounts: accountsPage };

/** @type {string | undefined} */
let lastPage;
function render() {
  const identity = identityFromUrl();
  const current = currentIdentity();
  if (identity.accountId !== current.accountId || identity.region !== current.region) useIdentity(identity.accountId, identity.region);
  const route = parseRoute();
  const show = PAGES[route.page] ?? dashboardPage;
  const page = PAGES[route.page] ? route.page : 'dashboard';
  for (const link of document.querySelectorAll('a[data-route]')) link.classList.toggle('active', link instanceof HTMLElement && link.dataset.route === page);
  // Errors belong to the page they happened on; moving within the findings page keeps them.
  if (page !== lastPage || page !== 'findings') clearBanner();
  lastPage = page;
  document.title = `${humanize(page)} · Amazon Inspector · inspector2-local`;
  void showClock();
  show(route);
}

// ---------------------------------------------------------------------------------------
// Dashboard

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

function dashboardPage() {
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

/** @param {string | undefined} accountId */
function accountLabel(accountId) {
  const name = accountNameOf(accountId);
  return name ? `Account ${accountId} (${name})` : `Account ${accountId}`;
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

/** @param {number | undefined} score */
function scoreChip(score) {
  return h('span', { class: 'score-chip', title: 'Inspector score' }, typeof score === 'number' ? score.toFixed(1) : '—');
}

/** @param {string | undefined} id */
function shortResourceId(id) {
  if (!id) return '—';
  // ARNs are long; the interesting part is at the end.
  return id.length > 60 ? `…${id.slice(-57)}` : id;
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

// ---------------------------------------------------------------------------------------
// Findings: the table, its filters, and the detail pane

/** @returns {FindingsQuery} */
function defaultFindingsQuery() {
  return { severity: '', status: 'ACTIVE', type: '', awsAccountId: '', resourceId: '', packageName: '', sort: DEFAULT_FINDINGS_SORT };
}

/** The members of a findings query, as they appear in the URL. */
const FINDINGS_QUERY_KEYS = /** @type {(keyof FindingsQuery)[]} */ (Object.keys(defaultFindingsQuery()));

/** @param {URLSearchParams} params */
function findingsQuery(params) {
  const query = defaultFindingsQuery();
  for (const key of FINDINGS_QUERY_KEYS) query[key] = params.get(key) ?? query[key];
  return query;
}

/**
 * The page's URL for a query (and an open finding); defaults are left out.
 * @param {FindingsQuery} query
 * @param {string} [findingArn]
 */
function findingsHash(query, findingArn) {
  const defaults = defaultFindingsQuery();
  const params = new URLSearchParams();
  for (const key of FINDINGS_QUERY_KEYS) if (query[key] !== defaults[key]) params.set(key, query[key]);
  const search = params.toString();
  return `#/findings${findingArn ? `/${encodeURIComponent(findingArn)}` : ''}${search ? `?${search}` : ''}`;
}

/**
 * @param {FindingsQuery} query
 * @returns {Wire<Shapes['FilterCriteria']>}
 */
function filterCriteria(query) {
  /**
   * @param {string} value
   * @returns {StringFilters}
   */
  const equals = (value) => [{ comparison: 'EQUALS', value }];
  /** @type {Wire<Shapes['FilterCriteria']>} */
  const criteria = {};
  if (query.severity) criteria.severity = equals(query.severity);
  if (query.status && query.status !== 'ANY') criteria.findingStatus = equals(query.status);
  if (query.type) criteria.findingType = equals(query.type);
  if (query.awsAccountId) criteria.awsAccountId = equals(query.awsAccountId);
  if (query.resourceId) criteria.resourceId = equals(query.resourceId);
  if (query.packageName) criteria.vulnerablePackages = [{ name: { comparison: 'EQUALS', value: query.packageName } }];
  return criteria;
}

/** Which page of which query the table shows; the tokens are those ListFindings gave. */
/** @type {{ key: string, tokens: (string | undefined)[], pageIndex: number }} */
const findingsTable = { key: '', tokens: [undefined], pageIndex: 0 };

/** @param {Route} route */
function findingsPage(route) {
  const query = findingsQuery(route.params);
  const key = JSON.stringify([currentIdentity(), query]);
  let layout = main.querySelector('div[data-testid="findings-page"]');
  // Opening or closing a finding keeps the table as it is (same query, same page).
  if (!layout || findingsTable.key !== key) {
    Object.assign(findingsTable, { key, tokens: [undefined], pageIndex: 0 });
    layout = findingsLayout(query);
    const { accountId, region } = currentIdentity();
    main.replaceChildren(pageHeader('Findings', `${accountLabel(accountId)} · ${region}`), layout);
  }
  const pane = layout.querySelector('aside[data-testid="finding-detail"]');
  if (!(pane instanceof HTMLElement)) return;
  layout.classList.toggle('with-pane', Boolean(route.id));
  for (const row of layout.querySelectorAll('tr[data-testid="finding-row"]'))
    row.classList.toggle('selected', row instanceof HTMLElement && row.dataset.findingArn === route.id);
  const findingArn = route.id;
  if (!findingArn) {
    pane.hidden = true;
    pane.replaceChildren();
    return;
  }
  pane.hidden = false;
  void fill(pane, () => findingDetail(findingArn, query)).then(() => {
    if (pane.isConnected && pane.getBoundingClientRect().top < 0) pane.scrollIntoView({ block: 'start' });
  });
}

/** @param {FindingsQuery} query */
function findingsLayout(query) {
  /**
   * @param {string} name
   * @param {string} label
   * @param {string[]} values
   * @param {string} current
   * @param {{ value: string, text: string }} anyLabel
   */
  const select = (name, label, values, current, anyLabel) =>
    h(
      'label',
      { class: 'field' },
      h('span', {}, label),
      h(
        'select',
        { name, testid: `filter-${name}` },
        h('option', { value: anyLabel.value, selected: current === anyLabel.value }, anyLabel.text),
        values.map((value) => h('option', { value, selected: current === value }, humanize(value))),
      ),
    );
  /**
   * @param {string} name
   * @param {string} label
   * @param {string} current
   * @param {string} placeholder
   */
  const text = (name, label, current, placeholder) =>
    h(
      'label',
      { class: 'field' },
      h('span', {}, label),
      h('input', { name, value: current, placeholder, testid: `filter-${name}`, autocomplete: 'off', spellcheck: 'false' }),
    );
  const form = h(
    'form',
    {
      class: 'filters',
      testid: 'findings-filters',
      onsubmit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        const data = new FormData(form);
        const next = { ...query };
        /** @type {(keyof FindingsQuery)[]} */
        const fields = ['severity', 'status', 'type', 'awsAccountId', 'resourceId', 'packageName'];
        for (const key of fields) {
          const value = data.get(key);
          next[key] = typeof value === 'string' ? value.trim() : '';
        }
        location.hash = findingsHash(next);
      },
    },
    select('severity', 'Severity', SEVERITIES, query.severity, { value: '', text: 'Any severity' }),
    select('status', 'Status', FINDING_STATUSES, query.status, { value: 'ANY', text: 'Any status' }),
    select('type', 'Type', FINDING_TYPES, query.type, { value: '', text: 'Any type' }),
    text('awsAccountId', 'Account ID', query.awsAccountId, '12 digits'),
    text('resourceId', 'Resource ID', query.resourceId, 'i-…, ARN'),
    text('packageName', 'Package', query.packageName, 'openssl'),
    h(
      'div',
      { class: 'filter-buttons' },
      h('button', { type: 'submit', class: 'primary', testid: 'apply-filters' }, 'Apply'),
      h('a', { class: 'button', href: findingsHash({ ...defaultFindingsQuery(), sort: query.sort }), testid: 'clear-filters' }, 'Clear'),
    ),
  );
  const body = h('div', { class: 'card-body flush', testid: 'findings-table' });
  const pagerSlot = h('div', { class: 'pager' });
  const tableCard = h('section', { class: 'card' }, body, pagerSlot);
  const pane = h('aside', { class: 'detail-pane card', testid: 'finding-detail', hidden: true });
  const layout = h(
    'div',
    { class: 'findings-layout', testid: 'findings-page' },
    h('div', { class: 'findings-main' }, h('section', { class: 'card' }, form), tableCard),
    pane,
  );
  const load = () => void fill(body, () => findingsRows(query, pagerSlot, load));
  load();
  return layout;
}

/**
 * The sort of a query (`FIELD:ORDER`, from the URL), as ListFindings takes it. Not checked
 * here: an unknown field or order gets the API's ValidationException, shown like any error.
 * @param {string} sort
 */
function sortOf(sort) {
  const [field, sortOrder] = sort.split(':');
  return /** @type {{ field: Shapes['SortField'], sortOrder: Shapes['SortOrder'] }} */ ({ field, sortOrder });
}

/**
 * @param {FindingsQuery} query
 * @param {HTMLElement} pagerSlot
 * @param {() => void} reload
 */
async function findingsRows(query, pagerSlot, reload) {
  const { field, sortOrder } = sortOf(query.sort);
  const token = findingsTable.tokens[findingsTable.pageIndex];
  const output = await inspector.listFindings({
    maxResults: FINDINGS_PAGE_SIZE,
    filterCriteria: filterCriteria(query),
    sortCriteria: { field, sortOrder },
    ...(token ? { nextToken: token } : {}),
  });
  findingsTable.tokens[findingsTable.pageIndex + 1] = output.nextToken;
  const findings = output.findings ?? [];
  const openArn = parseRoute().id;
  pagerSlot.replaceChildren(
    ...pager(findingsTable.pageIndex, Boolean(output.nextToken), findings.length, 'findings', (delta) => {
      findingsTable.pageIndex += delta;
      reload();
    }),
  );
  /**
   * @param {string} label
   * @param {Shapes['SortField']} sortField
   * @param {string} [extraClass]
   */
  const sortHeader = (label, sortField, extraClass) => {
    const active = field === sortField;
    const nextOrder = active && sortOrder === 'DESC' ? 'ASC' : 'DESC';
    return h(
      'th',
      { class: extraClass, 'aria-sort': active ? (sortOrder === 'DESC' ? 'descending' : 'ascending') : undefined },
      h(
        'a',
        { class: `sort ${active ? 'active' : ''}`, href: findingsHash({ ...query, sort: `${sortField}:${nextOrder}` }), testid: `sort-${sortField}` },
        label,
        h('span', { class: 'sort-arrow' }, active ? (sortOrder === 'DESC' ? ' ▼' : ' ▲') : ' ↕'),
      ),
    );
  };
  if (!findings.length) return emptyNote(findingsTable.pageIndex ? 'No more findings.' : 'No findings match these filters.');
  return table(
    [
      sortHeader('Severity', 'SEVERITY'),
      h('th', {}, 'Title'),
      h('th', { class: 'optional' }, 'Type'),
      h('th', {}, 'Resource'),
      h('th', { class: 'optional' }, 'Account'),
      sortHeader('Score', 'INSPECTOR_SCORE', 'num'),
      h('th', { class: 'optional' }, 'Status'),
      sortHeader('Last observed', 'LAST_OBSERVED_AT', 'wide-only'),
    ],
    findings.map((finding) => {
      const href = findingsHash(query, finding.findingArn);
      const resource = finding.resources?.[0];
      return h(
        'tr',
        {
          class: `clickable ${finding.findingArn === openArn ? 'selected' : ''}`,
          testid: 'finding-row',
          dataset: { findingArn: finding.findingArn, severity: finding.severity },
          onclick: (/** @type {MouseEvent} */ event) => {
            if (event.target instanceof Element && event.target.closest('a')) return;
            location.hash = href;
          },
        },
        h('td', {}, severityBadge(finding.severity, 'row-severity')),
        h('td', { class: 'title-cell' }, h('a', { href, testid: 'row-title' }, finding.title)),
        h('td', { class: 'optional' }, humanize(finding.type)),
        h(
          'td',
          { class: 'truncate mono', title: resource?.id },
          h('span', { class: 'resource-type' }, resourceTypeLabel(resource?.type)),
          shortResourceId(resource?.id),
        ),
        h('td', { class: 'optional mono' }, finding.awsAccountId),
        h('td', { class: 'num' }, scoreChip(finding.inspectorScore)),
        h('td', { class: 'optional' }, statusBadge(finding.status)),
        h('td', { class: 'nowrap wide-only' }, formatTime(finding.lastObservedAt)),
      );
    }),
    { class: 'findings', testid: 'findings-rows' },
  );
}

/**
 * @param {number} pageIndex
 * @param {boolean} hasNext
 * @param {number} shown
 * @param {string} noun
 * @param {(delta: number) => void} move
 */
function pager(pageIndex, hasNext, shown, noun, move) {
  return [
    h('button', { type: 'button', disabled: pageIndex === 0, onclick: () => move(-1), testid: 'previous-page' }, '‹ Previous'),
    h('span', { class: 'page-number', testid: 'page-number' }, `Page ${pageIndex + 1}${shown ? ` · ${shown} ${noun}` : ''}`),
    h('button', { type: 'button', disabled: !hasNext, onclick: () => move(1), testid: 'next-page' }, 'Next ›'),
  ];
}

/**
 * @param {string} findingArn
 * @param {FindingsQuery} query
 */
async function findingDetail(findingArn, query) {
  const [listed, details] = await Promise.all([
    inspector.listFindings({ maxResults: 1, filterCriteria: { findingArn: [{ comparison: 'EQUALS', value: findingArn }] } }),
    // Enrichment only (EPSS, CWEs, CISA); the finding shows without it.
    inspector.batchGetFindingDetails({ findingArns: [findingArn] }).catch(() => undefined),
  ]);
  const finding = listed.findings?.[0];
  const close = h('a', { class: 'close', href: findingsHash(query), title: 'Close', 'aria-label': 'Close', testid: 'close-detail' }, '×');
  if (!finding) {
    const { accountId, region } = currentIdentity();
    return [close, h('h2', {}, 'Finding not found'), emptyNote(`Account ${accountId} in ${region} has no finding ${findingArn}.`)];
  }
  /** @type {Wire<Shapes['FindingDetail']>} */
  const detail = details?.findingDetails?.find((d) => d.findingArn === findingArn) ?? {};
  const vulnerability = finding.packageVulnerabilityDetails;
  const adjusted = finding.inspectorScoreDetails?.adjustedCvss;
  const epss = finding.epss?.score ?? detail.epssScore;
  const references = [
    ...new Set([...(vulnerability?.referenceUrls ?? []), ...(finding.codeVulnerabilityDetails?.referenceUrls ?? []), ...(detail.referenceUrls ?? [])]),
  ];
  /**
   * @param {string} title
   * @param {string} testid
   * @param {...Child} content
   */
  const section = (title, testid, ...content) => h('section', { class: 'detail-section', testid }, h('h3', {}, title), ...content);
  return [
    close,
    h(
      'div',
      { class: 'detail-head' },
      severityBadge(finding.severity, 'detail-severity'),
      statusBadge(finding.status, 'detail-status'),
      h('span', { class: 'detail-type' }, humanize(finding.type)),
    ),
    h('h2', { class: 'detail-title', testid: 'detail-title' }, finding.title),
    h('p', { class: 'detail-description', testid: 'detail-description' }, finding.description),
    h(
      'div',
      { class: 'key-facts' },
      keyFact(
        'Inspector score',
        typeof finding.inspectorScore === 'number' ? finding.inspectorScore.toFixed(1) : '—',
        'detail-score',
        `score-${scoreBand(finding.inspectorScore)}`,
      ),
      keyFact('Exploit available', humanize(finding.exploitAvailable ?? 'NO'), 'detail-exploit', finding.exploitAvailable === 'YES' ? 'warn' : ''),
      keyFact('Fix available', humanize(finding.fixAvailable ?? 'NO'), 'detail-fix', finding.fixAvailable === 'YES' ? 'good' : ''),
      keyFact('EPSS score', typeof epss === 'number' ? epss.toFixed(5) : '—', 'detail-epss'),
    ),
    adjusted
      ? section(
          'Inspector score breakdown',
          'detail-score-breakdown',
          facts([
            ['Score', String(adjusted.score)],
            ['Score source', adjusted.scoreSource],
            ['CVSS source', adjusted.cvssSource],
            ['CVSS version', adjusted.version],
            ['Scoring vector', h('code', {}, adjusted.scoringVector)],
            [
              'Adjustments',
              adjusted.adjustments?.length
                ? h(
                    'ul',
                    { class: 'plain' },
                    adjusted.adjustments.map((a) => h('li', {}, h('strong', {}, a.metric), ` — ${a.reason}`)),
                  )
                : 'None: the score is the base score',
            ],
          ]),
        )
      : null,
    vulnerability
      ? section(
          'Vulnerability',
          'detail-vulnerability',
          facts([
            ['Vulnerability ID', h('span', { class: 'mono', testid: 'detail-vulnerability-id' }, vulnerability.vulnerabilityId)],
            ['Source', vulnerability.source],
            ['Source URL', vulnerability.sourceUrl ? externalLink(vulnerability.sourceUrl, undefined, 'detail-source-url') : undefined],
            ['Vendor severity', vulnerability.vendorSeverity],
            ['Published', vulnerability.vendorCreatedAt ? formatTime(vulnerability.vendorCreatedAt) : undefined],
            [
              'CVSS',
              vulnerability.cvss?.length
                ? h(
                    'ul',
                    { class: 'plain' },
                    vulnerability.cvss.map((c) =>
                      h('li', {}, `${c.source} ${c.version}: `, h('strong', {}, String(c.baseScore)), ' ', h('code', {}, c.scoringVector)),
                    ),
                  )
                : undefined,
            ],
            ['Related', vulnerability.relatedVulnerabilities?.length ? vulnerability.relatedVulnerabilities.join(', ') : undefined],
            ['CWEs', detail.cwes?.length ? detail.cwes.join(', ') : undefined],
            ['CISA KEV', detail.cisaData ? cisa(detail.cisaData) : undefined],
            ['Exploit observed', detail.exploitObserved?.lastSeen ? formatTime(detail.exploitObserved.lastSeen) : undefined],
          ]),
        )
      : null,
    vulnerability?.vulnerablePackages?.length
      ? section(
          'Affected packages',
          'detail-packages',
          vulnerability.vulnerablePackages.map((p) =>
            h(
              'div',
              { class: 'package', testid: 'detail-package' },
              h(
                'div',
                { class: 'package-head' },
                h('strong', { testid: 'package-name' }, p.name),
                p.packageManager ? h('span', { class: 'muted' }, p.packageManager) : null,
              ),
              facts([
                ['Installed version', h('span', { class: 'mono' }, packageVersion(p))],
                ['Fixed in version', h('span', { class: 'mono' }, p.fixedInVersion ?? 'NotAvailable')],
                ['Remediation', p.remediation ? h('code', {}, p.remediation) : undefined],
                ['File path', p.filePath ? h('span', { class: 'mono wrap' }, p.filePath) : undefined],
                ['Architecture', p.arch],
                ['Lambda layer', p.sourceLambdaLayerArn ? h('span', { class: 'mono wrap' }, p.sourceLambdaLayerArn) : undefined],
                ['Image layer', p.sourceLayerHash ? h('span', { class: 'mono wrap' }, p.sourceLayerHash) : undefined],
              ]),
            ),
          ),
        )
      : null,
    finding.networkReachabilityDetails ? section('Network path', 'detail-network', networkPath(finding.networkReachabilityDetails)) : null,
    finding.codeVulnerabilityDetails ? section('Code', 'detail-code', codeDetails(finding.codeVulnerabilityDetails)) : null,
    section(
      'Remediation',
      'detail-remediation',
      h('p', {}, finding.remediation?.recommendation?.text ?? 'None provided'),
      finding.remediation?.recommendation?.Url ? externalLink(finding.remediation.recommendation.Url) : null,
    ),
    section('Resources', 'detail-resources', (finding.resources ?? []).map(resourceFacts)),
    references.length
      ? section(
          'References',
          'detail-references',
          h(
            'ul',
            { class: 'plain references' },
            references.map((url) => h('li', {}, externalLink(url))),
          ),
        )
      : null,
    section(
      'Finding',
      'detail-finding',
      facts([
        ['Finding ARN', h('span', { class: 'mono wrap', testid: 'detail-arn' }, finding.findingArn)],
        ['Account', finding.awsAccountId],
        ['First observed', formatTime(finding.firstObservedAt)],
        ['Last observed', formatTime(finding.lastObservedAt)],
        ['Updated', formatTime(finding.updatedAt)],
      ]),
    ),
  ];
}

/**
 * @param {string} label
 * @param {string} value
 * @param {string} testid
 * @param {string} [tone]
 */
function keyFact(label, value, testid, tone = '') {
  return h('div', { class: `key-fact ${tone}` }, h('span', { class: 'key-fact-value', testid }, value), h('span', { class: 'key-fact-label' }, label));
}

/** @param {number | undefined} score */
function scoreBand(score) {
  if (typeof score !== 'number') return 'none';
  return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : 'low';
}

/** @param {Wire<Shapes['VulnerablePackage']>} p */
function packageVersion(p) {
  const version = `${p.version}${p.release ? `-${p.release}` : ''}`;
  return p.epoch ? `${p.epoch}:${version}` : version;
}

/** @param {Wire<Shapes['CisaData']>} data */
function cisa(data) {
  return [
    data.dateAdded ? `added ${formatTime(data.dateAdded).slice(0, 10)}` : 'listed',
    data.dateDue ? `, due ${formatTime(data.dateDue).slice(0, 10)}` : '',
    data.action ? ` — ${data.action}` : '',
  ].join('');
}

/** @param {Wire<Shapes['NetworkReachabilityDetails']>} details */
function networkPath(details) {
  const range = details.openPortRange;
  return [
    facts([
      ['Open ports', range ? (range.begin === range.end ? String(range.begin) : `${range.begin}–${range.end}`) : undefined],
      ['Protocol', details.protocol],
    ]),
    h(
      'ol',
      { class: 'path' },
      (details.networkPath?.steps ?? []).map((step) =>
        h('li', {}, h('span', { class: 'muted' }, step.componentType), ' ', h('span', { class: 'mono' }, step.componentId)),
      ),
    ),
  ];
}

/** @param {Wire<Shapes['CodeVulnerabilityDetails']>} details */
function codeDetails(details) {
  const file = details.filePath;
  return facts([
    ['File', file ? h('span', { class: 'mono' }, `${file.filePath}:${file.startLine}${file.endLine !== file.startLine ? `–${file.endLine}` : ''}`) : undefined],
    ['Detector', details.detectorName ? `${details.detectorName} (${details.detectorId})` : details.detectorId],
    ['Rule', details.ruleId],
    ['CWEs', details.cwes?.join(', ')],
  ]);
}

/** @param {Wire<Shapes['Resource']>} resource */
function resourceFacts(resource) {
  const ec2 = resource.details?.awsEc2Instance;
  const image = resource.details?.awsEcrContainerImage;
  const lambda = resource.details?.awsLambdaFunction;
  const tags = Object.entries(resource.tags ?? {});
  return h(
    'div',
    { class: 'resource' },
    facts([
      ['Type', resourceTypeLabel(resource.type)],
      ['ID', h('span', { class: 'mono wrap', testid: 'detail-resource-id' }, resource.id)],
      ['Region', resource.region],
      [
        'Tags',
        tags.length
          ? h(
              'span',
              { class: 'tags' },
              tags.map(([k, v]) => h('span', { class: 'tag' }, `${k}: ${v}`)),
            )
          : undefined,
      ],
      ...(ec2
        ? /** @type {[string, Child][]} */ ([
            ['Instance type', ec2.type],
            ['AMI', ec2.imageId],
            ['Platform', ec2.platform],
            ['IP addresses', [...(ec2.ipV4Addresses ?? []), ...(ec2.ipV6Addresses ?? [])].join(', ')],
            ['VPC / subnet', ec2.vpcId ? `${ec2.vpcId} / ${ec2.subnetId ?? '—'}` : undefined],
          ])
        : []),
      ...(image
        ? /** @type {[string, Child][]} */ ([
            ['Repository', image.repositoryName],
            ['Image tags', image.imageTags?.join(', ')],
            ['Pushed', image.pushedAt ? formatTime(image.pushedAt) : undefined],
            ['Platform', image.platform],
          ])
        : []),
      ...(lambda
        ? /** @type {[string, Child][]} */ ([
            ['Function', lambda.functionName],
            ['Runtime', lambda.runtime],
            ['Version', lambda.version],
          ])
        : []),
    ]),
  );
}

// ---------------------------------------------------------------------------------------
// Coverage

/** Which page of the coverage list the table shows; the tokens are those ListCoverage gave. */
/** @type {{ tokens: (string | undefined)[], pageIndex: number }} */
const coverageTable = { tokens: [undefined], pageIndex: 0 };

/** @param {Route} route */
function coveragePage(route) {
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

// ---------------------------------------------------------------------------------------
// Accounts

/** @type {ReturnType<typeof setTimeout> | undefined} */
let statusPoll;

function accountsPage() {
  const { accountId, region } = currentIdentity();
  const status = card(`Scanning in ${region}`, { testid: 'account-status-card', subtitle: `Account ${accountId}` });
  const organization = card('Organization', { testid: 'organization-card' });
  const admin = card('Delegated administrator', { testid: 'delegated-admin-card' });
  const members = card('Member accounts', { testid: 'members-card' });
  main.replaceChildren(
    pageHeader('Accounts', `${accountLabel(accountId)} · ${region}`),
    status.element,
    h('div', { class: 'grid two' }, organization.element, admin.element),
    members.element,
  );
  void fill(status.body, () => accountStatus(status.body));
  // The organizations may have changed since the page was loaded (accounts joined).
  const orgs = loadOrganizations();
  void fill(organization.body, async () => {
    await orgs;
    return organizationFacts(accountId);
  });
  void fill(admin.body, async () => {
    await orgs;
    return delegatedAdministrator(accountId);
  });
  void fill(members.body, () => memberAccounts());
}

/**
 * A scan type's status, from BatchGetAccountStatus (resourceState) or Enable/Disable (resourceStatus).
 * @param {AccountAnswer | undefined} account
 * @param {ScanTypeKey} key
 * @returns {string | undefined}
 */
function statusOf(account, key) {
  if (!account) return undefined;
  return 'resourceState' in account ? account.resourceState[key]?.status : account.resourceStatus[key];
}

/** @param {HTMLElement} target */
async function accountStatus(target) {
  const { accountId } = currentIdentity();
  const output = await inspector.batchGetAccountStatus({ accountIds: [accountId] });
  const failed = output.failedAccounts?.find((a) => a.accountId === accountId);
  if (failed) throw new ApiError('BatchGetAccountStatus', 200, failed.errorCode, failed.errorMessage);
  const account = output.accounts?.find((a) => a.accountId === accountId);
  // While something is on its way, look again shortly (the transition happens on the emulator's clock).
  clearTimeout(statusPoll);
  if (SCAN_TYPES.some((t) => TRANSITIONAL.has(statusOf(account, t.key) ?? ''))) {
    statusPoll = setTimeout(() => target.isConnected && void fill(target, () => accountStatus(target), { quiet: true }), 1500);
  }
  return statusTable(target, account, account?.state?.status);
}

/**
 * @param {HTMLElement} target
 * @param {AccountAnswer | undefined} account
 * @param {string | undefined} overall
 * @returns {Node[]}
 */
function statusTable(target, account, overall) {
  const { accountId } = currentIdentity();
  /**
   * @param {'enable' | 'disable'} action
   * @param {ScanTypeName} type
   */
  const change = async (action, type) => {
    for (const button of target.querySelectorAll('button')) button.disabled = true;
    try {
      const output = await inspector[action]({ resourceTypes: [type] });
      const failed = output.failedAccounts?.find((a) => a.accountId === accountId);
      if (failed) showError(new ApiError(action === 'enable' ? 'Enable' : 'Disable', 200, failed.errorCode, failed.errorMessage));
      const changed = output.accounts?.find((a) => a.accountId === accountId);
      // What Enable/Disable answered (ENABLING, DISABLING) shows until the status is read again.
      if (changed && target.isConnected) target.replaceChildren(...statusTable(target, changed, changed.status));
    } catch (error) {
      showError(error);
    }
    await fill(target, () => accountStatus(target), { quiet: true });
  };
  return [
    h('p', { class: 'account-overall' }, 'Amazon Inspector is ', statusBadge(overall ?? 'DISABLED', 'account-status'), ` for account ${accountId}.`),
    table(
      ['Scan type', 'Status', h('th', { class: 'actions' }, '')],
      SCAN_TYPES.map(({ type, key, label }) => {
        const status = statusOf(account, key) ?? 'DISABLED';
        return h(
          'tr',
          { testid: `scan-type-${type}` },
          h('td', {}, h('strong', {}, label), h('div', { class: 'muted mono' }, type)),
          h('td', {}, statusBadge(status, `scan-status-${type}`)),
          h(
            'td',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                testid: `enable-${type}`,
                disabled: status === 'ENABLED' || TRANSITIONAL.has(status),
                onclick: () => change('enable', type),
              },
              'Enable',
            ),
            h(
              'button',
              {
                type: 'button',
                testid: `disable-${type}`,
                disabled: status === 'DISABLED' || TRANSITIONAL.has(status),
                onclick: () => change('disable', type),
              },
              'Disable',
            ),
          ),
        );
      }),
      { testid: 'scan-types' },
    ),
  ];
}

/** @param {string} accountId */
function organizationFacts(accountId) {
  const organization = organizationOf(accountId);
  if (!organization) return emptyNote(`Account ${accountId} is standalone: it belongs to no organization of this world.`);
  const role = organization.managementAccountId === accountId ? 'Management account' : 'Member of the organization';
  return [
    facts([
      ['Organization', h('span', { class: 'mono' }, organization.id)],
      ['Management account', organization.managementAccountId],
      ['This account', h('span', { testid: 'organization-role' }, role)],
    ]),
    table(
      ['Account', 'Name', ''],
      organization.accounts.map((account) =>
        h(
          'tr',
          { class: account.id === accountId ? 'selected' : '' },
          h('td', { class: 'mono' }, account.id),
          h('td', {}, account.name),
          h(
            'td',
            { class: 'actions' },
            account.id === accountId
              ? h('span', { class: 'muted' }, 'current')
              : h('button', { type: 'button', onclick: () => pickIdentity(account.id, currentIdentity().region) }, 'View as'),
          ),
        ),
      ),
      { class: 'compact' },
    ),
  ];
}

/** @param {string} accountId */
async function delegatedAdministrator(accountId) {
  const organization = organizationOf(accountId);
  if (organization?.managementAccountId === accountId) {
    const admins = await listAll(inspector.listDelegatedAdminAccounts, { maxResults: 5 }, 'delegatedAdminAccounts');
    if (!admins.length) return emptyNote('None designated. The management account designates one with EnableDelegatedAdminAccount.');
    return table(
      ['Account', 'Status'],
      admins.map((admin) =>
        h(
          'tr',
          { testid: 'delegated-admin' },
          h('td', { class: 'mono' }, `${admin.accountId} ${accountNameOf(admin.accountId) ? `(${accountNameOf(admin.accountId)})` : ''}`),
          h('td', {}, statusBadge(admin.status)),
        ),
      ),
    );
  }
  const output = await inspector.getDelegatedAdminAccount({});
  const admin = output.delegatedAdmin;
  if (!admin?.accountId)
    return emptyNote(
      organization ? 'The organization has no delegated administrator in this region.' : 'No delegated administrator: the account is standalone.',
    );
  return facts([
    ['Account', h('span', { class: 'mono', testid: 'delegated-admin' }, `${admin.accountId}${admin.accountId === accountId ? ' (this account)' : ''}`)],
    ['Relationship', statusBadge(admin.relationshipStatus)],
  ]);
}

async function memberAccounts() {
  let members;
  try {
    members = await listAll(inspector.listMembers, { onlyAssociated: false, maxResults: 50 }, 'members');
  } catch (error) {
    // Only a delegated administrator lists members: for anyone else the answer says so.
    if (error instanceof ApiError && error.name === 'AccessDeniedException') return h('p', { class: 'muted', testid: 'members-note' }, error.message);
    throw error;
  }
  if (!members.length) return emptyNote('No member accounts.');
  return table(
    ['Account', 'Name', 'Relationship', 'Delegated administrator', 'Updated'],
    members.map((member) =>
      h(
        'tr',
        { testid: 'member-row' },
        h('td', { class: 'mono' }, member.accountId),
        h('td', {}, accountNameOf(member.accountId) ?? '—'),
        h('td', {}, statusBadge(member.relationshipStatus)),
        h('td', { class: 'mono' }, member.delegatedAdminAccountId ?? '—'),
        h('td', { class: 'nowrap' }, formatTime(member.updatedAt)),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------
// Start

function start() {
  for (const region of REGIONS) regionPicker.append(h('option', { value: region }, region));
  const stored = { accountId: storedValue(STORAGE_KEYS.account), region: storedValue(STORAGE_KEYS.region) };
  setIdentity(
    stored.accountId && /^\d{12}$/.test(stored.accountId) ? stored.accountId : DEFAULT_ACCOUNT,
    stored.region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(stored.region) ? stored.region : DEFAULT_REGION,
  );
  const fromUrl = identityFromUrl();
  useIdentity(fromUrl.accountId, fromUrl.region);
  accountPicker.addEventListener('change', () => {
    const value = accountPicker.value.trim();
    if (!/^\d{12}$/.test(value)) {
      accountPicker.classList.add('invalid');
      showError(new Error(`An account id is 12 digits; '${value}' is not one.`));
      return;
    }
    pickIdentity(value, currentIdentity().region);
  });
  regionPicker.addEventListener('change', () => pickIdentity(currentIdentity().accountId, regionPicker.value));
  window.addEventListener('hashchange', render);
  void loadOrganizations().then(() => render());
}

start();
