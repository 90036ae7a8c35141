// The ASFF mapping of Inspector findings (src/sinks/asff.ts): each finding type and resource,
// statuses, and that every member survives the SDK's serialization (a misspelt member would be
// dropped on the wire without a word). Facts in the fixtures come from seeds/vulnerabilities.json.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { inspectorProductArn, sentToSecurityHub, toAsff } from '../../src/sinks/asff.js';
import type { Finding } from '../../src/world/findings/documents.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const FIRST = new Date('2024-03-01T10:00:00.123Z');
const LAST = new Date('2024-03-02T11:30:00.456Z');

/** A package finding of an EC2 instance: Log4Shell in log4j-core (facts from seeds/vulnerabilities.json). */
function ec2PackageFinding(changes: Partial<Finding> = {}): Finding {
  return {
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/0123456789abcdef0123456789abcdef`,
    awsAccountId: ACCOUNT,
    type: 'PACKAGE_VULNERABILITY',
    title: 'CVE-2021-44228 - org.apache.logging.log4j:log4j-core',
    description: 'Log4j 2 evaluates JNDI lookups found in logged messages.',
    remediation: { recommendation: { text: 'Update log4j-core to 2.15.0' } },
    severity: 'CRITICAL',
    firstObservedAt: FIRST,
    lastObservedAt: LAST,
    updatedAt: LAST,
    status: 'ACTIVE',
    inspectorScore: 10,
    inspectorScoreDetails: {
      adjustedCvss: {
        scoreSource: 'NVD',
        version: '3.1',
        score: 10,
        scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H',
        adjustments: [],
      },
    },
    fixAvailable: 'YES',
    exploitAvailable: 'YES',
    epss: { score: 0.97565 },
    resources: [
      {
        type: 'AWS_EC2_INSTANCE',
        id: 'i-0123456789abcdef0',
        partition: 'aws',
        region: REGION,
        tags: { Name: 'web' },
        details: {
          awsEc2Instance: {
            type: 't3.micro',
            imageId: 'ami-0123456789abcdef0',
            ipV4Addresses: ['10.0.0.12'],
            vpcId: 'vpc-0123456789abcdef0',
            subnetId: 'subnet-0123456789abcdef0',
            launchedAt: new Date('2024-02-01T00:00:00Z'),
            platform: 'AMAZON_LINUX_2023',
          },
        },
      },
    ],
    packageVulnerabilityDetails: {
      vulnerabilityId: 'CVE-2021-44228',
      source: 'NVD',
      sourceUrl: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      vendorSeverity: 'CRITICAL',
      vendorCreatedAt: new Date('2021-12-10T00:00:00Z'),
      cvss: [{ baseScore: 10, scoringVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', version: '3.1', source: 'NVD' }],
      referenceUrls: ['https://logging.apache.org/log4j/2.x/security.html'],
      vulnerablePackages: [
        {
          name: 'org.apache.logging.log4j:log4j-core',
          version: '2.14.1',
          epoch: 0,
          packageManager: 'JAR',
          filePath: 'opt/app/lib/log4j-core-2.14.1.jar',
          fixedInVersion: '2.15.0',
          remediation: 'Update log4j-core to 2.15.0',
        },
      ],
    },
    ...changes,
  };
}

describe('toAsff', () => {
  it('writes a package finding as Inspector does, field by field', () => {
    const asff = toAsff(ec2PackageFinding(), REGION, 'aws');
    expect(asff).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/0123456789abcdef0123456789abcdef`,
      ProductArn: `arn:aws:securityhub:${REGION}::product/aws/inspector`,
      ProductName: 'Inspector',
      CompanyName: 'Amazon',
      Region: REGION,
      GeneratorId: 'AWSInspector',
      AwsAccountId: ACCOUNT,
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      FirstObservedAt: '2024-03-01T10:00:00Z',
      CreatedAt: '2024-03-01T10:00:00Z',
      LastObservedAt: '2024-03-02T11:30:00Z',
      UpdatedAt: '2024-03-02T11:30:00Z',
      Severity: { Label: 'CRITICAL', Normalized: 90 },
      Title: 'CVE-2021-44228 - org.apache.logging.log4j:log4j-core',
      Remediation: { Recommendation: { Text: 'Update log4j-core to 2.15.0' } },
      FindingProviderFields: { Severity: { Label: 'CRITICAL' }, Types: ['Software and Configuration Checks/Vulnerabilities/CVE'] },
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
    expect(asff.ProductFields).toEqual({
      'aws/inspector/ProductVersion': '2',
      'aws/inspector/FindingStatus': 'ACTIVE',
      'aws/inspector/inspectorScore': '10.0',
      'aws/inspector/resources/1/resourceDetails/awsEc2InstanceDetails/platform': 'AMAZON_LINUX_2023',
      'aws/inspector/instanceId': 'i-0123456789abcdef0',
    });
    expect(asff.Resources).toEqual([
      {
        Type: 'AwsEc2Instance',
        Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:i-0123456789abcdef0`,
        Partition: 'aws',
        Region: REGION,
        Tags: { Name: 'web' },
        Details: {
          AwsEc2Instance: {
            Type: 't3.micro',
            ImageId: 'ami-0123456789abcdef0',
            IpV4Addresses: ['10.0.0.12'],
            VpcId: 'vpc-0123456789abcdef0',
            SubnetId: 'subnet-0123456789abcdef0',
            LaunchedAt: '2024-02-01T00:00:00Z',
          },
        },
      },
    ]);
    expect(asff.Vulnerabilities).toEqual([
      {
        Id: 'CVE-2021-44228',
        VulnerablePackages: [
          {
            Name: 'org.apache.logging.log4j:log4j-core',
            Version: '2.14.1',
            Epoch: '0',
            PackageManager: 'JAR',
            FilePath: 'opt/app/lib/log4j-core-2.14.1.jar',
            FixedInVersion: '2.15.0',
            Remediation: 'Update log4j-core to 2.15.0',
          },
        ],
        Cvss: [
          { Version: '3.1', BaseScore: 10, BaseVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', Source: 'NVD' },
          { Version: '3.1', BaseScore: 10, BaseVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', Source: 'NVD', Adjustments: [] },
        ],
        Vendor: {
          Name: 'NVD',
          Url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
          VendorSeverity: 'CRITICAL',
          VendorCreatedAt: '2021-12-10T00:00:00Z',
        },
        ReferenceUrls: ['https://logging.apache.org/log4j/2.x/security.html'],
        FixAvailable: 'YES',
        ExploitAvailable: 'YES',
        EpssScore: 0.97565,
      },
    ]);
  });

  it.each([
    ['ACTIVE', 'ACTIVE', 'NEW'],
    ['SUPPRESSED', 'ACTIVE', 'SUPPRESSED'],
    ['CLOSED', 'ARCHIVED', 'RESOLVED'],
  ] as const)('a %s finding is %s, its workflow %s', (status, recordState, workflow) => {
    const asff = toAsff(ec2PackageFinding({ status }), REGION, 'aws');
    expect(asff.RecordState).toBe(recordState);
    expect(asff.Workflow).toEqual({ Status: workflow });
    expect(asff.ProductFields!['aws/inspector/FindingStatus']).toBe(status);
  });

  it.each([
    ['INFORMATIONAL', 0],
    ['LOW', 1],
    ['MEDIUM', 40],
    ['HIGH', 70],
    ['CRITICAL', 90],
  ] as const)('severity %s is normalized to %d', (severity, normalized) => {
    expect(toAsff(ec2PackageFinding({ severity }), REGION, 'aws').Severity).toEqual({ Label: severity, Normalized: normalized });
  });

  it('labels an untriaged finding INFORMATIONAL and keeps the original', () => {
    const asff = toAsff(ec2PackageFinding({ severity: 'UNTRIAGED' }), REGION, 'aws');
    expect(asff.Severity).toEqual({ Label: 'INFORMATIONAL', Normalized: 0, Original: 'UNTRIAGED' });
    expect(asff.FindingProviderFields!.Severity).toEqual({ Label: 'INFORMATIONAL', Original: 'UNTRIAGED' });
  });

  it('writes an ECR image and its layer hashes', () => {
    const digest = 'sha256:' + 'ab'.repeat(32);
    const layer = 'sha256:' + 'cd'.repeat(32);
    const base = ec2PackageFinding();
    const finding = ec2PackageFinding({
      resources: [
        {
          type: 'AWS_ECR_CONTAINER_IMAGE',
          id: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/payments/${digest}`,
          partition: 'aws',
          region: REGION,
          details: {
            awsEcrContainerImage: {
              repositoryName: 'payments',
              imageTags: ['v1'],
              pushedAt: new Date('2024-02-15T08:00:00Z'),
              architecture: 'amd64',
              imageHash: digest,
              registry: ACCOUNT,
              platform: 'DEBIAN_12',
            },
          },
        },
      ],
      packageVulnerabilityDetails: {
        ...base.packageVulnerabilityDetails!,
        vulnerablePackages: [{ ...base.packageVulnerabilityDetails!.vulnerablePackages![0]!, sourceLayerHash: layer }],
      },
    });
    const asff = toAsff(finding, REGION, 'aws');
    expect(asff.Resources![0]).toEqual({
      Type: 'AwsEcrContainerImage',
      Id: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/payments/${digest}`,
      Partition: 'aws',
      Region: REGION,
      Details: {
        AwsEcrContainerImage: {
          RegistryId: ACCOUNT,
          RepositoryName: 'payments',
          Architecture: 'amd64',
          ImageDigest: digest,
          ImageTags: ['v1'],
          ImagePublishedAt: '2024-02-15T08:00:00Z',
        },
      },
    });
    expect(asff.ProductFields).toMatchObject({
      'aws/inspector/resources/1/resourceDetails/awsEcrContainerImageDetails/platform': 'DEBIAN_12',
      'aws/inspector/packageVulnerabilityDetails/vulnerablePackages/sourceLayerHashes': layer,
    });
    expect(asff.ProductFields).not.toHaveProperty('aws/inspector/instanceId');
    expect(asff.Vulnerabilities![0]!.VulnerablePackages![0]!.SourceLayerHash).toBe(layer);
  });

  it('writes a Lambda function, and a code finding with its code vulnerability', () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/payments`;
    const layer = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:shared:3`;
    const finding = ec2PackageFinding({
      type: 'CODE_VULNERABILITY',
      title: 'CWE-798 - Hardcoded credentials',
      packageVulnerabilityDetails: undefined,
      inspectorScoreDetails: undefined,
      epss: undefined,
      codeVulnerabilityDetails: {
        detectorId: 'python/hardcoded-credentials@v1.0',
        detectorName: 'Hardcoded credentials',
        cwes: ['CWE-798'],
        filePath: { fileName: 'handler.py', filePath: 'src/handler.py', startLine: 12, endLine: 14 },
        sourceLambdaLayerArn: layer,
      },
      resources: [
        {
          type: 'AWS_LAMBDA_FUNCTION',
          id: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:payments:$LATEST`,
          partition: 'aws',
          region: REGION,
          details: {
            awsLambdaFunction: {
              functionName: 'payments',
              runtime: 'PYTHON_3_11',
              codeSha256: 'c2hh',
              version: '$LATEST',
              executionRoleArn: role,
              layers: [layer],
              vpcConfig: { subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'], vpcId: 'vpc-0123456789abcdef0' },
              packageType: 'ZIP',
              architectures: ['X86_64'],
              lastModifiedAt: new Date('2024-02-20T09:00:00Z'),
            },
          },
        },
      ],
    });
    const asff = toAsff(finding, REGION, 'aws');
    expect(asff.Types).toEqual(['Software and Configuration Checks/Vulnerabilities']);
    expect(asff.Resources![0]!.Details).toEqual({
      AwsLambdaFunction: {
        FunctionName: 'payments',
        Runtime: 'PYTHON_3_11',
        CodeSha256: 'c2hh',
        Version: '$LATEST',
        Role: role,
        Layers: [{ Arn: layer }],
        VpcConfig: { SecurityGroupIds: ['sg-0123456789abcdef0'], SubnetIds: ['subnet-0123456789abcdef0'], VpcId: 'vpc-0123456789abcdef0' },
        PackageType: 'ZIP',
        Architectures: ['X86_64'],
        LastModified: '2024-02-20T09:00:00Z',
      },
    });
    expect(asff.Vulnerabilities).toEqual([
      {
        Id: 'python/hardcoded-credentials@v1.0',
        CodeVulnerabilities: [
          { Cwes: ['CWE-798'], FilePath: { FileName: 'handler.py', FilePath: 'src/handler.py', StartLine: 12, EndLine: 14 }, SourceArn: layer },
        ],
        FixAvailable: 'YES',
        ExploitAvailable: 'YES',
      },
    ]);
  });

  it('writes a network reachability finding without vulnerabilities', () => {
    const asff = toAsff(
      ec2PackageFinding({
        type: 'NETWORK_REACHABILITY',
        severity: 'MEDIUM',
        packageVulnerabilityDetails: undefined,
        inspectorScoreDetails: undefined,
        inspectorScore: undefined,
        fixAvailable: undefined,
        exploitAvailable: undefined,
        epss: undefined,
        networkReachabilityDetails: { protocol: 'TCP', openPortRange: { begin: 22, end: 22 }, networkPath: { steps: [] } },
      }),
      REGION,
      'aws',
    );
    expect(asff.Types).toEqual(['Software and Configuration Checks/AWS Security Best Practices/Network Reachability']);
    expect(asff).not.toHaveProperty('Vulnerabilities');
    expect(asff.ProductFields).not.toHaveProperty('aws/inspector/inspectorScore');
  });

  it("uses the region's partition, and reads a document without optional members", () => {
    const asff = toAsff(
      {
        ...ec2PackageFinding(),
        title: undefined,
        updatedAt: undefined,
        remediation: {},
        resources: [{ type: 'AWS_EC2_INSTANCE', id: 'i-0abc' }],
      } as unknown as Finding,
      'cn-north-1',
      'aws-cn',
    );
    expect(asff.ProductArn).toBe(inspectorProductArn('aws-cn', 'cn-north-1'));
    expect(asff.ProductArn).toBe('arn:aws-cn:securityhub:cn-north-1::product/aws/inspector');
    expect(asff.Resources).toEqual([{ Type: 'AwsEc2Instance', Id: `arn:aws-cn:ec2:cn-north-1:${ACCOUNT}:i-0abc`, Partition: 'aws-cn', Region: 'cn-north-1' }]);
    expect(asff.Title).toBe('Log4j 2 evaluates JNDI lookups found in logged messages.');
    expect(asff.UpdatedAt).toBe('2024-03-02T11:30:00Z');
    expect(asff.Remediation).toEqual({ Recommendation: { Text: 'None Provided' } });
  });

  it('keeps code repository findings out of Security Hub, as Inspector does', () => {
    expect(sentToSecurityHub(ec2PackageFinding())).toBe(true);
    expect(sentToSecurityHub(ec2PackageFinding({ resources: [{ type: 'CODE_REPOSITORY', id: 'repo' }] }))).toBe(false);
  });

  it('loses no member when the SDK serializes it for BatchImportFindings', async () => {
    const findings = [toAsff(ec2PackageFinding(), REGION, 'aws'), toAsff(ec2PackageFinding({ status: 'CLOSED', severity: 'UNTRIAGED' }), REGION, 'aws')];
    let sent: unknown;
    // What goes on the wire, read by a local listener that answers as Security Hub does.
    const listener = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        sent = JSON.parse(body);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"FailedCount":0,"SuccessCount":2,"FailedFindings":[]}');
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const client = new SecurityHubClient({
      region: REGION,
      endpoint: `http://127.0.0.1:${(listener.address() as AddressInfo).port}`,
      credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'test' },
    });
    try {
      await client.send(new BatchImportFindingsCommand({ Findings: findings }));
    } finally {
      client.destroy();
      await new Promise((resolve) => listener.close(resolve));
    }
    expect(sent).toEqual({ Findings: JSON.parse(JSON.stringify(findings)) });
  });
});
