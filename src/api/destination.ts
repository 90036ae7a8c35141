// The S3 destination of findings reports and SBOM exports: the model leaves its members
// unbounded strings, so S3's own rules are checked here, as a ValidationException naming
// each offending member. Bucket names: 3 to 63 characters of lowercase letters, digits,
// dots and hyphens, starting and ending with a letter or digit, no two dots together, not
// an IP address, none of S3's reserved prefixes and suffixes. Keys are at most 1,024 bytes
// (UTF-8), so a key prefix is too; KMS key ARNs at most 2,048 characters.
import { render, validationError, type Violation } from '../protocol/validate.js';
import type { Shapes } from './types.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const MAX_KEY_PREFIX_BYTES = 1024;
const MAX_KMS_KEY_ARN = 2048;

function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'have length between 3 and 63';
  if (!BUCKET_NAME.test(name)) return 'be lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (name.includes('..')) return 'not contain two adjacent periods';
  if (IP_ADDRESS.test(name)) return 'not be formatted as an IP address';
  if (RESERVED_PREFIXES.some((p) => name.startsWith(p)) || RESERVED_SUFFIXES.some((s) => name.endsWith(s))) {
    return 'not use a prefix or suffix S3 reserves';
  }
  return undefined;
}

/** Refuses a destination S3 would refuse (ValidationException, one field per member). */
export function checkDestination(destination: Shapes['Destination'], member: string): void {
  const violations: Violation[] = [];
  const violation = (name: string, value: string, constraint: string) =>
    violations.push({
      name: `${member}.${name}`,
      message: `Value ${render(value)} at '${member}.${name}' failed to satisfy constraint: Member must ${constraint}`,
    });
  const bucket = bucketNameProblem(destination.bucketName);
  if (bucket) violation('bucketName', destination.bucketName, `satisfy S3's bucket naming rules: ${bucket}`);
  if (destination.keyPrefix !== undefined && Buffer.byteLength(destination.keyPrefix, 'utf8') > MAX_KEY_PREFIX_BYTES) {
    violation('keyPrefix', destination.keyPrefix, `have length less than or equal to ${MAX_KEY_PREFIX_BYTES} bytes (S3's limit on a key)`);
  }
  if (destination.kmsKeyArn.length > MAX_KMS_KEY_ARN) violation('kmsKeyArn', destination.kmsKeyArn, `have length less than or equal to ${MAX_KMS_KEY_ARN}`);
  if (violations.length) throw validationError(violations);
}
