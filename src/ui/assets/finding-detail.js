// The detail pane of the Findings page: one finding as ListFindings gives it, enriched by
// BatchGetFindingDetails (EPSS, CWEs, CISA) when that answers.
// @ts-check
import { currentIdentity, inspector } from './api.js';
import { emptyNote, externalLink, facts, h, severityBadge, statusBadge } from './dom.js';
import { findingsHash } from './findings-query.js';
import { formatTime, humanize, resourceTypeLabel } from './format.js';

/** @typedef {import('./api.js').Shapes} Shapes */
/**
 * @template T
 * @typedef {import('./api.js').Wire<T>} Wire
 */
/** @typedef {import('./dom.js').Child} Child */
/** @typedef {import('./findings-query.js').FindingsQuery} FindingsQuery */

/**
 * @param {string} findingArn
 * @param {FindingsQuery} query
 */
export async function findingDetail(findingArn, query) {
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
