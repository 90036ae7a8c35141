// Fault injection through real clients: the SDK v3 retries injected throttling and server
// errors as it retries AWS's, and gives up after its attempts; the control plane counts
// every injected fault; a faulted request changes nothing; seeded rules repeat.
import { BatchGetAccountStatusCommand, EnableCommand, InternalServerException, ThrottlingException } from '@aws-sdk/client-inspector2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { optionsFromEnv } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, rejection, startTestServer } from '../helpers.js';

describe('fault injection with the SDK v3', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  afterEach(() => control(server.url, 'DELETE', '/_inspector2/faults'));

  const addRule = async (rule: object) => {
    const added = await control(server.url, 'POST', '/_inspector2/faults', rule);
    expect(added.status).toBe(201);
    return added.body as { id: string };
  };
  const injected = async () => (await control(server.url, 'GET', '/_inspector2/faults/injected')).body;

  it('a rule that fails the first two calls is invisible to a client with default retries', async () => {
    await addRule({ operation: 'BatchGetAccountStatus', fault: 'ThrottlingException', count: 2, retryAfterSeconds: 0 });
    const client = inspectorClient(server.url, { maxAttempts: 3 });
    const result = await client.send(new BatchGetAccountStatusCommand({}));
    expect(result.accounts?.[0]?.state?.status).toBe('DISABLED');
    expect(result.$metadata.attempts).toBe(3);
    const report = await injected();
    expect(report.total).toBe(2);
    expect(report.byOperation).toEqual({ BatchGetAccountStatus: 2 });
  });

  it('a rule that always fails surfaces the error after the client’s attempts', async () => {
    const rule = await addRule({ operation: '*', fault: 'InternalServerException', retryAfterSeconds: 0 });
    const client = inspectorClient(server.url, { maxAttempts: 3 });
    const error = await rejection(client.send(new BatchGetAccountStatusCommand({})));
    expect(error).toBeInstanceOf(InternalServerException);
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect((error.$metadata as { attempts?: number }).attempts).toBe(3);
    expect((await injected()).byRule).toEqual({ [rule.id]: 3 });
  });

  it('sends Retry-After with throttling', async () => {
    await addRule({ fault: 'ThrottlingException', retryAfterSeconds: 7 });
    const response = await fetch(`${server.url}/status/batch/get`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(await response.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
  });

  it('a faulted request changes nothing', async () => {
    await addRule({ operation: 'Enable', fault: 'ThrottlingException', retryAfterSeconds: 0 });
    const client = inspectorClient(server.url, { accountId: '300000000001', maxAttempts: 2 });
    const error = await rejection(client.send(new EnableCommand({ resourceTypes: ['EC2'] })));
    expect(error).toBeInstanceOf(ThrottlingException);
    expect((await client.send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status).toBe('DISABLED');
    expect((await control(server.url, 'GET', '/_inspector2/accounts/300000000001')).body.serviceLinkedRole).toBeNull();
  });

  it('matches by account and region only when the rule names them', async () => {
    await addRule({ account: '300000000002', region: 'eu-west-1', fault: 'ServiceQuotaExceededException' });
    const target = inspectorClient(server.url, { accountId: '300000000002', region: 'eu-west-1' });
    const error = await rejection(target.send(new BatchGetAccountStatusCommand({})));
    expect(error.name).toBe('ServiceQuotaExceededException');
    expect(error.$metadata?.httpStatusCode).toBe(402);
    expect(error.resourceId).toBe('300000000002');
    await inspectorClient(server.url, { accountId: '300000000002', region: 'us-east-1' }).send(new BatchGetAccountStatusCommand({}));
    await inspectorClient(server.url, { accountId: '300000000003', region: 'eu-west-1' }).send(new BatchGetAccountStatusCommand({}));
    expect((await injected()).total).toBe(1);
  });

  it('adds latency', async () => {
    await addRule({ operation: 'BatchGetAccountStatus', fault: 'latency', latencyMs: 300, count: 1 });
    const started = Date.now();
    await inspectorClient(server.url).send(new BatchGetAccountStatusCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('drops the connection: a network error, retried by the SDK', async () => {
    await addRule({ operation: 'BatchGetAccountStatus', fault: 'drop', count: 2 });
    const once = await rejection(inspectorClient(server.url, { maxAttempts: 1 }).send(new BatchGetAccountStatusCommand({})));
    expect(once.$metadata?.httpStatusCode).toBeUndefined();
    const retried = await inspectorClient(server.url, { maxAttempts: 3 }).send(new BatchGetAccountStatusCommand({}));
    expect(retried.$metadata.attempts).toBe(2);
  });
});

describe('seeded probabilistic rules', () => {
  async function pattern(): Promise<string> {
    const server = await startTestServer({ faults: [{ fault: 'ThrottlingException', probability: 0.5, seed: 42 }] });
    try {
      const client = inspectorClient(server.url, { maxAttempts: 1 });
      let outcomes = '';
      for (let i = 0; i < 24; i++) {
        outcomes += await client.send(new BatchGetAccountStatusCommand({})).then(
          () => '.',
          () => 'x',
        );
      }
      return outcomes;
    } finally {
      await server.close();
    }
  }

  it('inject the same faults on every run', async () => {
    const first = await pattern();
    expect(first).toMatch(/x/);
    expect(first).toMatch(/\./);
    expect(await pattern()).toBe(first);
  });
});

describe('rules at start-up', () => {
  it('come from INSPECTOR2_FAULTS', () => {
    const options = optionsFromEnv({ INSPECTOR2_FAULTS: '[{"operation":"ListFindings","fault":"ThrottlingException","count":2}]' });
    expect(options.faults).toEqual([{ operation: 'ListFindings', fault: 'ThrottlingException', count: 2 }]);
  });

  it('refuse a bad rule, naming the field', () => {
    expect(() => optionsFromEnv({ INSPECTOR2_FAULTS: '[{"fault":"ThrottlingException","probability":3}]' })).toThrow(/INSPECTOR2_FAULTS\.0\.probability/);
    expect(() => optionsFromEnv({ INSPECTOR2_FAULTS: '[{"fault":"latency"}]' })).toThrow(/INSPECTOR2_FAULTS\.0\.latencyMs: a latency fault needs latencyMs/);
    expect(() => optionsFromEnv({ INSPECTOR2_FAULTS: 'not json' })).toThrow(/fault rules in INSPECTOR2_FAULTS/);
  });
});
