// Customer managed keys per scan type and resource type, through the SDK v3 (GET and PUT
// operations with query-string members).
import {
  GetEncryptionKeyCommand,
  ResetEncryptionKeyCommand,
  ResourceNotFoundException,
  UpdateEncryptionKeyCommand,
  ValidationException,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, rejection, startTestServer } from '../helpers.js';

const KEY = 'arn:aws:kms:eu-west-1:770000000007:key/01234567-89ab-cdef-0123-456789abcdef';

describe('encryption keys', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('use an AWS owned key until a customer key is set, and again after a reset', async () => {
    const client = inspectorClient(server.url, { accountId: '770000000007', region: 'eu-west-1' });
    const which = { scanType: 'CODE', resourceType: 'AWS_LAMBDA_FUNCTION' } as const;
    expect(await rejection(client.send(new GetEncryptionKeyCommand(which)))).toBeInstanceOf(ResourceNotFoundException);
    await client.send(new UpdateEncryptionKeyCommand({ ...which, kmsKeyId: KEY }));
    expect((await client.send(new GetEncryptionKeyCommand(which))).kmsKeyId).toBe(KEY);
    // Per scan type and resource type, per region.
    expect(await rejection(client.send(new GetEncryptionKeyCommand({ scanType: 'PACKAGE', resourceType: 'AWS_LAMBDA_FUNCTION' })))).toBeInstanceOf(
      ResourceNotFoundException,
    );
    const elsewhere = inspectorClient(server.url, { accountId: '770000000007', region: 'us-east-1' });
    expect(await rejection(elsewhere.send(new GetEncryptionKeyCommand(which)))).toBeInstanceOf(ResourceNotFoundException);
    await client.send(new ResetEncryptionKeyCommand(which));
    expect(await rejection(client.send(new GetEncryptionKeyCommand(which)))).toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuse a key that is not a KMS key ARN', async () => {
    const client = inspectorClient(server.url, { accountId: '770000000007', region: 'eu-west-1' });
    const error = await rejection(
      client.send(new UpdateEncryptionKeyCommand({ scanType: 'CODE', resourceType: 'AWS_LAMBDA_FUNCTION', kmsKeyId: 'alias/mine' })),
    );
    expect(error).toBeInstanceOf(ValidationException);
    expect(error.fields?.[0]?.name).toBe('kmsKeyId');
  });
});
