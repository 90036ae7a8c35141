// Where findings reports (and later SBOM exports) are written: a folder laid out as
// bucket/key, or a real S3-compatible endpoint (LocalStack, moto_server, MinIO ...).
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { NoSuchBucket, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { ObjectStoreError, type ObjectStore } from '../world/platform/object-store.js';

/** Objects under `<root>/<bucket>/<key>`. The bucket folder is created on first use. */
export class FolderObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async put(bucket: string, key: string, body: string): Promise<void> {
    const bucketDir = resolve(this.root, bucket);
    const file = resolve(bucketDir, key);
    // A key must stay inside its bucket's folder.
    if (!file.startsWith(bucketDir + sep) || bucket.includes('/') || bucket.startsWith('.')) {
      throw new ObjectStoreError('INVALID_PERMISSIONS', `The key ${key} or bucket ${bucket} is not allowed.`);
    }
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, body);
  }

  /** Where an object of this store is on disk (for tests and users). */
  pathOf(bucket: string, key: string): string {
    return join(this.root, bucket, key);
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    return stat(this.pathOf(bucket, key)).then(
      () => true,
      () => false,
    );
  }
}

/** Objects put into an S3-compatible endpoint; a missing bucket fails as AWS reports it. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(endpoint: string, region = 'us-east-1') {
    this.client = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
      maxAttempts: 2,
    });
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    } catch (error) {
      if (error instanceof NoSuchBucket || (error instanceof S3ServiceException && error.name === 'NoSuchBucket')) {
        throw new ObjectStoreError('BUCKET_NOT_FOUND', `The bucket ${bucket} does not exist.`);
      }
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 403) {
        throw new ObjectStoreError('INVALID_PERMISSIONS', `Writing to the bucket ${bucket} was denied.`);
      }
      throw error;
    }
  }
}
