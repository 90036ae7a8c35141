// In-process mode: SDK v3 calls to the real inspector2 and IAM endpoints answered by the
// emulator through msw, with no socket opened.
import net from 'node:net';
import { BatchGetAccountStatusCommand, EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspector2Handlers } from '../../src/msw.js';

const { handlers, emulator } = inspector2Handlers();
const server = setupServer(...handlers);
const credentials = { accessKeyId: '123456789012', secretAccessKey: 'test' };
let connections = 0;
// Kept as it is to be put back and called with each socket as `this` (so not bound).
// eslint-disable-next-line @typescript-eslint/unbound-method
const connect = net.Socket.prototype.connect;

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  // Count every socket connection attempt made while the tests run.
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    connections++;
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
});
afterAll(() => {
  net.Socket.prototype.connect = connect;
  server.close();
});

describe('in-process mode (msw)', () => {
  it('answers SDK calls to inspector2 and IAM without a socket', async () => {
    const inspector = new Inspector2Client({ region: 'eu-west-1', credentials, maxAttempts: 1 });
    const enabled = await inspector.send(new EnableCommand({ resourceTypes: ['EC2'] }));
    expect(enabled.accounts?.[0]).toMatchObject({ accountId: '123456789012', status: 'ENABLING' });
    const status = await inspector.send(new BatchGetAccountStatusCommand({}));
    expect(status.accounts?.[0]?.state?.status).toBe('ENABLED');

    const iam = new IAMClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
    const role = await iam.send(new GetRoleCommand({ RoleName: 'AWSServiceRoleForAmazonInspector2' }));
    expect(role.Role?.Path).toBe('/aws-service-role/inspector2.amazonaws.com/');
    expect(connections).toBe(0);
    // The count does see a real connection attempt.
    net
      .connect(9, '127.0.0.1')
      .on('error', () => undefined)
      .destroy();
    expect(connections).toBe(1);
  });

  it('gives the test the emulator, to read or drive the world directly', async () => {
    const clock = (await (await emulator.fetch(new Request('http://emulator/_inspector2/clock'))).json()) as { mode: string };
    expect(clock.mode).toBe('running');
    expect(emulator.world.accountRegion('123456789012', 'eu-west-1').enablement.status('EC2')).toBe('ENABLED');
  });
});
