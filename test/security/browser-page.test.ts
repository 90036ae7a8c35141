// The browser threats in a real browser (Debian's Chromium via playwright-core, as the
// console test): a page on another site (evil.example, mapped to 127.0.0.1 inside the
// browser) fires what any page can — no-cors text/plain posts at the control plane, CORS
// fetches at the API and the snapshot — and a DNS-rebinding page reads the emulator under
// its own name. None of it changes or reveals the state; the console on loopback still works.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetAccountStatusCommand, EnableCommand } from '@aws-sdk/client-inspector2';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { control, inspectorClient, ORG, startTestServer } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing) {
  console.warn(
    `test/security/browser-page.test.ts is skipped: there is no Chromium at ${CHROMIUM}. ` +
      'Install it (Debian/Ubuntu: apt-get install chromium) or point CHROMIUM_PATH at a Chromium binary.',
  );
}

/** What the hostile page does, given the emulator's URL; it leaves what it saw in window.outcome. */
const ATTACK = `
const emulator = new URL(location.href).searchParams.get('emulator');
const outcome = {};
const attempt = async (name, run) => {
  try { outcome[name] = await run(); } catch (error) { outcome[name] = 'failed: ' + error.message; }
};
await attempt('reset', async () => (await fetch(emulator + '/_inspector2/reset', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{}' })).type);
await attempt('clock', async () => (await fetch(emulator + '/_inspector2/clock', { method: 'POST', mode: 'no-cors', body: '{"advance":"1d"}' })).type);
await attempt('faults', async () => (await fetch(emulator + '/_inspector2/faults', { method: 'POST', mode: 'no-cors', body: '{"fault":"drop"}' })).type);
await attempt('enable', async () => (await fetch(emulator + '/enable', { method: 'POST', mode: 'no-cors', body: '{"resourceTypes":["EC2","ECR"]}' })).type);
await attempt('api', async () => (await fetch(emulator + '/status/batch/get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status);
await attempt('snapshot', async () => (await (await fetch(emulator + '/_inspector2/snapshot')).text()).slice(0, 100));
window.outcome = outcome;
`;

describe.skipIf(chromiumMissing)('a hostile page in a real browser', () => {
  let server: RunningServer;
  let site: Server;
  let sitePort: number;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer({ manualClock: true, clockStart: new Date('2030-01-01T00:00:00Z') });
    await inspectorClient(server.url, { accountId: ORG.production }).send(new EnableCommand({ resourceTypes: ['EC2'] }));
    site = createServer((req, res) => {
      if (req.url?.startsWith('/attack.js')) {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(ATTACK);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title><script type="module" src="/attack.js"></script>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    sitePort = (site.address() as AddressInfo).port;
    // evil.example resolves to loopback inside this browser only: its pages are another site, yet reach 127.0.0.1.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--host-resolver-rules=MAP evil.example 127.0.0.1', '--disable-features=HttpsUpgrades'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await server?.close();
  });

  const status = async (accountId: string) =>
    (await inspectorClient(server.url, { accountId }).send(new BatchGetAccountStatusCommand({}))).accounts?.[0]?.state?.status;

  it('cannot change the state or read it from another origin', async () => {
    const clockBefore = (await control(server.url, 'GET', '/_inspector2/clock')).body;
    const page = await browser.newPage();
    const answered = new Map<string, number>();
    page.on('response', (response) => {
      if (response.url().startsWith(server.url)) answered.set(`${response.request().method()} ${new URL(response.url()).pathname}`, response.status());
    });
    await page.goto(`http://evil.example:${sitePort}/?emulator=${encodeURIComponent(server.url)}`);
    const outcome = (await page.waitForFunction(() => (globalThis as any).outcome).then((handle) => handle.jsonValue())) as Record<string, unknown>;
    await page.close();

    // The no-cors posts went out (opaque to the page) and were refused by the emulator.
    expect(outcome.reset).toBe('opaque');
    for (const path of ['/_inspector2/reset', '/_inspector2/clock', '/_inspector2/faults', '/enable']) expect(answered.get(`POST ${path}`), path).toBe(403);
    // The CORS reads got nothing: no Access-Control-Allow-Origin for this origin.
    expect(String(outcome.api)).toMatch(/^failed/);
    expect(String(outcome.snapshot)).toMatch(/^failed/);

    expect((await control(server.url, 'GET', '/_inspector2/clock')).body).toEqual(clockBefore);
    expect((await control(server.url, 'GET', '/_inspector2/faults')).body.rules).toEqual([]);
    expect(await status(ORG.production)).toBe('ENABLED');
    expect(await status('000000000000')).toBe('DISABLED');
  }, 60_000);

  it('a rebinding page (its own name, now pointing at the emulator) is refused', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://evil.example:${server.port}/_inspector2/snapshot`);
    expect(response?.status()).toBe(403);
    expect(await page.content()).not.toContain(ORG.production);
    await page.close();
  }, 60_000);

  it('the console on loopback still reads and changes the world (as 127.0.0.1 and as localhost)', async () => {
    for (const [base, scanType] of [
      [server.url, 'ECR'],
      [`http://localhost:${server.port}`, 'LAMBDA'],
    ] as const) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${base}/_inspector2/ui/#/accounts?account=${ORG.staging}`);
      await page.waitForSelector('[data-testid="account-status-card"][data-state="ready"]');
      await page.getByTestId(`enable-${scanType}`).click();
      await page.waitForSelector(`[data-testid="scan-status-${scanType}"][data-status="ENABLED"]`);
      expect(errors, base).toEqual([]);
      await page.close();
    }
  }, 60_000);
});
