// Inspector's findings imported into Security Hub (INSPECTOR2_SECURITYHUB_ENDPOINT, e.g. a
// moto_server), as Inspector's integration does: every finding, in ASFF (asff.ts), again
// whenever it changes (suppressed, unsuppressed, closed), with BatchImportFindings in the
// finding's account and region, signed as that account (access key = the account id).
// Findings wait in the shared bounded queue (DeliveryQueue) and go in batches of up to 100
// (BatchImportFindings' limit) of one account-region, in order, with a timeout: a slow or
// failing endpoint never slows or fails an API call. An account whose hub is not enabled
// (InvalidAccessException) has its refused findings kept (bounded) and sent again with the
// account-region's next change, as Inspector retries until Security Hub takes them.
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Logger } from '../log.js';
import type { Finding } from '../world/findings/documents.js';
import { partitionOf } from '../world/platform/partition.js';
import { sentToSecurityHub, toAsff } from './asff.js';
import { DeliveryQueue, type SinkLimits, type SinkStatus } from './event-sinks.js';

/** BatchImportFindings takes at most 100 findings. */
const MAX_BATCH = 100;
/** Clients kept (one per account-region); past it they are let go and made again when needed. */
const MAX_CLIENTS = 256;

interface Queued {
  region: string;
  finding: Finding;
}

/** The Security Hub sink's delivery, as GET /_inspector2/securityhub and health show it. */
export interface SecurityHubStatus extends SinkStatus {
  endpoint: string;
  /** Findings refused because their account's hub is not enabled, waiting for the account-region's next change. */
  awaitingHub: number;
  /** Batches refused because the hub was not enabled. */
  notSubscribed: number;
}

const keyOf = (accountId: string, region: string) => `${accountId}/${region}`;

export class SecurityHubSink extends DeliveryQueue<Queued> {
  readonly name = 'securityhub';
  notSubscribed = 0;
  private readonly clients = new Map<string, SecurityHubClient>();
  /** By account-region, by finding ARN: the latest refused version of each finding, for the next change there. */
  private readonly awaiting = new Map<string, Map<string, Queued>>();
  private awaitingCount = 0;

  constructor(
    private readonly endpoint: string,
    logger: Logger,
    limits: SinkLimits = {},
  ) {
    super(logger, limits, MAX_BATCH, { queue: 'Security Hub sink', items: 'findings' });
  }

  /** Queues the finding (as it is now) for import; findings Inspector does not send are left out. */
  send(region: string, finding: Finding): void {
    if (!sentToSecurityHub(finding)) return;
    const key = keyOf(finding.awsAccountId, region);
    const waiting = this.awaiting.get(key);
    if (waiting) {
      // The hub may be enabled by now: what it refused goes again, before this change.
      this.awaiting.delete(key);
      this.awaitingCount -= waiting.size;
      for (const [arn, queued] of waiting) if (arn !== finding.findingArn) this.enqueue(queued);
    }
    this.enqueue({ region, finding });
  }

  override status(): SecurityHubStatus {
    return { ...super.status(), endpoint: this.endpoint, awaitingHub: this.awaitingCount, notSubscribed: this.notSubscribed };
  }

  protected override batchKey(item: Queued): string {
    return keyOf(item.finding.awsAccountId, item.region);
  }

  protected describe(batch: Queued[]): string {
    const first = batch[0]!;
    return `${batch.length} finding(s) of ${first.finding.awsAccountId} in ${first.region}`;
  }

  protected async deliver(batch: Queued[]): Promise<number> {
    // A finding changed twice while waiting goes once, as it is last.
    const latest = new Map<string, Queued>();
    for (const item of batch) {
      latest.delete(item.finding.findingArn);
      latest.set(item.finding.findingArn, item);
    }
    const { region, finding } = batch[0]!;
    const accountId = finding.awsAccountId;
    const partition = partitionOf(region);
    const findings = [...latest.values()].map((item) => toAsff(item.finding, item.region, partition));
    let result;
    try {
      result = await this.clientFor(accountId, region).send(new BatchImportFindingsCommand({ Findings: findings }), {
        abortSignal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      if (isNotSubscribed(error)) {
        this.notSubscribed++;
        this.keepForLater(keyOf(accountId, region), latest);
      }
      throw error;
    }
    const refused = result.FailedCount ?? result.FailedFindings?.length ?? 0;
    if (refused > 0) {
      const first = result.FailedFindings?.[0];
      this.lastError = `BatchImportFindings refused ${refused} finding(s)${first ? `: ${first.ErrorCode ?? ''} ${first.ErrorMessage ?? ''}`.trimEnd() : ''}`;
      this.logger.warn(`Security Hub sink: ${this.lastError} (${this.describe(batch)})`);
    }
    // Duplicates that went as one count as delivered with it.
    return Math.min(refused, findings.length);
  }

  private keepForLater(key: string, findings: Map<string, Queued>): void {
    let waiting = this.awaiting.get(key);
    if (!waiting) this.awaiting.set(key, (waiting = new Map<string, Queued>()));
    for (const [arn, queued] of findings) {
      if (waiting.has(arn)) {
        waiting.set(arn, queued);
      } else if (this.awaitingCount < this.maxQueue) {
        waiting.set(arn, queued);
        this.awaitingCount++;
      } else {
        this.dropped++;
      }
    }
  }

  private clientFor(accountId: string, region: string): SecurityHubClient {
    const key = keyOf(accountId, region);
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) {
        for (const old of this.clients.values()) old.destroy();
        this.clients.clear();
      }
      client = new SecurityHubClient({
        endpoint: this.endpoint,
        region,
        // Signed as the finding's account, as Inspector imports into each account's own hub.
        credentials: { accessKeyId: accountId, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
        maxAttempts: 2,
      });
      this.clients.set(key, client);
    }
    return client;
  }
}

/** Security Hub's answer when the account has not enabled it: "Account … is not subscribed to AWS Security Hub". */
function isNotSubscribed(error: unknown): boolean {
  const { name, message } = error as { name?: string; message?: string };
  return name === 'InvalidAccessException' || /not subscribed/i.test(message ?? '');
}
