// Every piece of the world's state is declared once, by the domain that owns it, with where
// it lives:
//   'account-region'  one value per account and region (most of Inspector),
//   'account'         one value per account, across regions (IAM's roles),
//   'global'          one value for the whole world (organizations).
// The declaration says what an empty value is and how the value is checked when a snapshot
// brings it back. Everything else is derived from the declarations, never listed by hand:
// the fields of a new account-region, a reset of everything or of one account, what a
// snapshot holds, and the schema a snapshot is checked against before it replaces the state.
//
// A domain adds its field to the typed face of its scope by declaration merging, next to
// its `declareState` call:
//
//     declare module '../platform/state.js' { interface AccountRegionState { filters: Map<string, SavedFilter> } }
//     declareState('account-region', 'filters', { empty: () => new Map(), schema: z.map(z.string(), filterSchema) });
import { z } from 'zod';

export type Scope = 'account-region' | 'account' | 'global';

/** An account's state in one region. Each domain adds its fields. */
export interface AccountRegionState {
  readonly accountId: string;
  readonly region: string;
}

/** An account's state in every region. Each domain adds its fields. */
export interface AccountState {
  readonly accountId: string;
}

/** The state of the whole world. Each domain adds its fields. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface GlobalState {}

interface Fields {
  'account-region': Omit<AccountRegionState, 'accountId' | 'region'>;
  account: Omit<AccountState, 'accountId'>;
  global: GlobalState;
}

export interface StateSpec<Value, Saved> {
  /** What a new account, account-region or world starts with, and what a reset leaves. */
  empty: (context: { now: Date }) => Value;
  /** The saved form's schema: a snapshot's value is checked against it before anything is replaced. */
  schema: z.ZodType<Saved>;
  /** The value as data (default: the value itself; the snapshot codec writes Maps, Sets and Dates). */
  save?: (value: Value) => Saved;
  /** The live value from checked data (default: the data itself). */
  load?: (saved: Saved) => Value;
  /**
   * A token that changes whenever the value changes (a revision counter): persistence then
   * skips an account-region's unchanged value without encoding it. Left out, the value is
   * encoded at every save and written when its text differs. Large state declares one.
   */
  version?: (value: Value) => unknown;
  /** Global state only: forgets what one account had in it (an account reset). Others go with their account. */
  forgetAccount?: (value: Value, accountId: string) => void;
  /**
   * Account-region state only: 'delete' when deactivating Inspector there (its last scan type
   * turns DISABLED) deletes it, back to empty: the scan settings that AWS deletes then.
   * Left out, the state stays.
   */
  deactivation?: 'delete';
}

interface Declaration {
  scope: Scope;
  name: string;
  spec: StateSpec<unknown, unknown>;
}

const declarations: Record<Scope, Map<string, Declaration>> = { 'account-region': new Map(), account: new Map(), global: new Map() };

/** Declares a piece of state: its scope, name (its field) and how it is made, saved and checked. */
export function declareState<S extends Scope, K extends keyof Fields[S] & string, Saved = Fields[S][K]>(
  scope: S,
  name: K,
  spec: StateSpec<Fields[S][K], Saved> & (Saved extends Fields[S][K] ? unknown : { save: unknown; load: unknown }),
): void {
  if (declarations[scope].has(name)) throw new Error(`state ${scope}/${name} is declared twice`);
  declarations[scope].set(name, { scope, name, spec: spec as unknown as StateSpec<unknown, unknown> });
}

/** The names declared in a scope (for tests and documentation). */
export function declaredState(scope: Scope): string[] {
  return [...declarations[scope].keys()];
}

/** Whether a declared field has a version (persistence compares the others by their text). */
export function declaresVersion(scope: Scope, name: string): boolean {
  return declarations[scope].get(name)?.spec.version !== undefined;
}

/** A new value of a scope: `base` with every declared field empty. */
function fresh<T>(scope: Scope, base: object, now: () => Date): T {
  const target = base as Record<string, unknown>;
  for (const { name, spec } of declarations[scope].values()) target[name] = spec.empty({ now: now() });
  return base as T;
}

