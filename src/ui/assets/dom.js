// The console's element helpers: `h` builds elements (texts always go in as text nodes),
// the building blocks of its pages (cards, tables, badges, facts, the pager), `fill` for
// the parts loaded from the API, and the error banner.
// @ts-check
import { ApiError } from './api.js';
import { humanize } from './format.js';

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

/**
 * The element of index.html with this id, of this class.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} type
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`index.html has no ${type.name} #${id}`);
  return element;
}

export const main = byId('main', HTMLElement);
const banner = byId('banner', HTMLDivElement);

/**
 * An element with properties and children; strings become text nodes.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
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
export function externalLink(url, text, testid) {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) return h('span', { testid }, text ?? url ?? '—');
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', testid }, text ?? url);
}

/**
 * @param {string | undefined} severity
 * @param {string} [testid]
 */
export function severityBadge(severity, testid) {
  const value = severity ?? 'UNTRIAGED';
  return h('span', { class: `badge sev sev-${value.toLowerCase()}`, testid, dataset: { severity: value } }, humanize(value));
}

/**
 * @param {string | undefined} status
 * @param {string} [testid]
 */
export function statusBadge(status, testid) {
  const value = status ?? 'UNKNOWN';
  return h('span', { class: `badge status status-${value.toLowerCase()}`, testid, dataset: { status: value } }, humanize(value));
}

/**
 * @param {string} title
 * @param {{ testid?: string, class?: string, subtitle?: string, actions?: Node }} [options]
 */
export function card(title, options = {}) {
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
export function pageHeader(title, subtitle) {
  return h('div', { class: 'page-header' }, h('h1', {}, title), subtitle ? h('p', { class: 'page-subtitle' }, subtitle) : null);
}

/** @param {string} text */
export function emptyNote(text) {
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
export function table(headers, rows, options = {}) {
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
export function facts(pairs, testid) {
  return h(
    'dl',
    { class: 'facts', testid },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== '').map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]),
  );
}

/**
 * @param {number} pageIndex
 * @param {boolean} hasNext
 * @param {number} shown
 * @param {string} noun
 * @param {(delta: number) => void} move
 */
export function pager(pageIndex, hasNext, shown, noun, move) {
  return [
    h('button', { type: 'button', disabled: pageIndex === 0, onclick: () => move(-1), testid: 'previous-page' }, '‹ Previous'),
    h('span', { class: 'page-number', testid: 'page-number' }, `Page ${pageIndex + 1}${shown ? ` · ${shown} ${noun}` : ''}`),
    h('button', { type: 'button', disabled: !hasNext, onclick: () => move(1), testid: 'next-page' }, 'Next ›'),
  ];
}

/** @param {number | undefined} score */
export function scoreChip(score) {
  return h('span', { class: 'score-chip', title: 'Inspector score' }, typeof score === 'number' ? score.toFixed(1) : '—');
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
export async function fill(target, load, options = {}) {
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
export function showError(error) {
  const text = error instanceof ApiError ? `${error.operation}: ${error.name} — ${error.message}` : error instanceof Error ? error.message : String(error);
  if ([...banner.querySelectorAll('.banner-message')].some((line) => line.textContent === text)) return;
  banner.append(h('div', { class: 'banner-line' }, h('span', { class: 'banner-message', testid: 'error-message' }, text)));
  if (!banner.querySelector('.banner-close')) {
    banner.prepend(h('button', { class: 'banner-close', type: 'button', title: 'Dismiss', 'aria-label': 'Dismiss', onclick: clearBanner }, '×'));
  }
  banner.hidden = false;
}

export function clearBanner() {
  banner.replaceChildren();
  banner.hidden = true;
}
