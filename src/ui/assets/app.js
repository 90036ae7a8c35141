// The local console: hash-routed pages — #/dashboard, #/findings, #/findings/<arn>,
// #/coverage, #/accounts — drawn with DOM calls only. Every text that comes from the API
// goes in as a text node (never through innerHTML), and links from data must be http(s).
// The account and region come from the URL (?account=&region=, in the hash or the query
// string), else from localStorage, else the emulator's defaults (identity.js).
//
// This module starts the console, keeps the header's clock, and routes to the pages:
// page-dashboard.js, page-findings.js (its detail pane in finding-detail.js),
// page-coverage.js and page-accounts.js. They share dom.js (element helpers, the error
// banner), format.js, route.js, identity.js (the header's account and region pickers) and
// findings-query.js (the Findings page's URL, which the other pages link to).
//
// Type-checked by tsc through JSDoc (src/ui/tsconfig.json), with the API's shapes from api.js.
// @ts-check
import { controlPlane, currentIdentity } from './api.js';
import { byId, clearBanner } from './dom.js';
import { humanize } from './format.js';
import { identityFromUrl, loadOrganizations, startIdentity, useIdentity } from './identity.js';
import { accountsPage } from './page-accounts.js';
import { coveragePage } from './page-coverage.js';
import { dashboardPage } from './page-dashboard.js';
import { findingsPage } from './page-findings.js';
import { parseRoute } from './route.js';

/** @typedef {import('./route.js').Route} Route */

const clock = byId('clock', HTMLSpanElement);

async function showClock() {
  try {
    const health = await controlPlane('health');
    clock.textContent = `Clock ${health.clock.slice(0, 16).replace('T', ' ')} UTC`;
    clock.title = `The emulator's virtual clock: ${health.clock}`;
  } catch {
    clock.textContent = '';
  }
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
// Start

function start() {
  startIdentity(render);
  window.addEventListener('hashchange', render);
  void loadOrganizations().then(() => render());
}

start();
