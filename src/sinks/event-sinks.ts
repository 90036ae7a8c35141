// Where Inspector's events go besides the log: EventBridge (PutEvents to an endpoint such as
// LocalStack or moto_server), a webhook, an NDJSON file. A sink never blocks or fails the
// API: events are queued and sent in the background, failures are retried (webhook) and
// logged, and what could not be delivered is counted.
import { appendFile } from 'node:fs/promises';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Logger } from '../log.js';
import type { InspectorEvent } from '../world/events.js';

export interface EventSink {
  readonly name: string;
  send(event: InspectorEvent): void;
  /** Resolves when everything queued so far has been delivered or given up on. */
  drained(): Promise<void>;
  readonly failed: number;
}

/** Runs deliveries one after another, in order, off the request path. */
abstract class QueuedSink implements EventSink {
  abstract readonly name: string;
  failed = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(protected readonly logger: Logger) {}

  send(event: InspectorEvent): void {
    this.tail = this.tail.then(() =>
      this.deliver(event).catch((error: unknown) => {
        this.failed++;
        this.logger.warn(`event sink ${this.name}: could not deliver event ${event.id}: ${(error as Error).message}`);
      }),
    );
  }

  drained(): Promise<void> {
    return this.tail;
  }

  protected abstract deliver(event: InspectorEvent): Promise<void>;
}

export class NdjsonFileSink extends QueuedSink {
  readonly name = 'ndjson';

  constructor(
    private readonly file: string,
    logger: Logger,
  ) {
    super(logger);
  }

  protected deliver(event: InspectorEvent): Promise<void> {
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
  ) {
    super(logger);
  }

  protected async deliver(event: InspectorEvent): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
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
  ) {
    super(logger);
    this.client = new EventBridgeClient({
      endpoint,
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
      maxAttempts: 3,
    });
  }

  protected async deliver(event: InspectorEvent): Promise<void> {
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
    );
    if (result.FailedEntryCount) throw new Error(result.Entries?.[0]?.ErrorMessage ?? 'PutEvents refused the event');
  }
}
