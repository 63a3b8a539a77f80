// Chapter 20: a horizontal bar chart as hand-written SVG, for measured figures such as the
// Deferred benchmark (tested in test/notebook/bar-chart.test.ts).
import { figureText } from '../timing/figure-text';
import { escapeXml, PALETTE } from '../timing/svg';

/** One bar: its label on the left, its length from `value`. */
export interface Bar {
  label: string;
  /** A finite number >= 0 (> 0 on a log scale). */
  value: number;
  /** The bar's colour (default: the palette, by position). */
  color?: string;
  /** Text after the value at the bar's end, e.g. `(goal >= 20)`. */
  note?: string;
}

/** How the chart is drawn. */
export interface BarChartOptions {
  /** A line above the chart. */
  title?: string;
  /** Appended to each value printed at a bar's end (`' ms'`, `'x'`). */
  unit?: string;
  /** Formats a value for printing (default: 3 significant digits). */
  format?: (value: number) => string;
  /** `linear` (from 0, the default) or `log` (for values that span powers of ten). */
  scale?: 'linear' | 'log';
  /** Width of the whole chart in pixels (default 720). */
  width?: number;
  /** A dashed vertical line at this value, e.g. a goal (labelled with `markerLabel`). */
  marker?: number;
  markerLabel?: string;
}

const ROW = 28;
const TOP = 34;
// Below the bars: a margin, and room for the marker's label.
const BOTTOM = 14;
const MARKER_LABEL_ROOM = 16;
// Room at the right of the longest bar for its value and note, and at the left per label character.
const VALUE_ROOM = 190;
const CHAR = 7;

function xmlText(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function checkBar(bar: Bar, index: number, log: boolean): void {
  const { value } = bar;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (log && value <= 0)) {
    const wanted = log ? 'a finite number > 0 (log scale)' : 'a finite number >= 0';
    throw new TypeError(`Expected \`bars[${index}].value\` to be ${wanted}, got \`${String(value)}\` (${typeof value})`);
  }
}

/**
 * Draws bars as an SVG string: one row a bar, its label on the left, its value (and note) at its
 * end. On the linear scale lengths are proportional to the values; on the log scale each power of
 * ten gets the same length, from the power of ten at or below the smallest value.
 * @param bars - the bars, top to bottom.
 * @returns the SVG document as a string.
 * @throws TypeError when `bars` is empty; when a value (or `marker`) is negative or not finite, or
 *   a value is zero on the log scale; when `width` leaves no room for the bars.
 */
export function renderBarChart(bars: readonly Bar[], options: BarChartOptions = {}): string {
  if (!Array.isArray(bars) || bars.length === 0) {
    throw new TypeError(`Expected \`bars\` to be a non-empty array, got \`${String(bars)}\` (${typeof bars})`);
  }
  const log = options.scale === 'log';
  bars.forEach((bar, i) => checkBar(bar, i, log));
  const { marker } = options;
  if (marker !== undefined && (typeof marker !== 'number' || !Number.isFinite(marker) || marker < 0)) {
    throw new TypeError(`Expected \`marker\` to be a finite number >= 0, got \`${String(marker)}\` (${typeof marker})`);
  }
  const width = options.width ?? 720;
  // Labels in the notebook's language; a CJK character is about two Latin ones wide.
  const labels = bars.map((bar) => figureText(bar.label));
  const labelWidth = 16 + CHAR * Math.max(...labels.map((label) => label.length + (label.match(/[\u3000-\u9fff\uff00-\uffef]/g)?.length ?? 0)));
  const plot = width - labelWidth - VALUE_ROOM;
  if (plot < 50) throw new TypeError(`Expected \`width\` to leave room for the bars, got \`${width}\` (number)`);
  const format = options.format ?? ((value: number) => String(Number(value.toPrecision(3))));
  const unit = options.unit ?? '';

  const values = bars.map((bar) => bar.value);
  const max = Math.max(...values, marker ?? 0);
  // The log scale starts at the power of ten at or below the smallest value, so every bar shows.
  const floor = log ? 10 ** Math.floor(Math.log10(Math.min(...values))) : 0;
  const length = (value: number): number => {
    if (max <= floor) return plot;
    return log ? (Math.log10(value / floor) / Math.log10(max / floor)) * plot : (value / max) * plot;
  };
  const bottom = options.markerLabel && marker !== undefined ? BOTTOM + MARKER_LABEL_ROOM : BOTTOM;
  const height = TOP + bars.length * ROW + bottom;

  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const w = Math.max(1, length(bar.value));
    const color = bar.color ?? PALETTE[i % PALETTE.length];
    const text = `${format(bar.value)}${unit}${bar.note ? ` ${figureText(bar.note)}` : ''}`;
    return [
      `<text x="${labelWidth - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${xmlText(labels[i])}</text>`,
      `<rect x="${labelWidth}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW - 8}" fill="${xmlText(color)}"><title>${xmlText(`${bar.label}: ${text}`)}</title></rect>`,
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">${xmlText(text)}</text>`,
    ].join('');
  });
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    options.title === undefined ? '' : `<text x="8" y="20" font-size="14" font-weight="bold">${xmlText(figureText(options.title))}</text>`,
    `<line x1="${labelWidth}" x2="${labelWidth}" y1="${TOP}" y2="${height - bottom}" stroke="#444"/>`,
    ...rows,
  ];
  if (marker !== undefined && marker > floor) {
    const x = (labelWidth + length(marker)).toFixed(1);
    const end = height - bottom + 4;
    parts.push(`<line x1="${x}" x2="${x}" y1="${TOP}" y2="${end}" stroke="#d62728" stroke-dasharray="4 3"/>`);
    if (options.markerLabel) parts.push(`<text x="${x}" y="${end + 12}" text-anchor="middle" fill="#d62728" font-size="11">${xmlText(figureText(options.markerLabel))}</text>`);
  }
  parts.push('</svg>');
  return parts.filter((part) => part !== '').join('\n');
}
