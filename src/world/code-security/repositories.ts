// The repositories an integration imports from its provider: the same few projects for
// the same integration, with real weaknesses (CODE_WEAKNESSES) and real vulnerable
// dependency versions for the scanner to find.
import { sha256, uuidFrom } from '../platform/ids.js';
import type { CodeIssue, CodeRepository, InstalledPackage } from '../inventory/inventory.js';
import { CODE_DETECTORS, codeIssue } from '../scanning/code-detectors.js';
import type { CodeSecurityIntegration } from './state.js';

/** The weaknesses the imported repositories have: detectors of the scanner's catalog, placed in their files. */
const CODE_WEAKNESSES = {
  sqlInjection: (): CodeIssue =>
    codeIssue(
      CODE_DETECTORS.pythonSqlInjection,
      {
        filePath: 'src/payments/repository.py',
        startLine: 42,
        code: ['    query = f"SELECT * FROM payments WHERE customer_id = \'{customer_id}\'"', '    return connection.execute(query).fetchall()'],
      },
      { suggestedFix: 'Pass the value as a query parameter: connection.execute("SELECT * FROM payments WHERE customer_id = %s", (customer_id,)).' },
    ),
  hardcodedCredentials: (): CodeIssue =>
    codeIssue(
      CODE_DETECTORS.pythonHardcodedCredentials,
      { filePath: 'src/payments/settings.py', startLine: 9, code: ['PAYMENT_GATEWAY_PASSWORD = "correct-horse-battery-staple"'] },
      { description: 'The payment gateway password is written into the source code, where anyone who can read the repository can use it.' },
    ),
  pathTraversal: (): CodeIssue =>
    codeIssue(CODE_DETECTORS.javascriptPathTraversal, {
      filePath: 'server/routes/download.js',
      startLine: 17,
      code: ['  const file = path.join(UPLOAD_DIR, req.query.name);', '  res.sendFile(file);'],
    }),
  crossSiteScripting: (): CodeIssue =>
    codeIssue(CODE_DETECTORS.javascriptCrossSiteScripting, {
      filePath: 'src/components/Comment.jsx',
      startLine: 23,
      code: ['      <div className="comment-body" dangerouslySetInnerHTML={{ __html: comment.body }} />'],
    }),
  openSsh: (): CodeIssue =>
    codeIssue(CODE_DETECTORS.terraformUnrestrictedSsh, {
      filePath: 'modules/network/main.tf',
      startLine: 31,
      code: [
        '  ingress {',
        '    description = "ssh"',
        '    from_port   = 22',
        '    to_port     = 22',
        '    protocol    = "tcp"',
        '    cidr_blocks = ["0.0.0.0/0"]',
      ],
    }),
  unencryptedBucket: (): CodeIssue =>
    codeIssue(CODE_DETECTORS.terraformS3EncryptionDisabled, {
      filePath: 'modules/storage/s3.tf',
      startLine: 5,
      code: ['resource "aws_s3_bucket" "reports" {', '  bucket = var.reports_bucket_name', '  acl    = "private"', '}'],
    }),
};

const pypi = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'pypi', filePath: 'requirements.txt' });
const npm = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'npm', filePath: 'package-lock.json' });

/**
 * The repositories an integration imports: the same account, region and integration always
 * import the same ones — a Python service, a web front end and infrastructure as code, owned
 * by the organization the integration is named after, with real weaknesses and real
 * vulnerable dependency versions.
 */
export function importedRepositories(integration: CodeSecurityIntegration): CodeRepository[] {
  const owner =
    integration.name
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'organization';
  const repository = (name: string, visibility: CodeRepository['visibility']) => ({
    projectId: `project-${uuidFrom(sha256(`${integration.arn}|project|${name}`))}`,
    name: `${owner}/${name}`,
    integrationArn: integration.arn,
    providerType: integration.type,
    visibility,
    headCommitId: sha256(`${integration.arn}|commit|${name}`).slice(0, 40),
  });
  return [
    {
      ...repository('payments-api', 'PRIVATE'),
      codeIssues: [CODE_WEAKNESSES.sqlInjection(), CODE_WEAKNESSES.hardcodedCredentials()],
      iacIssues: [],
      packages: [pypi('requests', '2.25.1'), pypi('pyyaml', '5.3.1')],
    },
    {
      ...repository('web-portal', 'PUBLIC'),
      codeIssues: [CODE_WEAKNESSES.pathTraversal(), CODE_WEAKNESSES.crossSiteScripting()],
      iacIssues: [],
      packages: [npm('lodash', '4.17.15'), npm('axios', '0.21.0')],
    },
    {
      ...repository('infrastructure', 'PRIVATE'),
      codeIssues: [],
      iacIssues: [CODE_WEAKNESSES.openSsh(), CODE_WEAKNESSES.unencryptedBucket()],
      packages: [],
    },
  ];
}
