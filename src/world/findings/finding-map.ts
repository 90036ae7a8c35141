// An account-region's findings, by ARN. A finding document is frozen once stored: a change
// (a status, a new observation) stores a new document through `set` or `update`, so the map
// sees every change and counts them in `revision`. The query engine relies on that: it keeps
// columns of the values it filters and sorts on (the findings of a large world lie scattered
// in memory; one value per finding in one array is read many times faster), rebuilt when the
// revision moves.
import { z } from 'zod';
import type { Finding } from './documents.js';
import { declareState, intact } from '../platform/state.js';

const EMPTY: ReadonlySet<string> = new Set();

let maps = 0;

export class FindingMap extends Map<string, Finding> {
  /** Unique in the process: with the revision, names what a cache holds (a reset makes new maps that count from 0 again). */
  readonly id = ++maps;
  /** Changes so far; a reader's cache of this revision is current. */
  revision = 0;
  /** The ARNs of each resource's findings, so that a scan touches only its resource's. */
  private readonly byResource = new Map<string, Set<string>>();

  override set(arn: string, finding: Finding): this {
    this.revision++;
    const resourceId = finding.resources[0]?.id;
    if (resourceId !== undefined) {
      const arns = this.byResource.get(resourceId);
      if (arns) arns.add(arn);
      else this.byResource.set(resourceId, new Set([arn]));
    }
    return super.set(arn, Object.isFrozen(finding) ? finding : Object.freeze(finding));
  }

  override delete(arn: string): boolean {
    this.revision++;
    const resourceId = this.get(arn)?.resources[0]?.id;
    if (resourceId !== undefined) this.byResource.get(resourceId)?.delete(arn);
    return super.delete(arn);
  }

  override clear(): void {
    this.revision++;
    this.byResource.clear();
    super.clear();
  }

  /** The ARNs of a resource's findings, closed ones included. */
  arnsOf(resourceId: string): ReadonlySet<string> {
    return this.byResource.get(resourceId) ?? EMPTY;
  }

  /** Stores the finding with some members changed; answers the new document. */
  update(finding: Finding, changes: Partial<Finding>): Finding {
    const updated = Object.freeze({ ...finding, ...changes });
    this.set(finding.findingArn, updated);
    return updated;
  }
}

/** The findings of one revision in one array, with the columns (and orders) read from them so far. */
export class FindingColumns {
  private readonly columns = new Map<(finding: Finding) => unknown, unknown[]>();
  private readonly derivedValues = new Map<string, unknown>();

  constructor(readonly findings: Finding[]) {}

  /** `read` of every finding, in the order of `findings`; computed once per revision and accessor. */
  column<T>(read: (finding: Finding) => T): T[] {
    let column = this.columns.get(read) as T[] | undefined;
    if (!column) {
      column = this.findings.map(read);
      this.columns.set(read, column);
    }
    return column;
  }

  /** Something computed from this revision's columns (e.g. the findings' order for a sort), once. */
  derived<T>(name: string, make: () => T): T {
    if (!this.derivedValues.has(name)) this.derivedValues.set(name, make());
    return this.derivedValues.get(name) as T;
  }
}

const columnsByMap = new WeakMap<FindingMap, { revision: number; columns: FindingColumns }>();

export function columnsOf(findings: FindingMap): FindingColumns {
  const cached = columnsByMap.get(findings);
  if (cached?.revision === findings.revision) return cached.columns;
  const columns = new FindingColumns([...findings.values()]);
  columnsByMap.set(findings, { revision: findings.revision, columns });
  return columns;
}

declare module '../platform/state.js' {
  interface AccountRegionState {
    /** Findings by ARN, closed ones included; each document frozen, changed by storing a new one. */
    findings: FindingMap;
  }
}

const dated = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');
/** What the world relies on in a finding; the rest of the document travels as it is. */
const findingSchema = z.looseObject({
  findingArn: z.string().min(1).max(2048),
  awsAccountId: z.string().regex(/^\d{12}$/),
  type: z.enum(['NETWORK_REACHABILITY', 'PACKAGE_VULNERABILITY', 'CODE_VULNERABILITY']),
  severity: z.enum(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNTRIAGED']),
  status: z.enum(['ACTIVE', 'SUPPRESSED', 'CLOSED']),
  title: z.string().optional(),
  description: z.string(),
  firstObservedAt: dated,
  lastObservedAt: dated,
  updatedAt: dated.optional(),
  remediation: z.looseObject({}),
  resources: z
    .array(z.looseObject({ id: z.string().min(1).max(2048), type: z.string() }))
    .min(1)
    .max(10),
});

const SEVERITIES: ReadonlySet<unknown> = new Set(findingSchema.shape.severity.options);
const TYPES: ReadonlySet<unknown> = new Set(findingSchema.shape.type.options);
const STATUSES: ReadonlySet<unknown> = new Set(findingSchema.shape.status.options);
const isDate = (value: unknown): boolean => value instanceof Date && !Number.isNaN(value.getTime());
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const isId = (value: unknown): boolean => typeof value === 'string' && value.length >= 1 && value.length <= 2048;

/**
 * What findingSchema accepts, tested without zod (a million findings are checked at start-up,
 * and zod takes microseconds each). It may refuse more than the schema, never less: a list
 * it refuses is checked again by the schema, which accepts it or names what is wrong.
 */
function surelyFindings(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  for (const f of value as unknown[]) {
    if (!isPlainObject(f)) return false;
    if (!isId(f.findingArn) || typeof f.awsAccountId !== 'string' || !/^\d{12}$/.test(f.awsAccountId)) return false;
    if (!TYPES.has(f.type) || !SEVERITIES.has(f.severity) || !STATUSES.has(f.status)) return false;
    if ((f.title !== undefined && typeof f.title !== 'string') || typeof f.description !== 'string') return false;
    if (!isDate(f.firstObservedAt) || !isDate(f.lastObservedAt) || (f.updatedAt !== undefined && !isDate(f.updatedAt))) return false;
    if (!isPlainObject(f.remediation)) return false;
    const resources = f.resources;
    if (!Array.isArray(resources) || resources.length < 1 || resources.length > 10) return false;
    for (const r of resources as unknown[]) if (!isPlainObject(r) || !isId(r.id) || typeof r.type !== 'string') return false;
  }
  return true;
}

const findingListSchema = z.array(intact<Finding>(findingSchema));

declareState('account-region', 'findings', {
  empty: () => new FindingMap(),
  // Every change goes through the map and moves its revision: persistence skips an unchanged map without encoding it.
  version: (value) => value.revision,
  schema: z.unknown().superRefine((value, context) => {
    if (surelyFindings(value)) return;
    const checked = findingListSchema.safeParse(value);
    if (!checked.success) for (const issue of checked.error.issues.slice(0, 1)) context.addIssue({ ...issue, message: issue.message });
  }) as unknown as z.ZodType<Finding[]>,
  save: (value) => [...value.values()],
  load: (saved) => {
    const findings = new FindingMap();
    for (const finding of saved) findings.set(finding.findingArn, finding);
    return findings;
  },
});
