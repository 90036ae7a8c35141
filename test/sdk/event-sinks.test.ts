// Event delivery: an NDJSON file, a webhook (retried with backoff, never failing the API)
// and EventBridge PutEvents to moto_server, read back through a rule whose target is an
// SQS queue (skipped with the reason where moto_server is missing).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { EnableCommand, ListFindingsCommand } from '@aws-sdk/client-inspector2';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { WebhookSink } from '../../src/sinks/event-sinks.js';
import type { InspectorEvent } from '../../src/world/platform/events.js';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, motoServerMissing, skipWithout, startMotoServer, startTestServer, useTempDirs } from '../helpers.js';

const tempDir = useTempDirs('inspector2-events-');

/** A webhook receiver that refuses the first `refusals` requests. */
async function receiver(refusals: number): Promise<{ url: string; received: InspectorEvent[]; requests: () => number; close: () => Promise<void> }> {
  const received: InspectorEvent[] = [];
  let requests = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests++;
      if (requests <= refusals) {
        response.writeHead(500).end();
        return;
      }
      received.push(JSON.parse(body) as InspectorEvent);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/events`, received, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('webhook and NDJSON sinks', () => {
  it('deliver every logged event, in order, retrying a refused POST', async () => {
    const hook = await receiver(1);
    const file = join(tempDir(), 'events.ndjson');
    const server = await startTestServer({ webhookUrl: hook.url, eventsFile: file });
    try {
      const client = inspectorClient(server.url, { accountId: '800000000001' });
      await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
      await client.send(new ListFindingsCommand({}));
      await Promise.all(server.emulator.sinks.map((sink) => sink.drained()));
      const logged = (await control(server.url, 'GET', '/_inspector2/events')).body.events as InspectorEvent[];
      expect(logged.length).toBeGreaterThan(5);
      expect(hook.received.map((e) => e.id)).toEqual(logged.map((e) => e.id));
      expect(hook.requests()).toBe(logged.length + 1);
      const lines = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as InspectorEvent);
      expect(lines.map((e) => e.id)).toEqual(logged.map((e) => e.id));
      expect(server.emulator.sinks.map((s) => s.failed)).toEqual([0, 0]);
    } finally {
      await server.close();
      await hook.close();
    }
  });

  it('a webhook that keeps failing gives up after its retries, and never fails the API', async () => {
    const hook = await receiver(100);
    const sink = new WebhookSink(hook.url, createLogger('silent'), [1, 1]);
    sink.send({ id: 'e1' } as InspectorEvent);
    await sink.drained();
    expect(hook.requests()).toBe(3);
    expect(sink.failed).toBe(1);
    await hook.close();

    const server = await startTestServer({ webhookUrl: 'http://127.0.0.1:9/unreachable' });
    try {
      const enabled = await inspectorClient(server.url, { accountId: '800000000002' }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
      expect(enabled.accounts?.[0]?.status).toBe('ENABLING');
    } finally {
      await server.close();
    }
  });
});

const noMoto = skipWithout('moto_server', motoServerMissing());

describe.skipIf(noMoto)('EventBridge sink (moto_server)', () => {
  let moto: Awaited<ReturnType<typeof startMotoServer>>;
  let endpoint: string;
  let server: RunningServer;
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  beforeAll(async () => {
    moto = await startMotoServer();
    endpoint = moto.endpoint;
    server = await startTestServer({ eventBridgeEndpoint: endpoint });
  }, 30_000);
  afterAll(async () => {
    await server?.close();
    moto?.stop();
  });

  it('puts Inspector events on the bus, where a rule routes them to its target', async () => {
    const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials });
    const events = new EventBridgeClient({ endpoint, region: 'us-east-1', credentials });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'inspector-events' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await events.send(
      new PutRuleCommand({ Name: 'inspector', EventPattern: JSON.stringify({ source: ['aws.inspector2'], 'detail-type': ['Inspector2 Finding'] }) }),
    );
    await events.send(new PutTargetsCommand({ Rule: 'inspector', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));

    const client = inspectorClient(server.url, { accountId: '800000000003' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    await client.send(new ListFindingsCommand({}));
    await Promise.all(server.emulator.sinks.map((sink) => sink.drained()));
    expect(server.emulator.sinks[0]!.failed).toBe(0);

    const bodies: Record<string, any>[] = [];
    for (let i = 0; i < 20 && bodies.length === 0; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      bodies.push(...(Messages ?? []).map((m) => JSON.parse(m.Body!)));
    }
    expect(bodies.length).toBeGreaterThan(0);
    expect(bodies[0]).toMatchObject({ source: 'aws.inspector2', 'detail-type': 'Inspector2 Finding' });
    expect(bodies[0]!.detail.awsAccountId).toBe('800000000003');
  });
});
