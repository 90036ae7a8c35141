// The Findings page: the filters (kept in the URL), the table with its sort and pages, and
// the pane of the finding that is open (finding-detail.js).
// @ts-check
import { currentIdentity, inspector } from './api.js';
import { emptyNote, fill, h, main, pageHeader, pager, scoreChip, severityBadge, statusBadge, table } from './dom.js';
import { findingDetail } from './finding-detail.js';
import { defaultFindingsQuery, filterCriteria, findingsHash, findingsQuery } from './findings-query.js';
import { formatTime, humanize, resourceTypeLabel, shortResourceId } from './format.js';
import { accountLabel } from './identity.js';
import { parseRoute } from './route.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/** @typedef {import('./route.js').Route} Route */
/** @typedef {import('./findings-query.js').FindingsQuery} FindingsQuery */

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNTRIAGED'];
const FINDING_STATUSES = ['ACTIVE', 'SUPPRESSED', 'CLOSED'];
const FINDING_TYPES = ['PACKAGE_VULNERABILITY', 'NETWORK_REACHABILITY', 'CODE_VULNERABILITY'];
const FINDINGS_PAGE_SIZE = 25;

/** Which page of which query the table shows; the tokens are those ListFindings gave. */
/** @type {{ key: string, tokens: (string | undefined)[], pageIndex: number }} */
const findingsTable = { key: '', tokens: [undefined], pageIndex: 0 };

/** @param {Route} route */
export function findingsPage(route) {
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
