// Chapter 05: a call log drawn as a sequence diagram, one lane per object, one arrow per call,
// in call order, with each event's time (tested in test/notebook/call-log-figure.test.ts). Chapter
// 19's messages with results and Failures are drawn by sequence-figure.ts.
import { figureText } from '../timing/figure-text';
import { escapeXml, PALETTE, svgDocument } from '../timing/svg';
import type { Call } from './call-log';

/** How to draw a call log. */
export interface CallLogFigureOptions {
  title: string;
  /** The lanes, left to right; a call to or from another lane is left out. */
  lanes: readonly string[];
  /**
   * Events that repeat: each event (a call from the outside, and every call under it) that
   * calls `method` is one; only the `first` and the `last` of them are drawn, and one line
   * `summary` (where `{n}` is the number left out) stands for the rest.
   */
  repeated?: { method: string; first: number; last: number; summary: string };
}

/** A row of the figure: an event's calls, or the line that stands for the events left out. */
type Row = { call: Call } | { summary: string };

const LANE = 150;
const LEFT = 64; // room for the times
const TOP = 62;
const ROW = 22;

/** Splits the calls into events: a call from the outside with every call made under it. */
function events(calls: readonly Call[]): Call[][] {
  const groups: Call[][] = [];
  for (const call of calls) {
    if (call.depth === 0 || groups.length === 0) groups.push([call]);
    else groups[groups.length - 1].push(call);
  }
  return groups;
}

/** The rows to draw: every event, except the repeated ones in the middle, which one line replaces. */
function rows(calls: readonly Call[], repeated: CallLogFigureOptions['repeated']): Row[] {
  const groups = events(calls);
  const repeats = repeated === undefined ? [] : groups.filter((group) => group.some((call) => call.method === repeated.method));
  const hidden = new Set(repeats.slice(repeated?.first ?? 0, Math.max(repeated?.first ?? 0, repeats.length - (repeated?.last ?? 0))));
  const result: Row[] = [];
  let summarised = false;
  for (const group of groups) {
    if (!hidden.has(group)) {
      result.push(...group.map((call) => ({ call })));
    } else if (!summarised && repeated !== undefined) {
      summarised = true;
      result.push({ summary: repeated.summary.replace('{n}', String(hidden.size)) });
    }
  }
  return result;
}

/**
 * Draws `calls` (from a CallLog) as a sequence diagram: a vertical line per lane, an arrow per
 * call from the caller's lane to the callee's, labelled with the method, top to bottom in call
 * order. A call from the outside starts an event: a faint line above it and its time (seconds) on the left.
 * Arrows take the caller's colour; a call an object makes to itself is a small loop.
 */
export function renderCallLog(calls: readonly Call[], options: CallLogFigureOptions): string {
  const { lanes } = options;
  const shown = calls.filter((call) => lanes.includes(call.from) && lanes.includes(call.to));
  const drawn = rows(shown, options.repeated);
  const x = (lane: string): number => LEFT + LANE / 2 + lanes.indexOf(lane) * LANE;
  const color = (lane: string): string => PALETTE[lanes.indexOf(lane) % PALETTE.length];
  const width = LEFT + lanes.length * LANE + 10;
  const height = TOP + drawn.length * ROW + 16;
  const heads = lanes.map(
    (lane) =>
      `<rect x="${x(lane) - 55}" y="30" width="110" height="22" rx="4" fill="${color(lane)}" fill-opacity="0.15" stroke="${color(lane)}"/>` +
      `<text x="${x(lane)}" y="45" text-anchor="middle" font-weight="bold">${escapeXml(figureText(lane))}</text>` +
      `<line x1="${x(lane)}" y1="52" x2="${x(lane)}" y2="${height - 8}" stroke="#bbbbbb" stroke-dasharray="3,3"/>`,
  );
  const marks = drawn.map((row, i) => {
    const y = TOP + i * ROW + 14;
    if ('summary' in row) {
      return `<text class="summary" x="${LEFT + (lanes.length * LANE) / 2}" y="${y}" text-anchor="middle" font-style="italic" fill="#555555">${escapeXml(figureText(row.summary))}</text>`;
    }
    const { call } = row;
    const stroke = color(call.from);
    const label = escapeXml(`${call.method}()`);
    const event =
      call.depth === 0
        ? `<line x1="4" y1="${y - 14}" x2="${width - 4}" y2="${y - 14}" stroke="#eeeeee"/>` +
          `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end" fill="#777777">${call.at.toFixed(3)} s</text>`
        : '';
    if (call.from === call.to) {
      const x0 = x(call.from);
      return (
        event +
        `<path class="call" d="M ${x0} ${y - 2} h 16 v 8 h -12" fill="none" stroke="${stroke}"/>` +
        `<polygon points="${x0},${y + 6} ${x0 + 6},${y + 3} ${x0 + 6},${y + 9}" fill="${stroke}"/>` +
        `<text x="${x0 + 20}" y="${y + 4}">${label}</text>`
      );
    }
    const [from, to] = [x(call.from), x(call.to)];
    const dir = to > from ? 1 : -1;
    return (
      event +
      `<line class="call" x1="${from}" y1="${y}" x2="${to - dir * 6}" y2="${y}" stroke="${stroke}" stroke-width="1.5"/>` +
      `<polygon points="${to},${y} ${to - dir * 7},${y - 4} ${to - dir * 7},${y + 4}" fill="${stroke}"/>` +
      `<text x="${(from + to) / 2}" y="${y - 4}" text-anchor="middle">${label}</text>`
    );
  });
  return svgDocument(width, height, [
    `<text x="10" y="20" font-size="14" font-weight="bold">${escapeXml(figureText(options.title))}</text>`,
    ...heads,
    ...marks,
  ]);
}
