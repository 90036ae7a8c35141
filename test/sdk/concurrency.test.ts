// Many concurrent clients mixing Enable/Disable, suppression rule changes, inventory
// changes and reads; afterwards the world must be consistent: no 5xx, no duplicate
// finding, every open finding SUPPRESSED exactly when a rule matches it, account statuses
// derived from their scan types, coverage only for enabled scan types.
import {
  BatchGetAccountStatusCommand,
  CreateFilterCommand,
  DeleteFilterCommand,
  DisableCommand,
  EnableCommand,
  ListCoverageCommand,
  ListFiltersCommand,
  ListFindingsCommand,
  type Inspector2Client,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, listAllFindings, startTestServer } from '../helpers.js';

const ACCOUNTS = ['820000000001', '820000000002', '820000000003'];
const REGION = 'eu-west-1';
const TYPES = ['EC2', 'ECR', 'LAMBDA'] as const;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM'] as const;
const KEY = { EC2: 'ec2', ECR: 'ecr', LAMBDA: 'lambda' } as const;
const ROW_TYPE = { EC2: 'AWS_EC2_INSTANCE', ECR: 'AWS_ECR', LAMBDA: 'AWS_LAMBDA_FUNCTION' } as const;

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('concurrent clients', () => {
  let server: RunningServer;
  const clients = new Map<string, Inspector2Client>();
  const serverErrors: string[] = [];
  beforeAll(async () => {
    server = await startTestServer();
    for (const account of ACCOUNTS) clients.set(account, inspectorClient(server.url, { accountId: account, region: REGION }));
  });
  afterAll(() => server.close());

  async function worker(seed: number): Promise<void> {
    const rand = random(seed);
    const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
    for (let i = 0; i < 40; i++) {
      const account = pick(ACCOUNTS);
      const client = clients.get(account)!;
      const action = rand();
      const call = async () => {
        if (action < 0.25) await client.send(new EnableCommand({ resourceTypes: [pick(TYPES)] }));
        else if (action < 0.35) await client.send(new DisableCommand({ resourceTypes: [pick(TYPES)] }));
        else if (action < 0.5) {
          await client.send(
            new CreateFilterCommand({
              name: `f-${seed}-${i}`,
              action: 'SUPPRESS',
              filterCriteria: { severity: [{ comparison: 'EQUALS', value: pick(SEVERITIES) }] },
            }),
          );
        } else if (action < 0.6) {
          const filters = (await client.send(new ListFiltersCommand({}))).filters ?? [];
          if (filters.length) await client.send(new DeleteFilterCommand({ arn: pick(filters).arn! }));
        } else if (action < 0.7) {
          const inventory = (await control(server.url, 'GET', `/_inspector2/inventory/${account}/${REGION}`)).body;
          const instance = inventory?.ec2Instances?.[0];
          if (instance) {
            await control(server.url, 'POST', `/_inspector2/inventory/${account}/${REGION}/ec2-instances/${instance.instanceId}/packages`, {
              name: 'sudo',
              version: pick(['1.9.9-1ubuntu2', '1.9.16p2-1', '1.8.31-1ubuntu1']),
              ecosystem: 'dpkg',
            });
          }
        } else if (action < 0.85) await client.send(new ListFindingsCommand({ maxResults: 10 }));
        else await client.send(new ListCoverageCommand({}));
      };
      await call().catch((error: Error & { $metadata?: { httpStatusCode?: number } }) => {
        // Conflicts of concurrent use (e.g. a filter deleted by another client) are fine; a 5xx is not.
        if ((error.$metadata?.httpStatusCode ?? 500) >= 500) serverErrors.push(`${error.name}: ${error.message}`);
      });
    }
  }

  it('leave a consistent world', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => worker(i + 1)));
    expect(serverErrors).toEqual([]);

    for (const account of ACCOUNTS) {
      const client = clients.get(account)!;
      const status = (await client.send(new BatchGetAccountStatusCommand({}))).accounts![0]!;
      const typeStatuses = TYPES.map((t) => status.resourceState![KEY[t]]!.status!);
      const expectedAccount = typeStatuses.includes('ENABLED') ? 'ENABLED' : 'DISABLED';
      expect(status.state?.status, account).toBe(expectedAccount);

      const findings = await listAllFindings(client);
      expect(new Set(findings.map((f) => f.findingArn)).size, `${account}: no duplicate findings`).toBe(findings.length);
      const suppressing = new Set(
        ((await client.send(new ListFiltersCommand({ action: 'SUPPRESS' }))).filters ?? []).map((f) => f.criteria!.severity![0]!.value),
      );
      for (const finding of findings.filter((f) => f.status !== 'CLOSED')) {
        expect(finding.status, `${account} ${finding.findingArn}`).toBe(suppressing.has(finding.severity) ? 'SUPPRESSED' : 'ACTIVE');
      }

      const rows = (await client.send(new ListCoverageCommand({ maxResults: 200 }))).coveredResources ?? [];
      for (const type of TYPES) {
        const enabled = status.resourceState![KEY[type]]!.status === 'ENABLED';
        const has = rows.some((r) => r.resourceType!.startsWith(ROW_TYPE[type]));
        expect(has, `${account} ${type} coverage while ${enabled ? 'enabled' : 'disabled'}`).toBe(enabled);
      }
    }
  }, 120_000);
});
