// Formatting for the console: times, numbers, the API's upper-case names as words, and the
// labels of resource types and scan modes. Pure functions and constants, no DOM.
// @ts-check

export const RESOURCE_TYPES = [
  { type: 'AWS_EC2_INSTANCE', label: 'EC2 instances' },
  { type: 'AWS_ECR_REPOSITORY', label: 'ECR repositories' },
  { type: 'AWS_ECR_CONTAINER_IMAGE', label: 'Container images' },
  { type: 'AWS_LAMBDA_FUNCTION', label: 'Lambda functions' },
  { type: 'CODE_REPOSITORY', label: 'Code repositories' },
];

/** @param {number | undefined} epochSeconds */
export function formatTime(epochSeconds) {
  if (typeof epochSeconds !== 'number') return '—';
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** @param {number | undefined} value */
export function formatNumber(value) {
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
export const SCAN_MODE_LABELS = { EC2_SSM_AGENT_BASED: 'Agent-based (SSM)', EC2_AGENTLESS: 'Agentless' };

/**
 * CRITICAL → Critical, UNMANAGED_EC2_INSTANCE → Unmanaged EC2 instance.
 * @param {string | undefined} value
 */
export function humanize(value) {
  if (!value) return '—';
  const text = value
    .split('_')
    .map((word) => (ACRONYMS.has(word) ? word : word.toLowerCase()))
    .join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** @param {string | undefined} type */
export function resourceTypeLabel(type) {
  return (type && RESOURCE_TYPE_LABELS[type]) ?? humanize(type);
}

/** @param {string | undefined} id */
export function shortResourceId(id) {
  if (!id) return '—';
  // ARNs are long; the interesting part is at the end.
  return id.length > 60 ? `…${id.slice(-57)}` : id;
}
