// Delayed changes as data: a task is a kind and its arguments (ids, numbers), never a
// closure, so that what is pending is saved with the state and resumes after a restart.
// Each domain registers the kinds it runs, with the schema of their arguments, and adds
// them to `TaskKinds` by declaration merging:
//
//     declare module '../platform/tasks.js' { interface TaskKinds { 'produce-report': { accountId: string; ... } } }
//     registerTask('produce-report', z.object({ ... }), (world, task) => ...);
//
// The core runs whatever is registered; it imports no domain. A task names what it acts on
// by id and does nothing when that is gone (an account reset, a report deleted).
import { z } from 'zod';

/**
 * What tasks run against. world.ts says it is the World (declaration merging), so that the
 * platform need not import the world that imports it. (knip cannot see that use.)
 * @public
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskContext {}
type World = TaskContext extends { world: infer W } ? W : never;

/** The arguments of each kind of task. Each domain adds its own kinds. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TaskKinds {}

export type WorldTask = { [K in keyof TaskKinds]: { kind: K } & TaskKinds[K] }[keyof TaskKinds];

interface Registration {
  schema: z.ZodType;
  run: (world: World, task: never) => void;
}

const registry = new Map<string, Registration>();

export function registerTask<K extends Extract<keyof TaskKinds, string>>(
  kind: K,
  schema: z.ZodType<TaskKinds[K]>,
  run: (world: World, task: { kind: K } & TaskKinds[K]) => void,
): void {
  if (registry.has(kind)) throw new Error(`task kind ${kind} is registered twice`);
  registry.set(kind, { schema, run });
}

export function runTask(world: World, task: WorldTask): void {
  const registration = registry.get(task.kind);
  if (!registration) throw new Error(`no task kind ${task.kind} is registered`);
  registration.run(world, task as never);
}

/** A saved task checked against its kind's schema (a snapshot may hold anything). */
export const savedTaskSchema: z.ZodType<WorldTask> = z.looseObject({ kind: z.string() }).superRefine((task, context) => {
  const registration = registry.get(task.kind);
  if (!registration) {
    context.addIssue({ code: 'custom', path: ['kind'], message: `no such task kind ${task.kind.slice(0, 64)}` });
    return;
  }
  const { kind: _kind, ...args } = task;
  const checked = registration.schema.safeParse(args);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
}) as unknown as z.ZodType<WorldTask>;

// The ids tasks carry: bounded strings, as everything a snapshot brings.
export const taskId = z.string().min(1).max(2048);
export const taskAccountId = z.string().regex(/^\d{12}$/);
export const taskRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/);
export const taskTime = z.number().finite();
