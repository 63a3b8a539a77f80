// Chapter 01: the tutorial's timeline figures, drawn from measured runs as SVG
// (tested in test/timing/render-timeline.test.ts).
import { figureText } from './figure-text';
import type { Timeline, TimelineEntry } from './timeline';
import { escapeXml, PALETTE } from './svg';

/** How a figure is drawn. */
export interface RenderOptions {
  /** A line above the figure. */
  title?: string;
  /** Width of the whole figure in pixels (default 720). */
  width?: number;
  /**
   * The time at the right edge, to draw several figures on one scale (default: the timeline's
   * end). `sharedScale` gives the value that fits all of them.
   */
  until?: number;
}

const ROW = 30;
const LABEL = 110;
const TOP = 34;
const AXIS = 34;

/** A step of 1, 2 or 5 times a power of ten that gives about six ticks. */
function tickStep(span: number): number {
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  return step ?? 10 * power;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Task names in the order a reader counts them: `Task 2` before `Task 10`. */
function byTaskNumber(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * A task's colour, the same in every figure: `task 3` is always the third colour, whichever
 * tasks the figure shows; a name without a number takes its place in `tasks`.
 */
function taskColor(task: string, tasks: readonly string[]): string {
  const number = /(\d+)\s*$/.exec(task);
  const index = number ? Number(number[1]) - 1 : tasks.indexOf(task);
  return PALETTE[Math.max(0, index) % PALETTE.length];
}

/**
 * The lanes in task order: a lane goes where the first task that uses it goes, so `thread 1`
 * or `Task 1` is on top in every figure; lanes of the same task keep the order they were first
 * used in (`main thread` before `task 1 waiting`).
 */
function laneOrder(entries: readonly TimelineEntry[], tasks: readonly string[]): string[] {
  const rank = new Map<string, number>();
  for (const entry of entries) {
    const task = tasks.indexOf(entry.task);
    rank.set(entry.lane, Math.min(rank.get(entry.lane) ?? Infinity, task));
  }
  const firstUse = unique(entries.map((e) => e.lane));
  const order = (lane: string): number => rank.get(lane) ?? 0;
  return [...firstUse].sort((a, b) => order(a) - order(b) || firstUse.indexOf(a) - firstUse.indexOf(b));
}

/** The right edge that fits every one of `timelines`: pass it as `until` to compare them. */
export function sharedScale(timelines: readonly Timeline[]): number {
  return Math.max(...timelines.map((timeline) => timeline.duration), 0);
}

/**
 * Draws a timeline as an SVG string: a row per lane (thread or task), time from left to right;
 * solid bars for running code, pale dashed bars for waiting, ticks for chunks received. The
 * colour is the task's, so interleaved tasks in one lane stay apart. Lanes, colours and the
 * legend follow the task number, so two figures of the same tasks can be compared.
 */
export function renderTimeline(timeline: Timeline, options: RenderOptions = {}): string {
  const entries = timeline.entries;
  const width = options.width ?? 720;
  const tasks = unique(entries.map((e) => e.task)).sort(byTaskNumber);
  const lanes = laneOrder(entries, tasks);
  const until = Math.max(options.until ?? timeline.duration, 1e-3);
  const plot = width - LABEL - 16;
  const x = (t: number): number => LABEL + (Math.max(0, t) / until) * plot;
  const height = TOP + lanes.length * ROW + AXIS + 22;
  const color = (task: string): string => taskColor(task, tasks);
  // Titles, lane and task names in the notebook's language (colours still follow the English names).
  const shown = (text: string): string => escapeXml(figureText(text));

  const shapes = entries.map((entry: TimelineEntry) => {
    const y = TOP + lanes.indexOf(entry.lane) * ROW;
    const c = color(entry.task);
    const tip = `${entry.task} ${entry.kind}${entry.bytes === undefined ? '' : ` ${entry.bytes} bytes`} at ${entry.start.toFixed(3)}s`;
    if (entry.kind === 'chunk') {
      return `<line x1="${x(entry.start).toFixed(1)}" x2="${x(entry.start).toFixed(1)}" y1="${y + 6}" y2="${y + ROW - 6}" stroke="${c}" stroke-width="1.5"><title>${escapeXml(tip)}</title></line>`;
    }
    const w = Math.max(1, x(entry.end) - x(entry.start)).toFixed(1);
    const style =
      entry.kind === 'run' ? `fill="${c}"` : `fill="${c}" fill-opacity="0.18" stroke="${c}" stroke-dasharray="3 2"`;
    return `<rect x="${x(entry.start).toFixed(1)}" y="${y + 5}" width="${w}" height="${ROW - 10}" ${style}><title>${escapeXml(tip)}</title></rect>`;
  });

  const labels = lanes.map(
    (lane, i) =>
      `<text x="${LABEL - 8}" y="${TOP + i * ROW + ROW / 2 + 4}" text-anchor="end">${shown(lane)}</text>`,
  );
  const axisY = TOP + lanes.length * ROW + 4;
  const step = tickStep(until);
  const ticks: string[] = [];
  for (let t = 0; t <= until + step * 1e-9; t += step) {
    const tx = x(t).toFixed(1);
    const label = Number(t.toPrecision(6));
    ticks.push(`<line x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 5}" stroke="#555"/>`);
    ticks.push(`<text x="${tx}" y="${axisY + 18}" text-anchor="middle">${label}</text>`);
  }
  const legend = tasks.map(
    (task, i) =>
      `<rect x="${LABEL + i * 110}" y="${height - 16}" width="10" height="10" fill="${color(task)}"/>` +
      `<text x="${LABEL + i * 110 + 14}" y="${height - 7}">${shown(task)}</text>`,
  );

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    options.title === undefined ? '' : `<text x="${LABEL}" y="20" font-size="14" font-weight="bold">${shown(options.title)}</text>`,
    ...labels,
    `<line x1="${LABEL}" x2="${LABEL + plot}" y1="${axisY}" y2="${axisY}" stroke="#555"/>`,
    ...ticks,
    `<text x="${LABEL + plot}" y="${axisY + 30}" text-anchor="end">${shown('seconds')}</text>`,
    ...shapes,
    ...legend,
    '</svg>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
