// Chapter 01: what the three programming models are asked to run, checked once for all of them
// (tested in test/models/options.test.ts).
import type { Timeline } from '../timing/timeline';

/** The tasks every model runs: `tasks` tasks of `steps` steps, each step `work` seconds of CPU then `wait` seconds of waiting. */
export interface ModelOptions {
  /** How many tasks (default 3, at most 8). */
  tasks?: number;
  /** Steps per task (default 3). */
  steps?: number;
  /** Seconds of CPU work per step, on an idle core (default 0.1). */
  work?: number;
  /** Seconds each step then waits, the stand-in for I/O (default 0: no waiting). */
  wait?: number;
}

/** The options with every default filled in. */
export type ModelParameters = Required<ModelOptions>;

/** What a model's run leaves behind. */
export interface ModelRun {
  /** What each task did when, in seconds since the run started. */
  timeline: Timeline;
  /** Seconds from the start of the run until its last task finished. */
  elapsed: number;
}

/** The lane of everything the program's own (only) thread does. */
export const MAIN_THREAD = 'main thread';

/** The most tasks a model runs: one colour each in the figures. */
export const MAX_TASKS = 8;

const DEFAULTS: ModelParameters = { tasks: 3, steps: 3, work: 0.1, wait: 0 };

function describe(value: unknown): string {
  return `got \`${String(value)}\` (${typeof value})`;
}

function wholeNumber(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`Expected \`${name}\` to be a whole number from 1 to ${max}, ${describe(value)}`);
  }
  return value;
}

function seconds(name: string, value: unknown): number {
  // Infinity is refused too: a step that never ends would hang the run.
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a number >= 0, ${describe(value)}`);
  }
  return value;
}

/**
 * Checks a model's options and fills in the defaults.
 * @param options - the caller's options; unknown keys are refused, so a typo is not ignored.
 * @returns every parameter, defaults included.
 * @throws TypeError when an option is not an object, unknown, or out of range.
 */
export function modelParameters(options: ModelOptions = {}): ModelParameters {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, ${describe(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => !(key in DEFAULTS));
  if (unknown.length > 0) {
    throw new TypeError(`Expected options among \`${Object.keys(DEFAULTS).join('`, `')}\`, got \`${unknown[0]}\``);
  }
  return {
    tasks: wholeNumber('tasks', options.tasks ?? DEFAULTS.tasks, MAX_TASKS),
    steps: wholeNumber('steps', options.steps ?? DEFAULTS.steps, 1_000),
    work: seconds('work', options.work ?? DEFAULTS.work),
    wait: seconds('wait', options.wait ?? DEFAULTS.wait),
  };
}

/** The tasks' names, `task 1` to `task N`: the figures' legend. */
export function taskNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `task ${i + 1}`);
}
