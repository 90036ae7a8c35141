// Where Inspector's events go besides the log: EventBridge (PutEvents to an endpoint such as
// LocalStack or moto_server), a webhook, an NDJSON file. A sink never blocks or fails the
// API: events are queued and sent in the background, failures are retried (webhook) and
// logged, and what could not be delivered is counted. The queue is bounded (events past it
// are dropped and counted) and every request has a timeout, so a sink that never answers
// costs a bounded amount of memory and never slows the API. The queue (DeliveryQueue) is
// shared with the Security Hub sink (securityhub.ts), which delivers findings in batches.
import { appendFile } from 'node:fs/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Logger } from '../log.js';
import type { InspectorEvent } from '../world/platform/events.js';

/** A sink's delivery as GET /_inspector2/health shows it. */
export interface SinkStatus {
  name: string;
  /** Events waiting (the one being delivered included). */
  queued: number;
  delivered: number;
  /** Given up on after the retries. */
  failed: number;
  /** Refused because the queue was full. */
  dropped: number;
  lastError: string | null;
}

export interface EventSink {
  readonly name: string;
  send(event: InspectorEvent): void;
  /** Resolves when everything queued so far has been delivered or given up on. */
  drained(): Promise<void>;
  readonly failed: number;
  status(): SinkStatus;
}

export interface SinkLimits {
  /** Events that may wait for delivery; more are dropped (default 10,000). */
  maxQueue?: number;
  /** How long one delivery attempt may take, in milliseconds (default 5,000). */
  timeoutMs?: number;
}

const DEFAULT_SINK_MAX_QUEUE = 10_000;
const DEFAULT_SINK_TIMEOUT_MS = 5_000;

/**
 * Delivers items in batches (of one by default), one batch after another, in order, off the
 * request path, from a bounded queue. Shared by the event sinks and the Security Hub sink.
 */
export abstract class DeliveryQueue<T> {
  abstract readonly name: string;
  failed = 0;
  delivered = 0;
  dropped = 0;
  lastError: string | null = null;
  protected readonly maxQueue: number;
  protected readonly timeoutMs: number;
  private readonly queue: T[] = [];
  private head = 0;
  private running = false;
  private idle: Promise<void> = Promise.resolve();
  private settleIdle: () => void = () => {};

  constructor(
    protected readonly logger: Logger,
    limits: SinkLimits = {},
    /** The most items one delivery takes. */
    private readonly batchSize = 1,
    /** What the log calls the queue and its items. */
    private readonly label = { queue: 'event sink', items: 'events' },
  ) {
    this.maxQueue = limits.maxQueue ?? DEFAULT_SINK_MAX_QUEUE;
    this.timeoutMs = limits.timeoutMs ?? DEFAULT_SINK_TIMEOUT_MS;
  }

  /** Queues an item; answers false when the queue is full and the item was dropped. */
  protected enqueue(item: T): boolean {
    if (this.queue.length - this.head >= this.maxQueue) {
      // Warn once per run of drops, not once per item.
      if (this.dropped++ === 0 || this.lastError !== 'queue full') {
        this.logger.warn(`${this.label.queue} ${this.name}: queue full (${this.maxQueue} ${this.label.items}), dropping ${this.label.items} until it drains`);
      }
      this.lastError = 'queue full';
      return false;
    }
    this.queue.push(item);
    if (!this.running) this.run();
    return true;
  }

  drained(): Promise<void> {
    return this.idle;
  }

  status(): SinkStatus {
    return {
      name: this.name,
      queued: this.queue.length - this.head,
      delivered: this.delivered,
      failed: this.failed,
      dropped: this.dropped,
      lastError: this.lastError,
    };
  }

  /** Items that may go in one delivery together: those in a row with the same key (default: any). */
  protected batchKey(_item: T): string {
    return '';
  }

