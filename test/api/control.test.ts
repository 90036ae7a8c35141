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
    expect((await request(listener).delete(`/_inspector2/organizations/${ORG.id}/accounts/777777777777`)).status).toBe(200);
    const management = await request(listener).delete(`/_inspector2/organizations/${ORG.id}/accounts/${ORG.management}`);
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
