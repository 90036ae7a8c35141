// The code detectors the scanner reports: one catalog, shared by every place that puts code
// issues in the world (the default inventory, the repositories a code security integration
// imports, the generator of large worlds). A detector says what is wrong in general; each
// user builds its issues from one with where the issue is (file, first line, the lines of
// code), and may say more precisely what this occurrence is (description, suggested fix).
//
// The detectors are shaped like those Amazon CodeGuru Security reports (a language-prefixed,
// versioned id, a rule id, CWEs); the descriptions and fixes are the project's own words.
import type { CodeIssue } from '../inventory/inventory.js';

export interface CodeDetector {
  detectorId: string;
  detectorName: string;
  ruleId: string;
  title: string;
  description: string;
  cwes: readonly string[];
  severity: CodeIssue['severity'];
  detectorTags: readonly string[];
  suggestedFix?: string;
  referenceUrls: readonly string[];
}

/** Where an issue is: its file, its first line and the lines of code from there. */
interface CodeLocation {
  filePath: string;
  startLine: number;
  code: readonly string[];
}

/** What one occurrence says beyond its detector's general text. */
interface CodeIssueDetail {
  description?: string;
  suggestedFix?: string;
}

const cwe = (n: number) => `https://cwe.mitre.org/data/definitions/${n}.html`;

