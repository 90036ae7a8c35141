// A findings query — the filters and the sort of the Findings page, kept in its URL — as the
// page's hash and as ListFindings' filter criteria. The other pages link into the Findings
// page through `findingsHash`.
// @ts-check

/** @typedef {import('./api.js').Shapes} Shapes */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {Wire<Shapes['StringFilter']>[]} StringFilters */
/** @typedef {{ severity: string, status: string, type: string, awsAccountId: string, resourceId: string, packageName: string, sort: string }} FindingsQuery */

const DEFAULT_FINDINGS_SORT = 'SEVERITY:DESC';

/** @returns {FindingsQuery} */
export function defaultFindingsQuery() {
  return { severity: '', status: 'ACTIVE', type: '', awsAccountId: '', resourceId: '', packageName: '', sort: DEFAULT_FINDINGS_SORT };
}

/** The members of a findings query, as they appear in the URL. */
const FINDINGS_QUERY_KEYS = /** @type {(keyof FindingsQuery)[]} */ (Object.keys(defaultFindingsQuery()));

/** @param {URLSearchParams} params */
export function findingsQuery(params) {
  const query = defaultFindingsQuery();
  for (const key of FINDINGS_QUERY_KEYS) query[key] = params.get(key) ?? query[key];
  return query;
}

/**
 * The page's URL for a query (and an open finding); defaults are left out.
 * @param {FindingsQuery} query
 * @param {string} [findingArn]
 */
export function findingsHash(query, findingArn) {
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
export function filterCriteria(query) {
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