/**
 * A schema that checks a value and keeps it as it is (no copy): for large documents that
 * share parts, such as findings, whose sharing a copy would undo.
 */
export function intact<T>(schema: z.ZodType): z.ZodType<T> {
  return z.unknown().superRefine((value, context) => {
    const checked = schema.safeParse(value);
    if (!checked.success) for (const issue of checked.error.issues.slice(0, 1)) context.addIssue({ ...issue, message: issue.message });
  }) as unknown as z.ZodType<T>;
}

/** A snapshot's state: each scope's values by field name, accounts and account-regions by key. */
export interface SavedState {
  global: Record<string, unknown>;
  accounts: Record<string, Record<string, unknown>>;
  /** By `<accountId>/<region>`. */
  accountRegions: Record<string, Record<string, unknown>>;
}

export class StateError extends Error {}

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The state of the world, in the places its declarations say. */
export class WorldState {
  readonly global: GlobalState;
  private readonly accounts = new Map<string, AccountState>();
  private readonly accountRegions = new Map<string, AccountRegionState>();

  /** `now` dates what empty state needs dated (an account's default configuration). */
  constructor(private readonly now: () => Date) {
    this.global = fresh<GlobalState>('global', {}, now);
  }

  /** An account's state in a region, made empty the first time it is asked for. */
  accountRegion(accountId: string, region: string): AccountRegionState {
    const key = `${accountId}/${region}`;
    const existing = this.accountRegions.get(key);
    if (existing) return existing;
    const state = fresh<AccountRegionState>('account-region', { accountId, region }, this.now);
    this.accountRegions.set(key, state);
    return state;
  }

  /** An account's state in a region if it exists (a task or a read must not create one). */
  existingAccountRegion(accountId: string, region: string): AccountRegionState | undefined {
    return this.accountRegions.get(`${accountId}/${region}`);
  }

  get accountRegionCount(): number {
    return this.accountRegions.size;
  }

  allAccountRegions(): AccountRegionState[] {
    return [...this.accountRegions.values()];
  }

  /** An account's cross-region state, made empty the first time it is asked for. */
  account(accountId: string): AccountState {
    const existing = this.accounts.get(accountId);
    if (existing) return existing;
    const state = fresh<AccountState>('account', { accountId }, this.now);
    this.accounts.set(accountId, state);
    return state;
  }

  existingAccount(accountId: string): AccountState | undefined {
    return this.accounts.get(accountId);
  }

  /**
   * Deletes what deactivating Inspector deletes in an account-region: every field declared
   * with `deactivation: 'delete'` is made empty. Answers the values it replaced, by field.
   */
  deactivate(state: AccountRegionState): Map<string, unknown> {
    const target = state as unknown as Record<string, unknown>;
    const replaced = new Map<string, unknown>();
    for (const { name, spec } of declarations['account-region'].values()) {
      if (spec.deactivation !== 'delete') continue;
      replaced.set(name, target[name]);
      target[name] = spec.empty({ now: this.now() });
    }
    return replaced;
  }

  /** Forgets one account: its state in every scope. */
  forgetAccount(accountId: string): void {
    this.accounts.delete(accountId);
    for (const [key, state] of this.accountRegions) if (state.accountId === accountId) this.accountRegions.delete(key);
    const global = this.global as unknown as Record<string, unknown>;
    for (const { name, spec } of declarations.global.values()) spec.forgetAccount?.(global[name], accountId);
  }

  /** The state as data, for a snapshot. */
  save(withAccountRegions = true): SavedState {
    const saveFields = (scope: Scope, state: object) => {
      const fields: Record<string, unknown> = {};
      for (const { name, spec } of declarations[scope].values()) {
        const value = (state as Record<string, unknown>)[name];
        fields[name] = spec.save ? spec.save(value) : value;
      }
      return fields;
    };
    return {
      global: saveFields('global', this.global),
      accounts: Object.fromEntries([...this.accounts].map(([id, state]) => [id, saveFields('account', state)])),
      accountRegions: withAccountRegions ? Object.fromEntries([...this.accountRegions].map(([key, state]) => [key, saveFields('account-region', state)])) : {},
    };
  }

