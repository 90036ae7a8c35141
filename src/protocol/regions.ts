// The AWS Regions a request may be signed for, per partition: the regions of the AWS SDK
// for JavaScript v3's partition data (@aws-sdk/core 3.1085.0, `partitions.js`), without
// its `*-global` pseudo-regions. A request signed for any other region gets what AWS gives
// a client signing for a region that does not exist: 403 InvalidSignatureException.
// Custom regions (a lab's own names) are an opt-in: INSPECTOR2_CUSTOM_REGIONS, or
// INSPECTOR2_ALLOW_ANY_REGION=1 for any name of a region's shape.

const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1', // Africa (Cape Town)
    'ap-east-1', // Asia Pacific (Hong Kong)
    'ap-east-2', // Asia Pacific (Taipei)
    'ap-northeast-1', // Asia Pacific (Tokyo)
    'ap-northeast-2', // Asia Pacific (Seoul)
    'ap-northeast-3', // Asia Pacific (Osaka)
    'ap-south-1', // Asia Pacific (Mumbai)
    'ap-south-2', // Asia Pacific (Hyderabad)
    'ap-southeast-1', // Asia Pacific (Singapore)
    'ap-southeast-2', // Asia Pacific (Sydney)
    'ap-southeast-3', // Asia Pacific (Jakarta)
    'ap-southeast-4', // Asia Pacific (Melbourne)
    'ap-southeast-5', // Asia Pacific (Malaysia)
    'ap-southeast-6', // Asia Pacific (New Zealand)
    'ap-southeast-7', // Asia Pacific (Thailand)
    'ca-central-1', // Canada (Central)
    'ca-west-1', // Canada West (Calgary)
    'eu-central-1', // Europe (Frankfurt)
    'eu-central-2', // Europe (Zurich)
    'eu-north-1', // Europe (Stockholm)
    'eu-south-1', // Europe (Milan)
    'eu-south-2', // Europe (Spain)
    'eu-west-1', // Europe (Ireland)
    'eu-west-2', // Europe (London)
    'eu-west-3', // Europe (Paris)
    'il-central-1', // Israel (Tel Aviv)
    'me-central-1', // Middle East (UAE)
    'me-south-1', // Middle East (Bahrain)
    'me-west-1', // Middle East (Saudi Arabia)
    'mx-central-1', // Mexico (Central)
    'sa-east-1', // South America (Sao Paulo)
    'sa-west-1', // South America (Chile)
    'us-east-1', // US East (N. Virginia)
    'us-east-2', // US East (Ohio)
    'us-west-1', // US West (N. California)
    'us-west-2', // US West (Oregon)
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  // aws-eusc (eusc-de-east-1) is left out: the world's state and the control plane address
  // account-regions by names of the shape below, which a four-letter prefix does not fit.
};

const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(PARTITION_REGIONS).flat());

/** The shape of a region name (the one the state's snapshot and the control plane accept). */
export const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface RegionOptions {
  /** INSPECTOR2_CUSTOM_REGIONS: more region names accepted besides the real ones. */
  customRegions?: readonly string[];
  /** INSPECTOR2_ALLOW_ANY_REGION=1: any name of a region's shape. */
  allowAnyRegion?: boolean;
}

/** Whether requests may be signed for a region: the known ones, plus the opted-in. */
export function regionPolicy(options: RegionOptions = {}): (region: string) => boolean {
  if (options.allowAnyRegion) return (region) => REGION_SHAPE.test(region);
  const custom = new Set(options.customRegions ?? []);
  return (region) => KNOWN_REGIONS.has(region) || custom.has(region);
}

export const isKnownRegion = regionPolicy();
