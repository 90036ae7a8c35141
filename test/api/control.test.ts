// The control plane over HTTP (supertest, no port): the clock, accounts, organizations,
// and a clear 400 JSON error for bad input.
import { getRequestListener } from '@hono/node-server';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../src/app.js';
import { ORG } from '../helpers.js';

let listener: ReturnType<typeof getRequestListener>;
beforeEach(() => {
  listener = getRequestListener(createEmulator({ logLevel: 'silent' }).app.fetch);
});

describe('the clock', () => {
  it('reads, advances by a duration and sets a time', async () => {
    const before = (await request(listener).get('/_inspector2/clock')).body;
    expect(Math.abs(Date.parse(before.now) - Date.now())).toBeLessThan(5_000);
    const advanced = (await request(listener).post('/_inspector2/clock').send({ advance: '2h' })).body;
    expect(Date.parse(advanced.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(2 * 3600_000);
    const set = await request(listener).post('/_inspector2/clock').send({ set: '2031-01-01T00:00:00Z' });
    expect(set.status).toBe(200);
    expect(set.body.now.startsWith('2031-01-01T00:00:0')).toBe(true);
  });

  it.each([
    [{}, /exactly one of "advance"/],
    [{ advance: '15m', set: '2031-01-01T00:00:00Z' }, /exactly one of "advance"/],
    [{ advance: 'soon' }, /advance must be a duration/],
    [{ advance: -5 }, /advance must be a duration/],
    [{ set: 'tomorrow' }, /set must be an ISO 8601 time/],
    [{ set: '2001-01-01T00:00:00Z' }, /the clock cannot go back/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const response = await request(listener).post('/_inspector2/clock').send(body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await request(listener).post('/_inspector2/clock').set('content-type', 'application/json').send('{advance');
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(/not valid JSON/);
  });
});

describe('accounts and organizations', () => {
  it('shows an account, and refuses an id that is not one', async () => {
    const account = await request(listener).get(`/_inspector2/accounts/${ORG.production}`);
    expect(account.body).toMatchObject({
      accountId: ORG.production,
      organization: { id: ORG.id, managementAccountId: ORG.management, isManagementAccount: false },
      serviceLinkedRole: null,
      regions: [],
    });
    const bad = await request(listener).get('/_inspector2/accounts/12345');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/accountId must be a 12-digit account id/);
  });

  it('adds and removes organization accounts', async () => {
    const added = await request(listener).post(`/_inspector2/organizations/${ORG.id}/accounts`).send({ accountId: '777777777777', name: 'data' });
    expect(added.status).toBe(201);
    const organizations = (await request(listener).get('/_inspector2/organizations')).body;
    expect(organizations[0].accounts.map((a: { id: string }) => a.id)).toContain('777777777777');
    const twice = await request(listener).post(`/_inspector2/organizations/${ORG.id}/accounts`).send({ accountId: '777777777777' });
    expect(twice.status).toBe(409);
    expect((await request(listener).delete(`/_inspector2/organizations/${ORG.id}/accounts/777777777777`).set('content-type', 'application/json')).status).toBe(
      200,
    );
    const management = await request(listener)
      .delete(`/_inspector2/organizations/${ORG.id}/accounts/${ORG.management}`)
      .set('content-type', 'application/json');
    expect(management.status).toBe(400);
    expect(management.body.message).toMatch(/management account/);
  });

  it('refuses bad organization input', async () => {
    expect((await request(listener).post('/_inspector2/organizations/o-nosuchorg000/accounts').send({ accountId: '777777777777' })).status).toBe(404);
    const badId = await request(listener).post(`/_inspector2/organizations/${ORG.id}/accounts`).send({ accountId: 7 });
    expect(badId.status).toBe(400);
    expect(badId.body.message).toMatch(/accountId must be a 12-digit account id/);
    const badName = await request(listener).post(`/_inspector2/organizations/${ORG.id}/accounts`).send({ accountId: '777777777777', name: '' });
    expect(badName.status).toBe(400);
  });
});

describe('fault rules', () => {
  it('are added, listed, removed and cleared', async () => {
    const added = await request(listener).post('/_inspector2/faults').send({ id: 'slow', fault: 'latency', latencyMs: 10 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: 'slow', operation: '*', fault: 'latency', matched: 0, injected: 0 });
    const many = await request(listener)
      .post('/_inspector2/faults')
      .send({ rules: [{ fault: 'ThrottlingException' }, { operation: 'Enable', fault: 'drop', count: 1 }] });
    expect(many.status).toBe(201);
    expect(many.body.rules.map((r: { id: string }) => r.id)).toEqual(['fault-1', 'fault-2']);
    expect((await request(listener).get('/_inspector2/faults')).body.rules.map((r: { id: string }) => r.id)).toEqual(['slow', 'fault-1', 'fault-2']);
    expect((await request(listener).delete('/_inspector2/faults/fault-1').set('content-type', 'application/json')).status).toBe(200);
    expect((await request(listener).delete('/_inspector2/faults/fault-1').set('content-type', 'application/json')).status).toBe(404);
    expect((await request(listener).delete('/_inspector2/faults').set('content-type', 'application/json')).body).toEqual({ rules: [] });
    expect((await request(listener).get('/_inspector2/faults/injected')).body).toMatchObject({ total: 0, injected: [] });
  });

  it.each([
    [{ fault: 'Boom' }, /^fault: Invalid option/],
    [{ fault: 'latency' }, /^latencyMs: a latency fault needs latencyMs/],
    [{ fault: 'drop', probability: 1.5 }, /^probability: Too big/],
    [{ fault: 'drop', count: 0 }, /^count: Too small/],
    [{ fault: 'drop', account: '12' }, /^account: must be a 12-digit account id/],
    [{ fault: 'drop', operation: 'list findings' }, /^operation: must be an operation name/],
    [{ fault: 'drop', colour: 'red' }, /Unrecognized key/],
    [{ rules: [{ fault: 'drop' }, { fault: 'x' }] }, /^rules\.1\.fault: Invalid option/],
  ])('refuse %j with a 400 naming the field', async (body, message) => {
    const response = await request(listener).post('/_inspector2/faults').send(body);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(message);
  });

  it('refuse a duplicate id', async () => {
    await request(listener).post('/_inspector2/faults').send({ id: 'a', fault: 'drop' });
    const again = await request(listener).post('/_inspector2/faults').send({ id: 'a', fault: 'drop' });
    expect(again.status).toBe(400);
    expect(again.body.message).toMatch(/id: a rule with id 'a' exists already/);
  });
});

describe('reset', () => {
  const enable = (accountId: string) =>
    request(listener)
      .post('/enable')
      .set('authorization', `AWS4-HMAC-SHA256 Credential=${accountId}/20260101/eu-west-1/inspector2/aws4_request, SignedHeaders=host, Signature=x`)
      .send(JSON.stringify({ resourceTypes: ['EC2'] }));
  const status = async (accountId: string) =>
    (
      await request(listener)
        .post('/status/batch/get')
        .set('authorization', `AWS4-HMAC-SHA256 Credential=${accountId}/20260101/eu-west-1/inspector2/aws4_request, SignedHeaders=host, Signature=x`)
        .send('{}')
    ).body.accounts[0].state.status;

  it('forgets one account, or everything (and reloads the seed)', async () => {
    await enable('810000000001');
    await enable('810000000002');
    expect(await status('810000000001')).toBe('ENABLED');
    expect((await request(listener).post('/_inspector2/reset').send({ accountId: '810000000001' })).body).toEqual({ reset: '810000000001' });
    expect(await status('810000000001')).toBe('DISABLED');
    expect(await status('810000000002')).toBe('ENABLED');
    expect((await request(listener).get('/_inspector2/accounts/810000000001')).body.serviceLinkedRole).toBeNull();

    await request(listener).post(`/_inspector2/organizations/${ORG.id}/accounts`).send({ accountId: '777777777777' });
    expect((await request(listener).post('/_inspector2/reset').send({})).body).toEqual({ reset: 'everything' });
    expect(await status('810000000002')).toBe('DISABLED');
    const organizations = (await request(listener).get('/_inspector2/organizations')).body;
    expect(organizations[0].accounts.map((a: { id: string }) => a.id)).not.toContain('777777777777');
    expect(organizations[0].accounts).toHaveLength(5);
    expect((await request(listener).get('/_inspector2/events')).body.events).toEqual([]);
  });

  it('refuses a body it cannot read', async () => {
    expect((await request(listener).post('/_inspector2/reset').send({ accountId: 'me' })).status).toBe(400);
    expect((await request(listener).post('/_inspector2/reset').send({ everything: true })).status).toBe(400);
  });
});

describe('the control plane OpenAPI document', () => {
  it('describes every control route', async () => {
    const emulator = createEmulator({ logLevel: 'silent' });
    const document = (await request(getRequestListener(emulator.app.fetch)).get('/_inspector2/openapi.json')).body;
    expect(document.openapi).toBe('3.1.0');
    // Hono's route paths (":name", ":name{regex}") in OpenAPI's form ("{name}").
    const routes = emulator.app.routes
      .filter((r) => r.path.startsWith('/_inspector2/') || r.path.startsWith('/_localstack/'))
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, '{$1}')}`);
    expect(routes.length).toBeGreaterThan(20);
    const described = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(routes.filter((route) => !described.includes(route))).toEqual([]);
  });
});
