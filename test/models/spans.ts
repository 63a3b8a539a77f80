// Helpers for the models' tests: the facts a timeline's spans must show.
import type { Timeline, TimelineEntry } from '../../lib/timing/timeline';

/** Small, quick steps: tests assert order and shape, never exact times. */
export const QUICK = { tasks: 3, steps: 3, work: 0.02 } as const;
/** The same steps, waiting three times as long as they work. */
export const WAITING = { ...QUICK, wait: 0.06 } as const;

/** The entries of one kind, in time order. */
export function spans(timeline: Timeline, kind: 'run' | 'wait'): TimelineEntry[] {
  return timeline.entries.filter((entry) => entry.kind === kind).sort((a, b) => a.start - b.start);
}

/** Whether two spans share some time (touching ends do not count). */
export function overlap(a: TimelineEntry, b: TimelineEntry): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether any two of the spans overlap. */
export function anyOverlap(entries: readonly TimelineEntry[]): boolean {
  return entries.some((a, i) => entries.slice(i + 1).some((b) => overlap(a, b)));
}

/** The distinct values of a field, in order of first appearance. */
export function distinct(entries: readonly TimelineEntry[], field: 'task' | 'lane'): string[] {
  return [...new Set(entries.map((entry) => entry[field]))];
}

/** How many times the task changes from one span to the next. */
export function switches(entries: readonly TimelineEntry[]): number {
  return entries.filter((entry, i) => i > 0 && entry.task !== entries[i - 1].task).length;
}
