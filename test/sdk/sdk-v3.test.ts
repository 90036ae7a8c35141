// The AWS SDK for JavaScript v3 against a listening emulator: state per account and
// region, transitional statuses, typed errors, and strict signature verification.
import {
  BatchGetAccountStatusCommand,
  DisableCommand,
  EnableCommand,
  ListCisScansCommand,
  ListTagsForResourceCommand,
  ValidationException,
} from '@aws-sdk/client-inspector2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { inspectorClient, startTestServer } from '../helpers.js';

describe('SDK v3 against a listening server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('Enable answers ENABLING, and the account is ENABLED at the next request', async () => {
    const client = inspectorClient(server.url, { accountId: '111122223333', region: 'eu-west-1' });
    const enabled = await client.send(new EnableCommand({ resourceTypes: ['EC2', 'ECR'] }));
    expect(enabled.failedAccounts).toEqual([]);
    expect(enabled.accounts).toEqual([
      {
        accountId: '111122223333',
        status: 'ENABLING',
        resourceStatus: { ec2: 'ENABLING', ecr: 'ENABLING', lambda: 'DISABLED', lambdaCode: 'DISABLED', codeRepository: 'DISABLED' },
      },
    ]);
    const status = await client.send(new BatchGetAccountStatusCommand({}));
    expect(status.accounts?.[0]?.state?.status).toBe('ENABLED');
    expect(status.accounts?.[0]?.resourceState).toEqual({
      ec2: { status: 'ENABLED' },
      ecr: { status: 'ENABLED' },
      lambda: { status: 'DISABLED' },
      lambdaCode: { status: 'DISABLED' },
      codeRepository: { status: 'DISABLED' },
    });
    expect(status.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps state per region and per account', async () => {
    const account = '222233334444';
    await inspectorClient(server.url, { accountId: account, region: 'eu-west-1' }).send(new EnableCommand({ resourceTypes: ['LAMBDA'] }));
    const otherRegion = await inspectorClient(server.url, { accountId: account, region: 'us-west-2' }).send(new BatchGetAccountStatusCommand({}));
    expect(otherRegion.accounts?.[0]).toMatchObject({ accountId: account, state: { status: 'DISABLED' } });
    const otherAccount = await inspectorClient(server.url, { accountId: '333344445555', region: 'eu-west-1' }).send(new BatchGetAccountStatusCommand({}));
    expect(otherAccount.accounts?.[0]).toMatchObject({ accountId: '333344445555', state: { status: 'DISABLED' } });
    const sameRegion = await inspectorClient(server.url, { accountId: account, region: 'eu-west-1' }).send(new BatchGetAccountStatusCommand({}));
    expect(sameRegion.accounts?.[0]?.resourceState?.lambda?.status).toBe('ENABLED');
  });

  it('maps a non-numeric access key to the default account 000000000000', async () => {
    const client = inspectorClient(server.url, { accessKeyId: 'test', region: 'ap-south-1' });
    const result = await client.send(new EnableCommand({ resourceTypes: ['ECR'] }));
    expect(result.accounts?.[0]?.accountId).toBe('000000000000');
  });

  it('answers accounts the caller may not manage in failedAccounts, not as a request error', async () => {
    const client = inspectorClient(server.url, { accountId: '444455556666', region: 'eu-central-1' });
    const result = await client.send(new EnableCommand({ resourceTypes: ['EC2'], accountIds: ['444455556666', '999988887777'] }));
    expect(result.accounts?.map((a) => a.accountId)).toEqual(['444455556666']);
    expect(result.failedAccounts).toEqual([
      expect.objectContaining({ accountId: '999988887777', errorCode: 'ACCESS_DENIED', errorMessage: expect.any(String) }),
    ]);
  });

  it('Disable with no resource types disables every scan type: DISABLING, then DISABLED', async () => {
    const client = inspectorClient(server.url, { accountId: '555566667777', region: 'eu-west-3' });
    await client.send(new EnableCommand({ resourceTypes: ['EC2', 'LAMBDA'] }));
    const disabled = await client.send(new DisableCommand({}));
    expect(disabled.accounts?.[0]).toMatchObject({
      status: 'DISABLING',
      resourceStatus: { ec2: 'DISABLING', lambda: 'DISABLING', ecr: 'DISABLED' },
    });
    const status = await client.send(new BatchGetAccountStatusCommand({ accountIds: ['555566667777'] }));
    expect(status.accounts?.[0]?.state?.status).toBe('DISABLED');
  });

  it('surfaces a ValidationException with reason and fields', async () => {
    const client = inspectorClient(server.url);
    const error = await client.send(new EnableCommand({ resourceTypes: [] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationException);
    const validation = error as ValidationException;
    expect(validation.$metadata.httpStatusCode).toBe(400);
    expect(validation.reason).toBe('FIELD_VALIDATION_FAILED');
    expect(validation.fields).toEqual([{ name: 'resourceTypes', message: expect.stringContaining('length greater than or equal to 1') }]);
    expect(validation.message).toMatch(/^1 validation error detected: /);
  });

  it('routes a percent-encoded ARN label, and refuses feature operations to an account that has not enabled Inspector', async () => {
    const client = inspectorClient(server.url);
    const arn = 'arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/filter/0123456789abcdef';
    const error = (await client.send(new ListTagsForResourceCommand({ resourceArn: arn })).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    // The label arrives decoded once: the error names the ARN as it was given.
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toContain(arn);
    const scans = (await client.send(new ListCisScansCommand({})).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number } };
    expect(scans.name).toBe('AccessDeniedException');
    expect(scans.$metadata.httpStatusCode).toBe(403);
    expect(scans.message).toBe('Invoking account is not enabled.');
  });
});

describe('SDK v3 against strict signature verification', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ verifySignatures: true, credentials: { '111122223333': 'the-right-secret' } });
  });
  afterAll(() => server.close());

  it('accepts a correctly signed request', async () => {
    const client = inspectorClient(server.url, { accountId: '111122223333', secretAccessKey: 'the-right-secret' });
    const result = await client.send(new BatchGetAccountStatusCommand({}));
    expect(result.accounts?.[0]?.accountId).toBe('111122223333');
  });

  it('accepts a signed request whose path carries an encoded ARN', async () => {
    const client = inspectorClient(server.url, { accountId: '111122223333', secretAccessKey: 'the-right-secret' });
    const arn = 'arn:aws:inspector2:us-east-1:111122223333:owner/111122223333/filter/0123456789abcdef';
    const error = (await client.send(new ListTagsForResourceCommand({ resourceArn: arn })).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toContain(arn);
  });

  it('answers InvalidSignatureException to a wrong secret', async () => {
    const client = inspectorClient(server.url, { accountId: '111122223333', secretAccessKey: 'wrong' });
    const error = (await client.send(new BatchGetAccountStatusCommand({})).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toContain('signature we calculated does not match');
  });

  it('answers UnrecognizedClientException to an unknown access key', async () => {
    const client = inspectorClient(server.url, { accountId: '999999999999', secretAccessKey: 'the-right-secret' });
    const error = (await client.send(new BatchGetAccountStatusCommand({})).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode: number };
    };
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });
});
