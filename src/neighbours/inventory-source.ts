// INSPECTOR2_INVENTORY_ENDPOINT: the resources Inspector scans, read from a sibling AWS
// endpoint (LocalStack, moto_server) with the SDK's EC2, ECR and Lambda clients, asking as
// each account (the access key id is the account id, as LocalStack reads it; moto reads the
// x-moto-account-id header, and keeps what it was not told the account of in 123456789012).
// Reading is asynchronous and bounded (timeouts, page and size caps): an API call never
// waits for the sibling, and a sibling that is down or answers errors is logged and shown in
// health. What was read is handed to the world (world/inventory/external.ts) when it arrives.
import { DescribeImagesCommand as DescribeAmisCommand, DescribeInstancesCommand, EC2Client, type Image as Ami, type Instance } from '@aws-sdk/client-ec2';
import { BatchGetImageCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, type ImageDetail } from '@aws-sdk/client-ecr';
import { GetFunctionCommand, LambdaClient, ListFunctionsCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../log.js';
import {
  applyDiscoveredInventory,
  useInventoryNeighbour,
  type DiscoveredFunction,
  type DiscoveredImage,
  type DiscoveredInstance,
  type DiscoveredInventory,
  type DiscoveredRepository,
  type InventoryNeighbour,
} from '../world/inventory/external.js';
import type { World } from '../world/world.js';
import { MAX_ZIP_BYTES, packagesInZip } from './code-manifests.js';

export const DEFAULT_INVENTORY_POLL_MS = 60_000;
/** One request to the sibling. */
const REQUEST_TIMEOUT_MS = 10_000;
/** One account-region's whole reading. */
const DISCOVERY_TIMEOUT_MS = 60_000;
/** Account-regions read at the same time. */
const CONCURRENCY = 4;
/** How often (real time) the virtual clock is looked at for the next poll. */
const POLL_CHECK_MS = 1_000;
const MAX_INSTANCES = 2_000;
const MAX_REPOSITORIES = 500;
const MAX_IMAGES_PER_REPOSITORY = 200;
const MAX_FUNCTIONS = 1_000;
const MAX_MANIFEST_CHARS = 1024 * 1024;

export interface InventorySourceOptions {
  endpoint: string;
  /** On the virtual clock; 0: only on Enable and rescan. */
  pollMs: number;
  logger: Logger;
}

interface SourceError {
  at: string;
  accountId: string;
  region: string;
  message: string;
}

export interface InventorySourceStatus {
  endpoint: string;
  /** ok: the last reading succeeded; error: it failed (in part or whole); idle: nothing read yet. */
  status: 'idle' | 'ok' | 'error';
  pollMs: number;
  nextPollAt: string | null;
  readings: number;
  failures: number;
  inFlight: number;
  lastSuccessAt: string | null;
  lastError: SourceError | null;
  /** What the last successful readings found, over every account-region. */
  counts: { accountRegions: number; instances: number; repositories: number; images: number; functions: number };
}

type Counts = Omit<InventorySourceStatus['counts'], 'accountRegions'>;

export class InventorySource implements InventoryNeighbour {
  private readonly pending = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly counts = new Map<string, Counts>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private nextPollAt: number | undefined;
  private readings = 0;
  private failures = 0;
  private lastOutcome: 'ok' | 'error' | undefined;
  private lastSuccessAt: Date | undefined;
  private lastError: SourceError | undefined;

  constructor(
    private readonly world: World,
    private readonly options: InventorySourceOptions,
  ) {}

  /** Takes over the inventory of enabled account-regions: now, on every Enable, and every poll. */
  start(): void {
    useInventoryNeighbour(this.world, this);
    if (this.options.pollMs > 0) {
      this.nextPollAt = this.world.clock.nowMs() + this.options.pollMs;
      // The poll is due on the virtual clock; real time only says when to look at it.
      this.timer = setInterval(() => this.pollIfDue(), Math.min(POLL_CHECK_MS, this.options.pollMs));
      this.timer.unref();
    }
    void this.refresh();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** An account-region was enabled (world/inventory/external.ts asks). */
  requested(accountId: string, region: string): void {
    void this.read(accountId, region);
  }

  /** Reads every enabled account-region (or the one named) again; resolves once applied. */
  async refresh(accountId?: string, region?: string): Promise<void> {
    const states = this.world
      .allAccountRegions()
      .filter((s) => (!accountId || s.accountId === accountId) && (!region || s.region === region))
      .filter((s) => ['ENABLED', 'ENABLING'].includes(s.enablement.accountStatus()));
    await Promise.all(states.map((s) => this.read(s.accountId, s.region)));
  }

  /** Resolves when no reading is under way. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending.values()].map((p) => p.done));
  }

  status(): InventorySourceStatus {
    const total = { accountRegions: this.counts.size, instances: 0, repositories: 0, images: 0, functions: 0 };
    for (const counts of this.counts.values()) {
      total.instances += counts.instances;
      total.repositories += counts.repositories;
      total.images += counts.images;
      total.functions += counts.functions;
    }
    return {
      endpoint: this.options.endpoint,
      status: this.lastOutcome ?? 'idle',
      pollMs: this.options.pollMs,
      nextPollAt: this.nextPollAt === undefined ? null : new Date(this.nextPollAt).toISOString(),
      readings: this.readings,
      failures: this.failures,
      inFlight: this.pending.size,
      lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null,
      lastError: this.lastError ?? null,
      counts: total,
    };
  }

  private pollIfDue(): void {
    if (this.stopped || this.nextPollAt === undefined || this.world.clock.nowMs() < this.nextPollAt) return;
    this.nextPollAt = this.world.clock.nowMs() + this.options.pollMs;
    void this.refresh();
  }

  /** One reading of an account-region at a time; asked again meanwhile, it reads once more after. */
  private read(accountId: string, region: string): Promise<void> {
    const key = `${accountId}|${region}`;
    const pending = this.pending.get(key);
    if (pending) {
      pending.again = true;
      return pending.done;
    }
    const entry = { again: true, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        while (entry.again && !this.stopped) {
          entry.again = false;
          await this.slot();
          try {
            await this.discover(accountId, region);
          } finally {
            this.release();
          }
        }
      } finally {
        this.pending.delete(key);
      }
    })();
    this.pending.set(key, entry);
    return entry.done;
  }

  private async slot(): Promise<void> {
    // Never within the caller's turn: Enable answers before anything is read.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.running < CONCURRENCY) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  private async discover(accountId: string, region: string): Promise<void> {
    this.readings++;
    const reader = new AccountReader(this.options.endpoint, accountId, region, AbortSignal.timeout(DISCOVERY_TIMEOUT_MS));
    const errors: string[] = [];
    const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await read();
      } catch (error) {
        errors.push(`${what}: ${messageOf(error)}`);
        return undefined;
      }
    };
    try {
      const [instances, repositories, functions] = await Promise.all([
        attempt('EC2', () => reader.instances()),
        attempt('ECR', () => reader.repositories()),
        attempt('Lambda', () => reader.functions()),
      ]);
      const found: DiscoveredInventory = {
        ...(instances ? { instances } : {}),
        ...(repositories ? { repositories } : {}),
        ...(functions ? { functions } : {}),
      };
      if (this.stopped) return;
      if (instances || repositories || functions) {
        this.world.settle();
        applyDiscoveredInventory(this.world, accountId, region, found);
        const before = this.counts.get(`${accountId}|${region}`);
        this.counts.set(`${accountId}|${region}`, {
          instances: instances?.length ?? before?.instances ?? 0,
          repositories: repositories?.length ?? before?.repositories ?? 0,
          images: repositories?.reduce((n, r) => n + r.images.length, 0) ?? before?.images ?? 0,
          functions: functions?.length ?? before?.functions ?? 0,
        });
      }
      if (!errors.length) {
        this.lastOutcome = 'ok';
        this.lastSuccessAt = new Date();
        return;
      }
    } catch (error) {
      errors.push(messageOf(error));
    } finally {
      reader.destroy();
    }
    this.fail(accountId, region, errors.join('; '));
  }

  private fail(accountId: string, region: string, message: string): void {
    this.failures++;
    this.lastOutcome = 'error';
    const repeated = this.lastError?.message === message && this.lastError.accountId === accountId && this.lastError.region === region;
    this.lastError = { at: new Date().toISOString(), accountId, region, message };
    // The same failure poll after poll is said once.
    const line = `inventory endpoint ${this.options.endpoint}: reading account ${accountId} in ${region} failed: ${message}`;
    if (repeated) this.options.logger.debug(line);
    else this.options.logger.warn(line);
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}` : String(error);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** The sibling's clients for one account and region. */
class AccountReader {
  private readonly ec2: EC2Client;
  private readonly ecr: ECRClient;
  private readonly lambda: LambdaClient;
  private readonly s3: S3Client;

  constructor(
    private readonly endpoint: string,
    private readonly accountId: string,
    region: string,
    private readonly signal: AbortSignal,
  ) {
    const config = {
      endpoint,
      region,
      credentials: { accessKeyId: accountId, secretAccessKey: 'test' },
      maxAttempts: 1,
      requestHandler: { requestTimeout: REQUEST_TIMEOUT_MS, connectionTimeout: REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
    };
    this.ec2 = new EC2Client(config);
    this.ecr = new ECRClient(config);
    this.lambda = new LambdaClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    // moto's way of naming the account (LocalStack reads the access key id and ignores the header).
    const named = <T extends { request: unknown }>(args: T): T => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-moto-account-id'] = accountId;
      return args;
    };
    const step = { step: 'build', name: 'inventoryAccountHeader' } as const;
    this.ec2.middlewareStack.add((next) => (args) => next(named(args)), step);
    this.ecr.middlewareStack.add((next) => (args) => next(named(args)), step);
    this.lambda.middlewareStack.add((next) => (args) => next(named(args)), step);
    this.s3.middlewareStack.add((next) => (args) => next(named(args)), step);
  }

  destroy(): void {
    for (const client of [this.ec2, this.ecr, this.lambda, this.s3]) client.destroy();
  }

  private get sendOptions() {
    return { abortSignal: this.signal };
  }

  async instances(): Promise<DiscoveredInstance[]> {
    const instances: Instance[] = [];
    let token: string | undefined;
    do {
      const page = await this.ec2.send(new DescribeInstancesCommand({ MaxResults: 1000, ...(token ? { NextToken: token } : {}) }), this.sendOptions);
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
      token = page.NextToken;
    } while (token && instances.length < MAX_INSTANCES);
    const amis = await this.amis([...new Set(instances.map((i) => i.ImageId).filter((id): id is string => !!id))]);
    return instances.slice(0, MAX_INSTANCES).flatMap((instance) => {
      if (!instance.InstanceId) return [];
      const ami = amis.get(instance.ImageId ?? '');
      return [
        {
          instanceId: instance.InstanceId,
          imageId: instance.ImageId ?? '',
          imageText: [ami?.Name, ami?.Description, ami?.PlatformDetails, instance.PlatformDetails].filter(Boolean).join(' '),
          windows: instance.Platform?.toLowerCase() === 'windows' || ami?.Platform?.toLowerCase() === 'windows',
          architecture: instance.Architecture ?? ami?.Architecture ?? 'x86_64',
          instanceType: instance.InstanceType ?? '',
          state: instance.State?.Name ?? 'running',
          tags: tagsOf(instance.Tags),
          ...(instance.VpcId ? { vpcId: instance.VpcId } : {}),
          ...(instance.SubnetId ? { subnetId: instance.SubnetId } : {}),
          ...(instance.PublicIpAddress ? { publicIp: instance.PublicIpAddress } : {}),
          ...(instance.PrivateIpAddress ? { privateIp: instance.PrivateIpAddress } : {}),
          securityGroupIds: (instance.SecurityGroups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
          ...(instance.IamInstanceProfile?.Arn ? { iamInstanceProfileArn: instance.IamInstanceProfile.Arn } : {}),
          ...(instance.KeyName ? { keyName: instance.KeyName } : {}),
          ...(instance.LaunchTime ? { launchedAt: instance.LaunchTime } : {}),
        },
      ];
    });
  }

  /** The AMIs by id; one the sibling no longer knows (deregistered) is left out, not an error. */
  private async amis(ids: string[]): Promise<Map<string, Ami>> {
    const amis = new Map<string, Ami>();
    const add = (images: Ami[] | undefined) => images?.forEach((ami) => ami.ImageId && amis.set(ami.ImageId, ami));
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      try {
        add((await this.ec2.send(new DescribeAmisCommand({ ImageIds: chunk }), this.sendOptions)).Images);
      } catch {
        for (const id of chunk.slice(0, 50)) {
          add(
            await this.ec2.send(new DescribeAmisCommand({ ImageIds: [id] }), this.sendOptions).then(
              (r) => r.Images,
              () => undefined,
            ),
          );
        }
      }
    }
    return amis;
  }

  async repositories(): Promise<DiscoveredRepository[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.ecr.send(new DescribeRepositoriesCommand({ maxResults: 1000, ...(token ? { nextToken: token } : {}) }), this.sendOptions);
      for (const repository of page.repositories ?? []) if (repository.repositoryName) names.push(repository.repositoryName);
      token = page.nextToken;
    } while (token && names.length < MAX_REPOSITORIES);
    const repositories: DiscoveredRepository[] = [];
    for (const name of names.slice(0, MAX_REPOSITORIES)) repositories.push({ name, images: await this.images(name) });
    return repositories;
  }

  private async images(repositoryName: string): Promise<DiscoveredImage[]> {
    const details: ImageDetail[] = [];
    let token: string | undefined;
    do {
      const page = await this.ecr.send(
        new DescribeImagesCommand({ repositoryName, maxResults: 1000, ...(token ? { nextToken: token } : {}) }),
        this.sendOptions,
      );
      details.push(...(page.imageDetails ?? []));
      token = page.nextToken;
    } while (token && details.length < MAX_IMAGES_PER_REPOSITORY);
    const digests = [...new Set(details.slice(0, MAX_IMAGES_PER_REPOSITORY).flatMap((d) => (d.imageDigest ? [d.imageDigest] : [])))];
    const manifests = await this.manifests(repositoryName, digests);
    return details.slice(0, MAX_IMAGES_PER_REPOSITORY).flatMap((detail) => {
      if (!detail.imageDigest) return [];
      const manifest = manifests.get(detail.imageDigest);
      return [
        {
          digest: detail.imageDigest,
          tags: [...(detail.imageTags ?? [])].sort(),
          ...(detail.imagePushedAt ? { pushedAt: detail.imagePushedAt } : {}),
          ...(detail.lastRecordedPullTime ? { lastPulledAt: detail.lastRecordedPullTime } : {}),
          layerDigests: manifest?.layers ?? [],
        },
      ];
    });
  }

  /** The images' layers from their manifests (BatchGetImage); a sibling that does not serve them gives none. */
  private async manifests(repositoryName: string, digests: string[]): Promise<Map<string, { layers: string[] }>> {
    const manifests = new Map<string, { layers: string[] }>();
    for (let i = 0; i < digests.length; i += 100) {
      const answer = await this.ecr
        .send(new BatchGetImageCommand({ repositoryName, imageIds: digests.slice(i, i + 100).map((imageDigest) => ({ imageDigest })) }), this.sendOptions)
        .catch(() => undefined);
      for (const image of answer?.images ?? []) {
        const digest = image.imageId?.imageDigest;
        if (digest && image.imageManifest && image.imageManifest.length <= MAX_MANIFEST_CHARS) manifests.set(digest, layersOf(image.imageManifest));
      }
    }
    return manifests;
  }

  async functions(): Promise<DiscoveredFunction[]> {
    const configurations: FunctionConfiguration[] = [];
    let marker: string | undefined;
    do {
      const page = await this.lambda.send(new ListFunctionsCommand({ MaxItems: 50, ...(marker ? { Marker: marker } : {}) }), this.sendOptions);
      configurations.push(...(page.Functions ?? []));
      marker = page.NextMarker;
    } while (marker && configurations.length < MAX_FUNCTIONS);
    const functions: DiscoveredFunction[] = [];
    for (const configuration of configurations.slice(0, MAX_FUNCTIONS)) {
      if (!configuration.FunctionName) continue;
      // GetFunction adds the tags and where the code is; a function it cannot describe is still listed.
      const described = await this.lambda.send(new GetFunctionCommand({ FunctionName: configuration.FunctionName }), this.sendOptions).catch(() => undefined);
      const location = described?.Code?.Location;
      const code = location && configuration.PackageType !== 'Image' ? await this.code(location).catch(() => undefined) : undefined;
      const lastModified = configuration.LastModified ? new Date(configuration.LastModified) : undefined;
      functions.push({
        name: configuration.FunctionName,
        ...(configuration.Runtime ? { runtime: configuration.Runtime } : {}),
        ...(configuration.Role ? { role: configuration.Role } : {}),
        codeSha256: configuration.CodeSha256 ?? '',
        ...(lastModified && !Number.isNaN(lastModified.getTime()) ? { lastModified } : {}),
        tags: { ...(described?.Tags ?? {}) },
        architectures: configuration.Architectures ?? ['x86_64'],
        packageType: configuration.PackageType ?? 'Zip',
        layerArns: (configuration.Layers ?? []).flatMap((l) => (l.Arn ? [l.Arn] : [])),
        ...(code ? { packages: packagesInZip(code) } : {}),
      });
    }
    return functions;
  }

  /**
   * A function's deployment package, where the sibling serves it: a URL on the sibling itself
   * (LocalStack's, also when it names its host localhost.localstack.cloud), or an S3 object
   * (virtual-hosted or path-style URL, as moto names one) read from the sibling's S3. Only the
   * sibling is ever contacted, whatever host the location names.
   */
  private async code(location: string): Promise<Buffer | undefined> {
    const url = new URL(location);
    const sibling = new URL(this.endpoint);
    if (url.origin === sibling.origin || /(^|\.)localhost\.localstack\.cloud$/.test(url.hostname)) {
      const response = await fetch(new URL(`${url.pathname}${url.search}`, sibling.origin), {
        redirect: 'error',
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS * 4)]),
      });
      if (!response.ok || !response.body) return undefined;
      if (Number(response.headers.get('content-length') ?? 0) > MAX_ZIP_BYTES) return undefined;
      return await bounded(response.body);
    }
    const object = s3ObjectOf(url);
    if (!object) return undefined;
    const answer = await this.s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }), this.sendOptions);
    if ((answer.ContentLength ?? 0) > MAX_ZIP_BYTES || !answer.Body) return undefined;
    return await bounded(answer.Body as AsyncIterable<Uint8Array>);
  }
}

/** An S3 object's bucket and key from its URL: bucket.s3[.region].host/key, or s3[.region].host/bucket/key. */
function s3ObjectOf(url: URL): { bucket: string; key: string } | undefined {
  const path = decodeURIComponent(url.pathname.slice(1));
  const virtual = /^(.+?)\.s3[.-]/.exec(url.hostname);
  if (virtual && path) return { bucket: virtual[1]!, key: path };
  if (/^s3[.-]/.test(url.hostname)) {
    const slash = path.indexOf('/');
    if (slash > 0 && slash < path.length - 1) return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  }
  return undefined;
}

/** Reads a body up to MAX_ZIP_BYTES; a larger one is refused whole. */
async function bounded(body: AsyncIterable<Uint8Array>): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    if (length > MAX_ZIP_BYTES) return undefined;
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

function tagsOf(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key) record[tag.Key] = tag.Value ?? '';
  return record;
}

/** A Docker v2 or OCI manifest's layers (an index or list has none of its own). */
function layersOf(text: string): { layers: string[] } {
  try {
    const manifest = JSON.parse(text) as { layers?: { digest?: unknown }[] };
    const layers = Array.isArray(manifest.layers)
      ? manifest.layers.flatMap((l) => (typeof l?.digest === 'string' && l.digest.length <= 200 ? [l.digest] : []))
      : [];
    return { layers };
  } catch {
    return { layers: [] };
  }
}
