// Values built from the model: the smallest valid value of a shape (required members only),
// with sample values for the patterned string shapes. The conformance test and the fuzzer
// start from these.
import { serviceModel, type Schema } from '../src/protocol/model.js';

const model = serviceModel();

/** Values for the patterned string shapes that minimal requests need; each is checked against its pattern below. */
export const SAMPLES: Record<string, string> = {
  AccountId: '111122223333',
  MeteringAccountId: '111122223333',
  TargetAccount: 'SELF',
  FindingArn: 'arn:aws:inspector2:us-east-1:111122223333:finding/0123456789abcdef0123456789abcdef',
  ReportId: '01234567-89ab-cdef-0123-456789abcdef',
  UUID: '01234567-89ab-cdef-0123-456789abcdef',
  CodeSecurityUuid: '01234567-89ab-cdef-0123-456789abcdef',
  ProjectId: 'project-01234567-89ab-cdef-0123-456789abcdef',
  ScanConfigurationArn: 'arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/codesecurity-configuration/01234567-89ab-cdef-0123-456789abcdef',
  CodeSecurityIntegrationArn: 'arn:aws:inspector2:us-east-1:111122223333:codesecurity-integration/01234567-89ab-cdef-0123-456789abcdef',
  CisScanConfigurationArn: 'arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-configuration/01234567-89ab-cdef-0123-456789abcdef',
  CisScanArn: 'arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/cis-scan/01234567-89ab-cdef-0123-456789abcdef',
  ResourceId: 'i-0123456789abcdef0',
  ClusterForImageFilterCriteriaResourceIdString: 'arn:aws:ecr:us-east-1:111122223333:repository/app',
  VulnId: 'CVE-2021-44228',
  TagKey: 'team',
  TargetResourceTagsKey: 'team',
  IntegrationName: 'github',
  ScanConfigurationName: 'default',
  KmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/01234567-89ab-cdef-0123-456789abcdef',
  Path: '/opt/app',
};

/**
 * Values for members whose rules the model leaves out but the service enforces: a report's or
 * export's S3 destination must name a bucket S3 would accept (3 to 63 characters, ...).
 */
const MEMBER_SAMPLES: Record<string, unknown> = {
  'Destination.bucketName': 'inspector2-local-conformance',
};

export function shapeName(ref: Schema): string {
  return ref.$ref!.slice('#/components/schemas/'.length);
}

/** A minimal valid value of a shape: required members only, at their smallest valid size. */
export function minimal(ref: Schema): unknown {
  const schema = model.resolve(ref);
  const name = ref.$ref ? shapeName(ref) : '';
  if (schema['x-aws-type'] === 'timestamp') return new Date('2026-01-01T00:00:00Z');
  if (schema['x-aws-type'] === 'blob') return new Uint8Array([1]);
  switch (schema.type) {
    case 'object': {
      if (!schema.properties) {
        // A map: one entry when the model demands any.
        if (!schema.minProperties) return {};
        return { [minimal(schema.propertyNames!) as string]: minimal(schema.additionalProperties!) };
      }
      const members = schema['x-aws-union'] ? [Object.keys(schema.properties)[0]!] : (schema.required ?? []);
      return Object.fromEntries(members.map((m) => [m, `${name}.${m}` in MEMBER_SAMPLES ? MEMBER_SAMPLES[`${name}.${m}`] : minimal(schema.properties![m]!)]));
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () => minimal(schema.items!));
    case 'string':
      if (schema.enum) return schema.enum[0];
      if (schema.pattern !== undefined) {
        if (!(name in SAMPLES)) throw new Error(`add a sample value for the patterned shape ${name} (${schema.pattern})`);
        return SAMPLES[name];
      }
      return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      throw new Error(`cannot build a value of ${name}`);
  }
}