export const CODE_DETECTORS = {
  // ---- Python
  pythonHardcodedCredentials: {
    detectorId: 'python/hardcoded-credentials@v1.0',
    detectorName: 'Hardcoded credentials',
    ruleId: 'python-hardcoded-credentials',
    title: 'Hardcoded credentials',
    description: 'A database password is written into the source code, where anyone who can read the code or the package can use it.',
    cwes: ['CWE-798'],
    severity: 'CRITICAL',
    detectorTags: ['secrets', 'security'],
    suggestedFix: 'Read the password from AWS Secrets Manager or an environment variable at run time.',
    referenceUrls: [cwe(798)],
  },
  pythonSqlInjection: {
    detectorId: 'python/sql-injection@v1.0',
    detectorName: 'SQL injection',
    ruleId: 'python-sql-injection',
    title: 'SQL injection',
    description: 'A SQL statement is built by formatting a request parameter into it, so a caller can change the query and read or modify any row.',
    cwes: ['CWE-89'],
    severity: 'HIGH',
    detectorTags: ['injection', 'sql', 'owasp-top10', 'security'],
    suggestedFix: 'Pass the values to execute as query parameters instead of formatting them into the SQL.',
    referenceUrls: [cwe(89)],
  },
  pythonOsCommandInjection: {
    detectorId: 'python/os-command-injection@v1.0',
    detectorName: 'OS command injection',
    ruleId: 'python-oscommandinjectionrule',
    title: 'Shell command built from user input',
    description: 'A shell runs a command line that includes a value from the event.',
    cwes: ['CWE-77', 'CWE-78', 'CWE-88'],
    severity: 'HIGH',
    detectorTags: ['injection', 'subprocess', 'security'],
    suggestedFix: 'Pass the arguments as a list and leave shell=False.',
    referenceUrls: [cwe(78)],
  },
  pythonInsecureHashing: {
    detectorId: 'python/insecure-hashing@v1.0',
    detectorName: 'Insecure hashing',
    ruleId: 'python-crypto-compliance-message-digest',
    title: 'Weak hash algorithm',
    description: 'MD5 is broken for collision resistance and must not protect passwords or integrity.',
    cwes: ['CWE-327', 'CWE-328'],
    severity: 'MEDIUM',
    detectorTags: ['cryptography', 'security'],
    suggestedFix: 'Use hashlib.sha256, or a password hash such as scrypt for passwords.',
    referenceUrls: [cwe(327), cwe(328)],
  },

  // ---- JavaScript
  javascriptHardcodedCredentials: {
    detectorId: 'javascript/hardcoded-credentials@v1.0',
    detectorName: 'Hardcoded credentials',
    ruleId: 'javascript-hardcoded-credentials',
    title: 'Hardcoded credentials',
    description: 'An API key is written into the source code, where anyone who can read the code or the package can use it.',
    cwes: ['CWE-798'],
    severity: 'CRITICAL',
    detectorTags: ['secrets', 'security'],
    suggestedFix: 'Read the key from AWS Secrets Manager at run time.',
    referenceUrls: [cwe(798)],
  },
  javascriptPathTraversal: {
    detectorId: 'javascript/path-traversal@v1.0',
    detectorName: 'Path traversal',
    ruleId: 'javascript-path-traversal',
    title: 'Path traversal',
    description: 'A file name from the query string is joined to the upload folder and served, so "../" sequences read any file the server can.',
    cwes: ['CWE-22'],
    severity: 'HIGH',
    detectorTags: ['path-traversal', 'owasp-top10', 'security'],
    suggestedFix: 'Resolve the path and refuse it unless it stays inside UPLOAD_DIR, or serve files by id from a lookup table.',
    referenceUrls: [cwe(22)],
  },
  javascriptLogInjection: {
    detectorId: 'javascript/log-injection@v1.0',
    detectorName: 'Log injection',
    ruleId: 'javascript-log-injection',
    title: 'Unsanitized input in a log line',
    description: 'A request value is logged as it is: new lines in it can forge log entries.',
    cwes: ['CWE-117'],
    severity: 'LOW',
    detectorTags: ['logging', 'security'],
    referenceUrls: [cwe(117)],
  },
  javascriptCrossSiteScripting: {
    detectorId: 'javascript/cross-site-scripting@v1.0',
    detectorName: 'Cross-site scripting',
    ruleId: 'javascript-react-dangerously-set-inner-html',
    title: 'Cross-site scripting',
    description: 'A comment body written by users is rendered as raw HTML, so a comment can run script in the browser of everyone who reads it.',
    cwes: ['CWE-79'],
    severity: 'MEDIUM',
    detectorTags: ['xss', 'injection', 'owasp-top10', 'security'],
    suggestedFix: 'Render the body as text ({comment.body}), or sanitize it with a vetted HTML sanitizer first.',
    referenceUrls: [cwe(79)],
  },

  // ---- Java
  javaSqlInjection: {
    detectorId: 'java/sql-injection@v1.0',
    detectorName: 'SQL injection',
    ruleId: 'java-sql-injection',
    title: 'SQL built from user input',
    description: 'The query is concatenated from a request parameter, so a crafted value can change what the query does.',
    cwes: ['CWE-89'],
    severity: 'HIGH',
    detectorTags: ['injection', 'sql', 'security'],
    suggestedFix: 'Use a PreparedStatement with parameters.',
    referenceUrls: [cwe(89)],
  },
  javaXmlExternalEntity: {
    detectorId: 'java/xml-external-entity@v1.0',
    detectorName: 'XML External Entity',
    ruleId: 'java-xxe-document-builder',
    title: 'XML parser resolves external entities',
    description: 'The parser reads documents from the request with external entities enabled, which can disclose local files.',
    cwes: ['CWE-611'],
    severity: 'HIGH',
    detectorTags: ['xml', 'security'],
    suggestedFix: 'Enable FEATURE_SECURE_PROCESSING and disallow DOCTYPE declarations.',
    referenceUrls: [cwe(611)],
  },
  javaInsecureCryptography: {
    detectorId: 'java/insecure-cryptography@v1.0',
    detectorName: 'Insecure cryptography',
    ruleId: 'java-weak-cipher',
    title: 'Weak cipher',
    description: 'DES in ECB mode is broken: it leaks patterns and its key is too short.',
    cwes: ['CWE-327'],
    severity: 'MEDIUM',
    detectorTags: ['cryptography', 'security'],
    suggestedFix: 'Use AES/GCM/NoPadding with a 256-bit key.',
    referenceUrls: [cwe(327)],
  },

  // ---- Terraform (infrastructure as code)
  terraformUnrestrictedSsh: {
    detectorId: 'terraform/aws-security-group-unrestricted-ssh@v1.0',
    detectorName: 'Security group allows SSH from the internet',
    ruleId: 'terraform-aws-security-group-unrestricted-ssh',
    title: 'Security group allows SSH from the internet',
    description: 'The security group admits TCP port 22 from 0.0.0.0/0, exposing SSH on every instance that uses it to the whole internet.',
    cwes: ['CWE-284'],
    severity: 'HIGH',
    detectorTags: ['iac', 'terraform', 'network', 'security'],
    suggestedFix: 'Limit cidr_blocks to your administration network, or use AWS Systems Manager Session Manager instead of SSH.',
    referenceUrls: [cwe(284)],
  },
  terraformS3EncryptionDisabled: {
    detectorId: 'terraform/aws-s3-bucket-encryption-disabled@v1.0',
    detectorName: 'S3 bucket without default encryption',
    ruleId: 'terraform-aws-s3-bucket-encryption-disabled',
    title: 'S3 bucket without default encryption',
    description:
      'The bucket that keeps exported reports has no server-side encryption configuration, so its objects are stored unencrypted by this configuration.',
    cwes: ['CWE-311'],
    severity: 'MEDIUM',
    detectorTags: ['iac', 'terraform', 'encryption', 'security'],
    suggestedFix: 'Add an aws_s3_bucket_server_side_encryption_configuration with SSE-KMS for the bucket.',
    referenceUrls: [cwe(311)],
  },
} as const satisfies Record<string, CodeDetector>;

/**
 * One issue of a detector at a location, as the inventory holds it: a fresh object with its
 * own arrays (the world is a plain tree that callers may change in one place), the last
 * line counted from the code, members in the inventory's order.
 */
export function codeIssue(detector: CodeDetector, at: CodeLocation, detail: CodeIssueDetail = {}): CodeIssue {
  const suggestedFix = detail.suggestedFix ?? detector.suggestedFix;
  return {
    detectorId: detector.detectorId,
    detectorName: detector.detectorName,
    ruleId: detector.ruleId,
    title: detector.title,
    description: detail.description ?? detector.description,
    cwes: [...detector.cwes],
    severity: detector.severity,
    detectorTags: [...detector.detectorTags],
    filePath: at.filePath,
    startLine: at.startLine,
    endLine: at.startLine + at.code.length - 1,
    code: [...at.code],
    ...(suggestedFix !== undefined ? { suggestedFix } : {}),
    referenceUrls: [...detector.referenceUrls],
  };
}