  /**
   * The account-regions' values one by one, for a save that writes only what changed: each
   * with its version (when declared) and its saved form, made only when asked for.
   */
  *accountRegionParts(): Generator<{ key: string; field: string; value: unknown; version?: unknown; save: () => unknown }> {
    for (const [key, state] of this.accountRegions) {
      for (const { name, spec } of declarations['account-region'].values()) {
        const value = (state as unknown as Record<string, unknown>)[name];
        yield { key, field: name, value, ...(spec.version ? { version: spec.version(value) } : {}), save: () => (spec.save ? spec.save(value) : value) };
      }
    }
  }

  /** The global and account state as data (a save's platform part: the account-regions' go in their own). */
  saveWithoutAccountRegions(): SavedState {
    const { global, accounts } = this.save(false);
    return { global, accounts, accountRegions: {} };
  }

  /**
   * A new state from a snapshot's, every value checked against its declaration's schema
   * first: a document that is not the world's state is refused whole, naming what is wrong,
   * and nothing of it is used. Fields that no declaration names are refused too.
   */
  static load(saved: unknown, now: () => Date): WorldState {
    const document = savedStateSchema.safeParse(saved);
    if (!document.success) throw new StateError(`state: ${describe(document.error)}`);
    const state = new WorldState(now);
    loadFields('global', document.data.global, state.global, 'global');
    for (const [accountId, fields] of Object.entries(document.data.accounts)) {
      if (!ACCOUNT_ID.test(accountId)) throw new StateError(`accounts.${accountId}: not a 12-digit account id`);
      loadFields('account', fields, state.account(accountId), `accounts.${accountId}`);
    }
    for (const [key, fields] of Object.entries(document.data.accountRegions)) {
      const [accountId = '', region = '', ...rest] = key.split('/');
      if (!ACCOUNT_ID.test(accountId) || !REGION.test(region) || rest.length) throw new StateError(`accountRegions.${key}: not <account id>/<region>`);
      loadFields('account-region', fields, state.accountRegion(accountId, region), `accountRegions.${key}`);
    }
    return state;
  }
}

const fieldsSchema = z.record(z.string(), z.unknown());
const savedStateSchema = z.strictObject({
  global: fieldsSchema,
  accounts: z.record(z.string(), fieldsSchema),
  accountRegions: z.record(z.string(), fieldsSchema),
});

function loadFields(scope: Scope, fields: Record<string, unknown>, target: object, path: string): void {
  for (const name of Object.keys(fields)) {
    if (!declarations[scope].has(name)) throw new StateError(`${path}.${name.slice(0, 64)}: no such state`);
  }
  for (const { name, spec } of declarations[scope].values()) {
    // A field the snapshot lacks (one written before the field existed) starts empty.
    if (!Object.hasOwn(fields, name)) continue;
    const checked = spec.schema.safeParse(fields[name]);
    if (!checked.success) throw new StateError(`${path}.${name}: ${describe(checked.error)}`);
    (target as Record<string, unknown>)[name] = spec.load ? spec.load(checked.data) : checked.data;
  }
}

/** The first problem of a schema check, by path, without the value (a snapshot may hold anything). */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map((p) => String(p).slice(0, 64)).join('.');
  return `${path ? `${path}: ` : ''}${issue.message.slice(0, 200)}`;
}

// Schemas the declarations share.
const savedAccountId = z.string().regex(ACCOUNT_ID);
const savedRegion = z.string().regex(REGION);
export const savedDate = z.date().refine((d) => !Number.isNaN(d.getTime()), 'an invalid date');
export const savedCounter = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * A map of records that each name their account and region, checked for those and for the
 * members `shape` names; the records are kept as they are.
 */
export function savedRecords<T>(shape: Record<string, z.ZodType>): z.ZodType<Map<string, T>> {
  return z.map(z.string().min(1).max(2048), intact<T>(z.looseObject({ accountId: savedAccountId, region: savedRegion, ...shape })));
}
