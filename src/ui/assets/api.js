// The console's only way to the data: the inspector2 API itself (restJson1), called as the
// account and region chosen in the header, plus two reads of the emulator's control plane
// (organizations, clock) that the API has no operation for. The emulator serves a request
// as the account and region named in its SigV4 credential scope and, unless it runs with
// INSPECTOR2_VERIFY_SIGNATURES=1, does not check the signature, so none is computed here.

const ZERO_SIGNATURE = '0'.repeat(64);

/** An error the API (or the control plane) answered: the AWS error name and its message. */
export class ApiError extends Error {
  constructor(operation, status, name, message) {
    super(message);
    this.operation = operation;
    this.status = status;
    this.name = name;
  }
}

let identity = { accountId: '000000000000', region: 'us-east-1' };

/** Who the console calls the API as, from now on. */
export function setIdentity(accountId, region) {
  identity = { accountId, region };
}

export function currentIdentity() {
  return { ...identity };
}

function amzDate(now) {
  // 2025-01-02T03:04:05.678Z -> 20250102T030405Z
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function authorizationHeaders() {
  const date = amzDate(new Date());
  const scope = `${identity.accountId}/${date.slice(0, 8)}/${identity.region}/inspector2/aws4_request`;
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${ZERO_SIGNATURE}`,
    'x-amz-date': date,
  };
}

async function errorFrom(operation, response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy, a dropped connection): the status says what there is to say.
  }
  const header = response.headers.get('x-amzn-errortype') ?? '';
  const name = header.split(':')[0] || body.__type || `HTTP ${response.status}`;
  const message = body.message ?? body.Message ?? response.statusText ?? 'The request failed.';
  return new ApiError(operation, response.status, name, message);
}

/** One API operation: POST (or the operation's method) of a JSON body to its path. */
async function call(operation, path, input = {}) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorizationHeaders() },
      body: JSON.stringify(input),
    });
  } catch (error) {
    throw new ApiError(operation, 0, 'NetworkError', `The emulator did not answer: ${error.message}`);
  }
  if (!response.ok) throw await errorFrom(operation, response);
  return response.json();
}

/** The operations the console uses, named as in the API. */
export const inspector = {
  batchGetAccountStatus: (input) => call('BatchGetAccountStatus', '/status/batch/get', input),
  enable: (input) => call('Enable', '/enable', input),
  disable: (input) => call('Disable', '/disable', input),
  listFindings: (input) => call('ListFindings', '/findings/list', input),
  batchGetFindingDetails: (input) => call('BatchGetFindingDetails', '/findings/details/batch/get', input),
  listFindingAggregations: (input) => call('ListFindingAggregations', '/findings/aggregation/list', input),
  listCoverage: (input) => call('ListCoverage', '/coverage/list', input),
  listCoverageStatistics: (input) => call('ListCoverageStatistics', '/coverage/statistics/list', input),
  listDelegatedAdminAccounts: (input) => call('ListDelegatedAdminAccounts', '/delegatedadminaccounts/list', input),
  getDelegatedAdminAccount: (input) => call('GetDelegatedAdminAccount', '/delegatedadminaccounts/get', input),
  listMembers: (input) => call('ListMembers', '/members/list', input),
};

/** Every item of a paginated list operation, following nextToken (at most `maxPages` pages). */
export async function listAll(operation, input, resultKey, maxPages = 20) {
  const items = [];
  let nextToken;
  for (let page = 0; page < maxPages; page++) {
    const output = await operation({ ...input, ...(nextToken ? { nextToken } : {}) });
    items.push(...(output[resultKey] ?? []));
    nextToken = output.nextToken;
    if (!nextToken) break;
  }
  return items;
}

/** A GET of the emulator's control plane (/_inspector2/...). */
export async function controlPlane(path) {
  let response;
  try {
    response = await fetch(`/_inspector2/${path}`, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(path, 0, 'NetworkError', `The emulator did not answer: ${error.message}`);
  }
  if (!response.ok) throw await errorFrom(`GET /_inspector2/${path}`, response);
  return response.json();
}
