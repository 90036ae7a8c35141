// The account and region the console calls the API as: from the URL (?account=&region=, in
// the hash or the query string), else from localStorage, else the emulator's defaults; shown
// and changed by the header's pickers, with the organizations' account names beside them.
// @ts-check
import { controlPlane, currentIdentity, setIdentity } from './api.js';
import { byId, h, showError } from './dom.js';
import { routeParams } from './route.js';

/** @typedef {import('./api.js').Organization} Organization */

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

const accountPicker = byId('account-picker', HTMLInputElement);
const accountOptions = byId('account-options', HTMLDataListElement);
const accountName = byId('account-name', HTMLSpanElement);
const regionPicker = byId('region-picker', HTMLSelectElement);

/**
 * The organizations of the world (control plane), for the account picker and the Accounts page.
 * @type {Organization[]}
 */
let organizations = [];

/** Draws the page again after the pickers change the identity (the router's, given to `startIdentity`). */
let rerender = () => {};

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
export function identityFromUrl() {
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
export function useIdentity(accountId, region) {
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
export function accountNameOf(accountId) {
  for (const organization of organizations) {
    const account = organization.accounts.find((a) => a.id === accountId);
    if (account) return account.name;
  }
  return undefined;
}

/** @param {string} accountId */
export function organizationOf(accountId) {
  return organizations.find((organization) => organization.accounts.some((a) => a.id === accountId));
}

function showAccountName() {
  const { accountId } = currentIdentity();
  const organization = organizationOf(accountId);
  const name = accountNameOf(accountId);
  accountName.textContent = name ? `${name}${organization?.managementAccountId === accountId ? ' · management' : ''}` : 'standalone account';
}

export async function loadOrganizations() {
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

/**
 * Changes the identity from the pickers; the URL follows when it named one.
 * @param {string} accountId
 * @param {string} region
 */
export function pickIdentity(accountId, region) {
  useIdentity(accountId, region);
  const hash = location.hash.replace(/^#/, '') || '/dashboard';
  const q = hash.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
  if (params.has('account') || params.has('region')) {
    params.set('account', accountId);
    params.set('region', region);
    location.hash = `${q < 0 ? hash : hash.slice(0, q)}?${params.toString()}`;
  } else {
    rerender();
  }
}

/** @param {string | undefined} accountId */
export function accountLabel(accountId) {
  const name = accountNameOf(accountId);
  return name ? `Account ${accountId} (${name})` : `Account ${accountId}`;
}

/**
 * Fills the region picker, sets the identity from storage and the URL, and listens to the pickers.
 * @param {() => void} render draws the page again after the pickers change the identity
 */
export function startIdentity(render) {
  rerender = render;
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
}
