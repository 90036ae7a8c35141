// The console's only way to the data: the inspector2 API itself (restJson1), called as the
// account and region chosen in the header, plus two reads of the emulator's control plane
// (organizations, clock) that the API has no operation for. The emulator serves a request
// as the account and region named in its SigV4 credential scope and, unless it runs with
// INSPECTOR2_VERIFY_SIGNATURES=1, does not check the signature, so none is computed here.
//
// Type-checked by tsc through JSDoc (src/ui/tsconfig.json): the shapes are the ones
// openapi-typescript generates from the AWS model, the same the emulator's handlers use.
// @ts-check

/** @typedef {import('../../../openapi/inspector2.js').components['schemas']} Shapes */
/**
 * A shape as it travels in restJson1: the model's timestamps (typed `Date`) are epoch seconds.
 * @template T
 * @typedef {T extends Date ? number : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T} Wire
 */
/**
 * The input shape of an operation: the model's `<Operation>Request`, as sent.
 * @template {string} Op
 * @typedef {`${Op}Request` extends keyof Shapes ? Wire<Shapes[`${Op}Request`]> : never} RequestOf
 */
/**
 * The output shape of an operation: the model's `<Operation>Response`, as received.
 * @template {string} Op
 * @typedef {`${Op}Response` extends keyof Shapes ? Wire<Shapes[`${Op}Response`]> : never} ResponseOf
 */
/**
 * An organization of the world, as the control plane lists it (GET /_inspector2/organizations).
 * @typedef {{ id: string, managementAccountId: string, accounts: { id: string, name: string }[] }} Organization
 */
/**
 * What the console reads of the control plane, by path.
 * @typedef {{ organizations: Organization[], health: { clock: string } }} ControlPlaneAnswers
 */

const ZERO_SIGNATURE = '0'.repeat(64);

/** An error the API (or the control plane) answered: the AWS error name and its message. */
export class ApiError extends Error {
  /**
   * @param {string} operation the operation (or control-plane request) that failed
   * @param {number} status the HTTP status, 0 when nothing answered
   * @param {string} name the AWS error name (`AccessDeniedException`, ...)
   * @param {string} message
   */
  constructor(operation, status, name, message) {
    super(message);
    this.operation = operation;
    this.status = status;
    this.name = name;
  }
}

/** @type {{ accountId: string, region: string }} */
let identity = { accountId: '000000000000', region: 'us-east-1' };

/**
 * Who the console calls the API as, from now on.
 * @param {string} accountId
 * @param {string} region
 */
export function setIdentity(accountId, region) {
  identity = { accountId, region };
}

export function currentIdentity() {
  return { ...identity };
}

/** @param {Date} now */
function amzDate(now) {
  // 2025-01-02T03:04:05.678Z -> 20250102T030405Z
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function authorizationHeaders() {
  const date = amzDate(new Date());
  const scope = `${identity.accountId}/${date.slice(0, 8)}/${identity.region}/inspector2/aws4_request`;
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;x-amz-date, Signature=${ZERO_SIGNATURE}`,
    'x-amz-date': date,
  };
}

/**
 * @param {string} operation
 * @param {Response} response
 */
async function errorFrom(operation, response) {
  /** @type {{ __type?: string, message?: string, Message?: string }} */
  let body = {};
  try {
    const parsed = /** @type {unknown} */ (await response.json());
    if (parsed && typeof parsed === 'object') body = parsed;
  } catch {
    // Not JSON (a proxy, a dropped connection): the status says what there is to say.
  }
  const header = response.headers.get('x-amzn-errortype') ?? '';
  const name = header.split(':')[0] || body.__type || `HTTP ${response.status}`;
  const message = body.message ?? body.Message ?? (response.statusText || 'The request failed.');
  return new ApiError(operation, response.status, name, message);
}

/**
 * One API operation: POST of a JSON body to its path.
 * @param {string} operation
 * @param {string} path
 * @param {unknown} input
 * @returns {Promise<unknown>}
 */
async function call(operation, path, input) {
  let response;
  try {
    response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authorizationHeaders() },
      body: JSON.stringify(input),
    });
  } catch (error) {
    throw new ApiError(operation, 0, 'NetworkError', `The emulator did not answer: ${messageOf(error)}`);
  }
  if (!response.ok) throw await errorFrom(operation, response);
  return /** @type {Promise<unknown>} */ (response.json());
}

/**
 * An operation of the API, typed by the model: its input and output shapes.
 * @template {string} Op
 * @param {Op} name
 * @param {string} path
 * @returns {(input: RequestOf<Op>) => Promise<ResponseOf<Op>>}
 */
function operation(name, path) {
  // The emulator answers with the model's output shape (its conformance tests hold it to that).
  return async (input) => /** @type {ResponseOf<Op>} */ (await call(name, path, input));
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/** The operations the console uses, named as in the API. */
export const inspector = {
  batchGetAccountStatus: operation('BatchGetAccountStatus', '/status/batch/get'),
  enable: operation('Enable', '/enable'),
  disable: operation('Disable', '/disable'),
  listFindings: operation('ListFindings', '/findings/list'),
  batchGetFindingDetails: operation('BatchGetFindingDetails', '/findings/details/batch/get'),
  listFindingAggregations: operation('ListFindingAggregations', '/findings/aggregation/list'),
  listCoverage: operation('ListCoverage', '/coverage/list'),
  listCoverageStatistics: operation('ListCoverageStatistics', '/coverage/statistics/list'),
  listDelegatedAdminAccounts: operation('ListDelegatedAdminAccounts', '/delegatedadminaccounts/list'),
  getDelegatedAdminAccount: operation('GetDelegatedAdminAccount', '/delegatedadminaccounts/get'),
  listMembers: operation('ListMembers', '/members/list'),
};

/**
 * Every item of a paginated list operation, following nextToken (at most `maxPages` pages).
 * @template {{ nextToken?: string }} I
 * @template {{ nextToken?: string }} O
 * @template {keyof O} K
 * @param {(input: I) => Promise<O>} list
 * @param {Omit<I, 'nextToken'>} input
 * @param {K} resultKey the output member that holds the items
 * @param {number} [maxPages]
 * @returns {Promise<NonNullable<O[K]> extends readonly (infer T)[] ? T[] : never>}
 */
export async function listAll(list, input, resultKey, maxPages = 20) {
  /** @type {unknown[]} */
  const items = [];
  /** @type {string | undefined} */
  let nextToken;
  for (let page = 0; page < maxPages; page++) {
    const output = await list(/** @type {I} */ ({ ...input, ...(nextToken ? { nextToken } : {}) }));
    const pageItems = output[resultKey];
    if (Array.isArray(pageItems)) items.push(.../** @type {unknown[]} */ (pageItems));
    nextToken = output.nextToken;
    if (!nextToken) break;
  }
  return /** @type {NonNullable<O[K]> extends readonly (infer T)[] ? T[] : never} */ (items);
}

/**
 * A GET of the emulator's control plane (/_inspector2/...).
 * @template {keyof ControlPlaneAnswers} P
 * @param {P} path
 * @returns {Promise<ControlPlaneAnswers[P]>}
 */
export async function controlPlane(path) {
  let response;
  try {
    response = await fetch(`/_inspector2/${path}`, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(path, 0, 'NetworkError', `The emulator did not answer: ${messageOf(error)}`);
  }
  if (!response.ok) throw await errorFrom(`GET /_inspector2/${path}`, response);
  const answer = /** @type {unknown} */ (await response.json());
  return /** @type {ControlPlaneAnswers[P]} */ (answer);
}
