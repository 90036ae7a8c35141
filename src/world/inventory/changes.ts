// Changes to the world that AWS users make outside Inspector — launching and stopping
// instances, installing packages, pushing images, deploying functions — and new
// vulnerabilities being published. Each is followed by the rescans Inspector would run.
import type { Vulnerability } from '../scanning/catalog.js';
import { WorldError } from '../platform/errors.js';
import { emptyInventory, type Ec2Instance, type EcrImage, type InstalledPackage, type Inventory, type LambdaFunction } from './inventory.js';
import { rescanAll } from '../scanning/coverage.js';
import type { AccountRegion, World } from '../world.js';

function inventoryOf(world: World, accountId: string, region: string): { state: AccountRegion; inventory: Inventory } {
  const state = world.accountRegion(accountId, region);
  state.inventory ??= emptyInventory();
  return { state, inventory: state.inventory };
}

function instanceOf(inventory: Inventory, instanceId: string): Ec2Instance {
  const instance = inventory.ec2Instances.find((i) => i.instanceId === instanceId);
  if (!instance) throw new WorldError('NotFound', `There is no instance ${instanceId}.`);
  return instance;
}

function functionOf(inventory: Inventory, name: string): LambdaFunction {
  const fn = inventory.lambdaFunctions.find((f) => f.name === name);
  if (!fn) throw new WorldError('NotFound', `There is no Lambda function ${name}.`);
  return fn;
}

export function launchInstance(world: World, accountId: string, region: string, instance: Ec2Instance): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  if (inventory.ec2Instances.some((i) => i.instanceId === instance.instanceId)) {
    throw new WorldError('Conflict', `Instance ${instance.instanceId} exists already.`, { id: instance.instanceId, type: 'AWS::EC2::Instance' });
  }
  inventory.ec2Instances.push(instance);
  rescanAll(world, state);
}

export interface InstanceChange {
  state?: Ec2Instance['state'];
  ssmManaged?: boolean;
  tags?: Record<string, string>;
}

export function changeInstance(world: World, accountId: string, region: string, instanceId: string, change: InstanceChange): Ec2Instance {
  const { state, inventory } = inventoryOf(world, accountId, region);
  const instance = instanceOf(inventory, instanceId);
  if (instance.state === 'terminated') throw new WorldError('Invalid', `Instance ${instanceId} is terminated.`);
  Object.assign(instance, change);
  rescanAll(world, state);
  return instance;
}

/** Installs a package, or upgrades it: a package of the same ecosystem, name and path is replaced. */
export function installPackage(world: World, accountId: string, region: string, target: PackageTarget, pkg: InstalledPackage): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  const packages = packagesOf(inventory, target);
  const index = packages.findIndex((p) => samePackage(p, pkg));
  if (index >= 0) packages[index] = pkg;
  else packages.push(pkg);
  if (target.kind === 'lambda') functionOf(inventory, target.id).lastModifiedAt = world.clock.now();
  rescanAll(world, state);
}

export function removePackage(world: World, accountId: string, region: string, target: PackageTarget, pkg: Pick<InstalledPackage, 'ecosystem' | 'name'>): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  const packages = packagesOf(inventory, target);
  const remaining = packages.filter((p) => !(p.ecosystem === pkg.ecosystem && p.name === pkg.name));
  if (remaining.length === packages.length) throw new WorldError('NotFound', `${target.id} has no ${pkg.ecosystem} package ${pkg.name}.`);
  packages.splice(0, packages.length, ...remaining);
  rescanAll(world, state);
}

export interface PackageTarget {
  kind: 'ec2' | 'lambda';
  id: string;
}

function packagesOf(inventory: Inventory, target: PackageTarget): InstalledPackage[] {
  return target.kind === 'ec2' ? instanceOf(inventory, target.id).packages : functionOf(inventory, target.id).packages;
}

function samePackage(a: InstalledPackage, b: InstalledPackage): boolean {
  return a.ecosystem === b.ecosystem && a.name === b.name && a.filePath === b.filePath;
}

/** Pushes an image; a repository is created on first push, and tags move to the new image as in ECR. */
export function pushImage(world: World, accountId: string, region: string, repositoryName: string, image: EcrImage): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  let repository = inventory.ecrRepositories.find((r) => r.name === repositoryName);
  if (!repository) {
    repository = { name: repositoryName, scanFrequency: 'CONTINUOUS_SCAN', images: [] };
    inventory.ecrRepositories.push(repository);
  }
  for (const other of repository.images) other.tags = other.tags.filter((t) => !image.tags.includes(t));
  repository.images = [...repository.images.filter((i) => i.digest !== image.digest), image];
  rescanAll(world, state);
}

export function deleteImage(world: World, accountId: string, region: string, repositoryName: string, digest: string): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  const repository = inventory.ecrRepositories.find((r) => r.name === repositoryName);
  if (!repository?.images.some((i) => i.digest === digest)) throw new WorldError('NotFound', `There is no image ${digest} in ${repositoryName}.`);
  repository.images = repository.images.filter((i) => i.digest !== digest);
  rescanAll(world, state);
}

/** Creates or updates (replaces) a Lambda function. */
export function deployFunction(world: World, accountId: string, region: string, fn: LambdaFunction): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  inventory.lambdaFunctions = [...inventory.lambdaFunctions.filter((f) => f.name !== fn.name), fn];
  rescanAll(world, state);
}

export function deleteFunction(world: World, accountId: string, region: string, name: string): void {
  const { state, inventory } = inventoryOf(world, accountId, region);
  functionOf(inventory, name);
  inventory.lambdaFunctions = inventory.lambdaFunctions.filter((f) => f.name !== name);
  rescanAll(world, state);
}

/** A new vulnerability (or a revised one) joins the catalog; every covered resource is rescanned. */
export function publishVulnerability(world: World, vulnerability: Vulnerability): void {
  world.catalog.add(vulnerability);
  for (const state of world.allAccountRegions()) if (state.inventory) rescanAll(world, state);
}

/** Rescans what the account-region covers, or everything. */
export function rescan(world: World, accountId?: string, region?: string): number {
  const states = world.allAccountRegions().filter((s) => (!accountId || s.accountId === accountId) && (!region || s.region === region) && s.inventory);
  for (const state of states) rescanAll(world, state);
  return states.length;
}
