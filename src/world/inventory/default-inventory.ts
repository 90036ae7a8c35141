// The default world: an account-region the seeds say nothing about gets this small
// inventory when it first enables Inspector, so that the tutorial works with any
// credentials. Every id is derived from the account and region, so the same account always
// finds the same resources. Package versions are real releases with real, catalogued
// vulnerabilities (and some without), so findings agree with the catalog.
import { createHash } from 'node:crypto';
import type { InstalledPackage, Inventory } from './inventory.js';
import { CODE_DETECTORS, codeIssue } from '../scanning/code-detectors.js';
import { arnOf, partitionOf } from '../platform/partition.js';

function hex(account: string, region: string, name: string, length: number): string {
  return createHash('sha256').update(`${account}|${region}|${name}`).digest('hex').slice(0, length);
}

const DAY = 86_400_000;

const dpkg = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'dpkg', arch: 'amd64' });
const rpm = (name: string, version: string): InstalledPackage => ({ name, version, ecosystem: 'rpm', arch: 'x86_64' });

export function defaultInventory(account: string, region: string, now: Date): Inventory {
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
  const instanceId = (name: string) => `i-${hex(account, region, name, 17)}`;
  const digest = (name: string) => `sha256:${hex(account, region, name, 64)}`;
  const vpcId = `vpc-${hex(account, region, 'vpc', 17)}`;
  const subnetId = `subnet-${hex(account, region, 'subnet', 17)}`;
  const igw = `igw-${hex(account, region, 'igw', 17)}`;
  const role = (name: string) => `arn:${partitionOf(region)}:iam::${account}:role/${name}`;

  return {
    ec2Instances: [
      {
        // Internet-facing, SSM-managed, with vulnerable OS packages and a vulnerable jar deep inspection finds.
        instanceId: instanceId('web-1'),
        amiId: `ami-${hex(account, region, 'ami-ubuntu', 17)}`,
        platform: 'UBUNTU_22_04',
        instanceType: 't3.medium',
        state: 'running',
        ssmManaged: true,
        tags: { Name: 'web-1', Environment: 'production' },
        vpcId,
        subnetId,
        internetGatewayId: igw,
        publicIp: '203.0.113.10',
        privateIp: '10.0.1.10',
        securityGroups: [
          {
            groupId: `sg-${hex(account, region, 'sg-web', 17)}`,
            ingress: [
              { protocol: 'TCP', fromPort: 22, toPort: 22, cidr: '0.0.0.0/0' },
              { protocol: 'TCP', fromPort: 443, toPort: 443, cidr: '0.0.0.0/0' },
            ],
          },
        ],
        iamInstanceProfileArn: `arn:${partitionOf(region)}:iam::${account}:instance-profile/AmazonSSMRoleForInstancesQuickSetup`,
        keyName: 'ops',
        launchedAt: at(120),
        packages: [
          dpkg('openssl', '3.0.2-0ubuntu1.6'),
          dpkg('libssl3', '3.0.2-0ubuntu1.6'),
          dpkg('curl', '7.81.0-1ubuntu1.4'),
          dpkg('libcurl4', '7.81.0-1ubuntu1.4'),
          dpkg('sudo', '1.9.9-1ubuntu2'),
          dpkg('libc6', '2.35-0ubuntu3'),
          dpkg('zlib1g', '1:1.2.11.dfsg-2ubuntu9'),
          { name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'maven', filePath: '/usr/lib/app/lib/log4j-core-2.14.1.jar' },
        ],
      },
      {
        // Private, SSM-managed, with a vulnerable Python library.
        instanceId: instanceId('worker-1'),
        amiId: `ami-${hex(account, region, 'ami-al2023', 17)}`,
        platform: 'AMAZON_LINUX_2023',
        instanceType: 't3.large',
        state: 'running',
        ssmManaged: true,
        tags: { Name: 'worker-1', Environment: 'production' },
        vpcId,
        subnetId,
        privateIp: '10.0.2.20',
        securityGroups: [
          { groupId: `sg-${hex(account, region, 'sg-worker', 17)}`, ingress: [{ protocol: 'TCP', fromPort: 8080, toPort: 8080, cidr: '10.0.0.0/16' }] },
        ],
        launchedAt: at(60),
        packages: [
          rpm('openssl-libs', '3.0.8-1.amzn2023.0.3'),
          rpm('glibc', '2.34-52.amzn2023.0.3'),
          rpm('curl', '8.0.1-1.amzn2023'),
          rpm('libcurl', '8.0.1-1.amzn2023'),
          { name: 'requests', version: '2.25.1', ecosystem: 'pypi', filePath: '/usr/lib/python3.9/site-packages/requests-2.25.1.dist-info' },
        ],
      },
      {
        // Not managed by SSM: covered only in hybrid scan mode (agentless).
        instanceId: instanceId('legacy-1'),
        amiId: `ami-${hex(account, region, 'ami-al2', 17)}`,
        platform: 'AMAZON_LINUX_2',
        instanceType: 't2.small',
        state: 'running',
        ssmManaged: false,
        tags: { Name: 'legacy-1', Environment: 'staging' },
        vpcId,
        subnetId,
        privateIp: '10.0.3.30',
        securityGroups: [],
        launchedAt: at(900),
        packages: [rpm('openssl-libs', '1.0.2k-19.amzn2.0.1'), rpm('sudo', '1.8.23-9.amzn2'), rpm('glibc', '2.26-48.amzn2')],
      },
      {
        // Stopped: not scanned while it is.
        instanceId: instanceId('batch-1'),
        amiId: `ami-${hex(account, region, 'ami-ubuntu-focal', 17)}`,
        platform: 'UBUNTU_20_04',
        instanceType: 'c5.xlarge',
        state: 'stopped',
        ssmManaged: true,
        tags: { Name: 'batch-1', Environment: 'staging' },
        vpcId,
        subnetId,
        privateIp: '10.0.3.40',
        securityGroups: [],
        launchedAt: at(300),
        packages: [dpkg('openssl', '1.1.1f-1ubuntu2'), dpkg('sudo', '1.8.31-1ubuntu1')],
      },
      {
        // Up to date: scanned, nothing found.
        instanceId: instanceId('bastion-1'),
        amiId: `ami-${hex(account, region, 'ami-al2023-new', 17)}`,
        platform: 'AMAZON_LINUX_2023',
        instanceType: 't3.nano',
        state: 'running',
        ssmManaged: true,
        tags: { Name: 'bastion-1' },
        vpcId,
        subnetId,
        privateIp: '10.0.1.50',
        securityGroups: [],
        launchedAt: at(10),
        packages: [rpm('bash', '5.2.15-1.amzn2023.0.2'), rpm('tzdata', '2024a-1.amzn2023.0.1')],
      },
    ],
    ecrRepositories: [
      {
        name: 'web-app',
        scanFrequency: 'CONTINUOUS_SCAN',
        images: [
          {
            digest: digest('web-app:v2'),
            tags: ['latest', 'v2'],
            pushedAt: at(2),
            lastInUseAt: at(0.5),
            inUseCount: 2,
            architecture: 'amd64',
            platform: 'DEBIAN_12',
            author: 'ci@example.com',
            layers: [
              { digest: digest('layer:debian-12'), packages: [dpkg('libssl3', '3.0.9-1'), dpkg('zlib1g', '1:1.2.13.dfsg-1')] },
              {
                digest: digest('layer:web-app-node'),
                packages: [
                  { name: 'lodash', version: '4.17.15', ecosystem: 'npm', filePath: '/app/node_modules/lodash/package.json' },
                  { name: 'express', version: '4.17.1', ecosystem: 'npm', filePath: '/app/node_modules/express/package.json' },
                  { name: 'axios', version: '0.21.0', ecosystem: 'npm', filePath: '/app/node_modules/axios/package.json' },
                ],
              },
            ],
          },
          {
            // Pushed long ago and not in use: outside the rescan window.
            digest: digest('web-app:v1'),
            tags: ['v1'],
            pushedAt: at(40),
            architecture: 'amd64',
            platform: 'DEBIAN_11',
            layers: [{ digest: digest('layer:debian-11'), packages: [dpkg('libssl1.1', '1.1.1n-0+deb11u3')] }],
          },
        ],
      },
      {
        name: 'base-images',
        scanFrequency: 'SCAN_ON_PUSH',
        images: [
          {
            digest: digest('base-images:al2023'),
            tags: ['al2023'],
            pushedAt: at(1),
            architecture: 'arm64',
            platform: 'AMAZON_LINUX_2023',
            layers: [{ digest: digest('layer:al2023'), packages: [rpm('bash', '5.2.15-1.amzn2023.0.2')] }],
          },
        ],
      },
    ],
    lambdaFunctions: [
      {
        name: 'orders-api',
        runtime: 'PYTHON_3_11',
        executionRoleArn: role('orders-api-role'),
        codeSha256: `${hex(account, region, 'orders-api', 43)}=`,
        lastModifiedAt: at(5),
        lastInvokedAt: at(0.1),
        tags: { Service: 'orders' },
        architectures: ['X86_64'],
        packageType: 'ZIP',
        layers: [],
        packages: [
          { name: 'requests', version: '2.25.1', ecosystem: 'pypi', filePath: 'requirements.txt' },
          { name: 'urllib3', version: '1.26.4', ecosystem: 'pypi', filePath: 'requirements.txt' },
          { name: 'pyyaml', version: '5.3.1', ecosystem: 'pypi', filePath: 'requirements.txt' },
        ],
        codeIssues: [
          codeIssue(CODE_DETECTORS.pythonHardcodedCredentials, { filePath: 'src/orders/db.py', startLine: 12, code: ['DB_PASSWORD = "hunter2-prod"'] }),
        ],
      },
      {
        name: 'thumbnailer',
        runtime: 'NODEJS_18_X',
        executionRoleArn: role('thumbnailer-role'),
        codeSha256: `${hex(account, region, 'thumbnailer', 43)}=`,
        lastModifiedAt: at(20),
        tags: { Service: 'media' },
        architectures: ['ARM64'],
        packageType: 'ZIP',
        layers: [
          {
            arn: arnOf('lambda', region, account, 'layer:shared-node-libs:3'),
            packages: [{ name: 'jsonwebtoken', version: '8.5.1', ecosystem: 'npm', filePath: 'nodejs/node_modules/jsonwebtoken/package.json' }],
          },
        ],
        packages: [{ name: 'semver', version: '7.5.1', ecosystem: 'npm', filePath: 'node_modules/semver/package.json' }],
        codeIssues: [],
      },
      {
        // A runtime past its end of support.
        name: 'legacy-cron',
        runtime: 'PYTHON_3_7',
        executionRoleArn: role('legacy-cron-role'),
        codeSha256: `${hex(account, region, 'legacy-cron', 43)}=`,
        lastModifiedAt: at(400),
        lastInvokedAt: at(1),
        tags: {},
        architectures: ['X86_64'],
        packageType: 'ZIP',
        layers: [],
        packages: [],
        codeIssues: [],
      },
    ],
    clusters: [
      {
        arn: arnOf('ecs', region, account, 'cluster/web'),
        images: [{ repository: 'web-app', digest: digest('web-app:v2') }],
      },
    ],
  };
}
