// The Accounts page: the scan types of the current account (enable and disable them), its
// organization, the delegated administrator, and the member accounts.
// @ts-check
import { ApiError, currentIdentity, inspector, listAll } from './api.js';
import { card, emptyNote, facts, fill, h, main, pageHeader, showError, statusBadge, table } from './dom.js';
import { formatTime } from './format.js';
import { accountLabel, accountNameOf, loadOrganizations, organizationOf, pickIdentity } from './identity.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {Wire<Shapes['Account']> | Wire<Shapes['AccountState']>} AccountAnswer An account as Enable/Disable or BatchGetAccountStatus answers it. */
/** @typedef {Shapes['ResourceScanType']} ScanTypeName A scan type as Enable and Disable name it. */
/** @typedef {keyof Shapes['ResourceState'] & keyof Shapes['ResourceStatus']} ScanTypeKey A scan type as account statuses name it. */

// BatchGetAccountStatus names the scan types in camelCase; Enable and Disable in upper case.
/** @type {{ type: ScanTypeName, key: ScanTypeKey, label: string }[]} */
const SCAN_TYPES = [
  { type: 'EC2', key: 'ec2', label: 'Amazon EC2 scanning' },
  { type: 'ECR', key: 'ecr', label: 'Amazon ECR scanning' },
  { type: 'LAMBDA', key: 'lambda', label: 'AWS Lambda standard scanning' },
  { type: 'LAMBDA_CODE', key: 'lambdaCode', label: 'AWS Lambda code scanning' },
  { type: 'CODE_REPOSITORY', key: 'codeRepository', label: 'Code repository scanning' },
];
const TRANSITIONAL = new Set(['ENABLING', 'DISABLING']);

/** @type {ReturnType<typeof setTimeout> | undefined} */
let statusPoll;

export function accountsPage() {
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
