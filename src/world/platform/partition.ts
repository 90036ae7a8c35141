// The AWS partition a region belongs to, as the AWS SDK's partition data tells it by the
// region's name (@aws-sdk/core 3.1085.0): ARNs and a finding's `partition` say it, so a
// resource in Beijing is `arn:aws-cn:...` and one in GovCloud `arn:aws-us-gov:...`.
const PARTITIONS: readonly (readonly [RegExp, string])[] = [
  [/^cn-\w+-\d+$/, 'aws-cn'],
  [/^us-gov-\w+-\d+$/, 'aws-us-gov'],
  [/^us-iso-\w+-\d+$/, 'aws-iso'],
  [/^us-isob-\w+-\d+$/, 'aws-iso-b'],
  [/^eu-isoe-\w+-\d+$/, 'aws-iso-e'],
  [/^us-isof-\w+-\d+$/, 'aws-iso-f'],
  [/^eusc-de-\w+-\d+$/, 'aws-eusc'],
];

export function partitionOf(region: string): string {
  for (const [pattern, partition] of PARTITIONS) if (pattern.test(region)) return partition;
  return 'aws';
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>`; the region names the partition (IAM's ARNs have no region: pass `partitionRegion`). */
export function arnOf(service: string, region: string, accountId: string, resource: string, partitionRegion = region): string {
  return `arn:${partitionOf(partitionRegion)}:${service}:${region}:${accountId}:${resource}`;
}