  /** The next batch: up to batchSize items in a row, from the head, that share a key. */
  private nextBatch(): T[] {
    const key = this.batchKey(this.queue[this.head]!);
    let end = this.head + 1;
    while (end < this.queue.length && end - this.head < this.batchSize && this.batchKey(this.queue[end]!) === key) end++;
    return this.queue.slice(this.head, end);
  }

  private run(): void {
    this.running = true;
    this.idle = new Promise((resolve) => (this.settleIdle = resolve));
    void (async () => {
      // Start once the current turn has queued what it will: a burst (a scan's findings) fills batches.
      await Promise.resolve();
      while (this.head < this.queue.length) {
        const batch = this.nextBatch();
        try {
          const refused = Math.min((await this.deliver(batch)) ?? 0, batch.length);
          this.delivered += batch.length - refused;
          this.failed += refused;
        } catch (error) {
          this.failed += batch.length;
          this.lastError = (error as Error).message;
          this.logger.warn(`${this.label.queue} ${this.name}: could not deliver ${this.describe(batch)}: ${this.lastError}`);
        }
        this.head += batch.length;
        // Compact now and then, so the array does not keep delivered items.
        if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
      }
      this.queue.length = 0;
      this.head = 0;
      this.running = false;
      this.settleIdle();
    })();
  }

  /** Delivers a batch; answers how many of its items were refused (none when it answers nothing), or throws when all were. */
  protected abstract deliver(batch: T[]): Promise<number | void>;

  /** A batch as the log names it. */
  protected abstract describe(batch: T[]): string;
}

/** An event sink: each event delivered on its own. */
abstract class QueuedSink extends DeliveryQueue<InspectorEvent> implements EventSink {
  send(event: InspectorEvent): void {
    this.enqueue(event);
  }

  protected deliver(batch: InspectorEvent[]): Promise<void> {
    return this.deliverEvent(batch[0]!);
  }

  protected describe(batch: InspectorEvent[]): string {
    return `event ${batch[0]?.id}`;
  }

  protected abstract deliverEvent(event: InspectorEvent): Promise<void>;
}

export class NdjsonFileSink extends QueuedSink {
  readonly name = 'ndjson';

  constructor(
    private readonly file: string,
    logger: Logger,
    limits: SinkLimits = {},
  ) {
    super(logger, limits);
  }

  protected deliverEvent(event: InspectorEvent): Promise<void> {
    return appendFile(this.file, `${JSON.stringify(event)}\n`);
  }
}

export class WebhookSink extends QueuedSink {
  readonly name = 'webhook';

  constructor(
    private readonly url: string,
    logger: Logger,
    /** Delays between attempts: a failed POST is retried after each (exponential backoff). */
    private readonly backoffMs: readonly number[] = [100, 400, 1600],
    limits: SinkLimits = {},
  ) {
    super(logger, limits);
  }

  protected async deliverEvent(event: InspectorEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // The answer's body is not needed: let the connection go.
        await response.body?.cancel().catch(() => {});
        if (response.ok) return;
        throw new Error(`HTTP ${response.status}`);
      } catch (error) {
        const delay = this.backoffMs[attempt];
        if (delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

export class EventBridgeSink extends QueuedSink {
  readonly name = 'eventbridge';
  private readonly client: EventBridgeClient;

  constructor(
    endpoint: string,
    private readonly busName: string,
    logger: Logger,
    limits: SinkLimits = {},
  ) {
    super(logger, limits);
    this.client = new EventBridgeClient({
      endpoint,
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
      maxAttempts: 3,
    });
  }

  protected async deliverEvent(event: InspectorEvent): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: event.source,
            DetailType: event['detail-type'],
            Detail: JSON.stringify(event.detail),
            Resources: event.resources,
            Time: new Date(event.time),
            EventBusName: this.busName,
          },
        ],
      }),
      { abortSignal: AbortSignal.timeout(this.timeoutMs) },
    );
    if (result.FailedEntryCount) throw new Error(result.Entries?.[0]?.ErrorMessage ?? 'PutEvents refused the event');
  }
}
