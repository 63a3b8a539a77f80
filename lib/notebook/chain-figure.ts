// Chapter 09 (the chain simulator): a chain run drawn as an SVG figure, callbacks on the left,
// errbacks on the right, the path the result took in colour. Tests: test/notebook/deferred-chain.test.ts.
import { figureText } from '../timing/figure-text';
import { escapeXml, svgDocument } from '../timing/svg';
import type { ChainRun, NestedChainRun, Outcome, Side } from './chain-model';
import { methodOf, sidesOf, valueFrom } from './chain-model';

/** How `renderChain` draws. */
export interface ChainFigureOptions {
  /** A line above the figure. */
  title?: string;
}

const COLOR = { result: '#2ca02c', failure: '#d62728' } as const;
const FAINT = '#c8c8c8';
const LABEL = 100; // the left column: step number and method
const BOX_W = 150;
const BOX_H = 42;
const END_H = 34; // the firing box at the top and the final box at the bottom
const GAP = 42; // between two rows: room for the arrows
const X = { callback: LABEL + 16 + BOX_W / 2, errback: LABEL + 16 + BOX_W + 40 + BOX_W / 2 } as const;
const WIDTH = X.errback + BOX_W / 2 + 12;
const TITLE_SIZE = 14;
const LABEL_SIZE = 11;

/**
 * A generous width of `text` in pixels at `size` px (sans-serif): 0.62 em a character, more than
 * the average of bold capitals and digits, and a whole em for a wide (CJK) character, so that a
 * title or label measured by it fits in either language.
 */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const char of text) ems += /[\u1100-\uffdc]/.test(char) && !/[\u2000-\u206f]/.test(char) ? 1 : 0.62;
  return Math.ceil(ems * size);
}

/** The column a result of this kind is in: values down the callbacks, failures down the errbacks. */
function columnOf(outcome: Outcome): Side {
  return outcome.kind === 'result' ? 'callback' : 'errback';
}

/** An arrow from (x1, y1) to (x2, y2) with a filled head, as a group with `className`. */
function arrow(x1: number, y1: number, x2: number, y2: number, color: string, width: number, className: string): string {
  const length = Math.hypot(x2 - x1, y2 - y1);
  const [ux, uy] = [(x2 - x1) / length, (y2 - y1) / length];
  const head = 5 + width * 2;
  const [bx, by] = [x2 - ux * head, y2 - uy * head]; // the base of the head
  const [px, py] = [-uy * head * 0.5, ux * head * 0.5];
  const f = (n: number): string => n.toFixed(1);
  return (
    `<g class="${className}"><line x1="${f(x1)}" y1="${f(y1)}" x2="${f(bx)}" y2="${f(by)}" stroke="${color}" stroke-width="${width}"/>` +
    `<polygon points="${f(x2)},${f(y2)} ${f(bx + px)},${f(by + py)} ${f(bx - px)},${f(by - py)}" fill="${color}"/></g>`
  );
}

/** A box centred on `x` from `y` down, with up to two lines of text. */
function box(x: number, y: number, h: number, lines: string[], style: string, textColor: string, className: string): string {
  const texts = lines.map(
    (line, i) =>
      `<text x="${x}" y="${(y + h / 2 + (i - (lines.length - 1) / 2) * 15 + 4).toFixed(1)}" text-anchor="middle" fill="${textColor}"${i === 0 ? ' font-weight="bold"' : ''}>${escapeXml(figureText(line))}</text>`,
  );
  return `<g class="${className}"><rect x="${x - BOX_W / 2}" y="${y}" width="${BOX_W}" height="${h}" rx="5" ${style}/>${texts.join('')}</g>`;
}

/** A label beside an arrow, with a white halo so that it stays readable over other lines. */
function label(x: number, y: number, text: string, color: string, anchor: string): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${anchor}" fill="${color}" font-size="${LABEL_SIZE}" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(figureText(text))}</text>`;
}

/** One chain drawn at the origin: its parts, its size, and where its boxes are (for connectors). */
interface DrawnChain {
  width: number;
  height: number;
  parts: string[];
  /** The top of step i's row. */
  rowTop: (i: number) => number;
  /** The top of the firing box and of the final box. */
  fireTop: number;
  finalTop: number;
}

/** The drawing of one chain at the origin. */
function drawChain(run: ChainRun, options: ChainFigureOptions): DrawnChain {
  const parts: string[] = [];
  // The width grows past the two columns when a title or an arrow's label needs it, so no text is clipped.
  let right = WIDTH;
  let y = 8;
  if (options.title !== undefined) {
    const title = figureText(options.title);
    parts.push(`<text x="8" y="${y + 14}" font-size="${TITLE_SIZE}" font-weight="bold">${escapeXml(title)}</text>`);
    right = Math.max(right, 8 + textWidth(title, TITLE_SIZE) + 8);
    y += 26;
  }
  parts.push(`<text x="${X.callback}" y="${y + 12}" text-anchor="middle" fill="${COLOR.result}" font-weight="bold">${escapeXml(figureText('callbacks'))}</text>`);
  parts.push(`<text x="${X.errback}" y="${y + 12}" text-anchor="middle" fill="${COLOR.failure}" font-weight="bold">${escapeXml(figureText('errbacks'))}</text>`);
  y += 22;
  const startY = y;
  const rowY = (i: number): number => startY + END_H + GAP + i * (BOX_H + GAP);
  const n = run.path.length;
  const endY = rowY(n);

  // The firing, at the top, in the column it starts down.
  const first = columnOf(run.initial);
  // A named chain has its name in its title: the box has room for the call only.
  const name = run.name === undefined ? 'd.' : '';
  const firing = run.fireText ?? (run.fire === 'callback' ? `${name}callback("start")` : `${name}errback(Error("start"))`);
  parts.push(box(X[first], startY, END_H, [firing], `fill="white" stroke="${COLOR[run.initial.kind]}" stroke-width="2"`, '#222', 'fire'));

  // Every way a result could go from one row to the next, faint: an absent side passes straight down.
  run.path.forEach((step, i) => {
    if (i === n - 1) return;
    const sides = sidesOf(step.step);
    for (const side of ['callback', 'errback'] as const) {
      const targets: Side[] = sides[side] === 'pass' ? [side] : ['callback', 'errback'];
      for (const to of targets) parts.push(arrow(X[side], rowY(i) + BOX_H, X[to], rowY(i + 1), FAINT, 1.2, 'arrow possible'));
    }
  });

  // The boxes: the side that ran stands out, a present side that did not run is plain, an absent one dashed.
  run.path.forEach((step, i) => {
    const sides = sidesOf(step.step);
    const method = methodOf(step.step);
    const top = rowY(i);
    parts.push(`<text x="${LABEL}" y="${top + BOX_H / 2 - 2}" text-anchor="end" font-weight="bold">${i + 1}</text>`);
    parts.push(`<text x="${LABEL}" y="${top + BOX_H / 2 + 13}" text-anchor="end" fill="#555" font-family="monospace" font-size="11">${method ?? escapeXml(figureText('(none)'))}</text>`);
    for (const side of ['callback', 'errback'] as const) {
      const action = sides[side];
      const value = valueFrom(side, i + 1, run.name);
      const returned = run.returnedDeferred?.step === i && side === 'callback' ? run.returnedDeferred.name : undefined;
      const fnName = method === 'addBoth' ? `both${i + 1}(${side === 'callback' ? 'result' : 'failure'})` : `${side}${i + 1}`;
      const ran = step.ran === side;
      const given = step.labels?.[side];
      if (action === 'pass') {
        parts.push(box(X[side], top, BOX_H, ['absent', 'passes it by'], `fill="none" stroke="#bbb" stroke-dasharray="5 4"`, '#aaa', 'box absent'));
        continue;
      }
      const what =
        returned !== undefined ? `returns ${returned}` : action === 'return' ? `returns "${value}"` : `throws Error("${value}")`;
      const lines = given ?? [fnName, what];
      parts.push(
        ran
          ? box(X[side], top, BOX_H, lines, `fill="#fff6d5" stroke="#333" stroke-width="2"`, '#111', 'box ran')
          : box(X[side], top, BOX_H, lines, `fill="white" stroke="#999"`, '#888', 'box idle'),
      );
    }
  });

  // The path taken: from the firing into the first row, from row to row, out to the final result.
  const last = columnOf(run.final);
  const stops: Array<{ side: Side; top: number; bottom: number }> = [
    { side: first, top: startY, bottom: startY + END_H },
    ...run.path.map((step, i) => ({ side: columnOf(step.input), top: rowY(i), bottom: rowY(i) + BOX_H })),
    { side: last, top: endY, bottom: endY + END_H + 6 },
  ];
  const carried = [run.initial, ...run.path.map((step) => step.output)];
  for (let i = 0; i + 1 < stops.length; i++) {
    const [from, to] = [stops[i], stops[i + 1]];
    const color = COLOR[carried[i].kind];
    parts.push(arrow(X[from.side], from.bottom, X[to.side], to.top, color, 3, `arrow taken ${carried[i].kind}`));
    const straight = from.side === to.side;
    const midX = (X[from.side] + X[to.side]) / 2 + (straight ? 8 : 0);
    const midY = (from.bottom + to.top) / 2 + (straight ? 4 : -6);
    parts.push(label(midX, midY, carried[i].text, color, straight ? 'start' : 'middle'));
    const labelWidth = textWidth(figureText(carried[i].text), LABEL_SIZE);
    right = Math.max(right, midX + (straight ? labelWidth : labelWidth / 2) + 8);
  }

  // The final result, at the bottom, in the column it ended in.
  const final =
    run.handedTo !== undefined
      ? [`handed to ${run.handedTo}`, run.final.text]
      : run.final.kind === 'result'
        ? ['final result', run.final.text]
        : ['unhandled failure', run.final.text];
  parts.push(box(X[last], endY, END_H + 6, final, `fill="white" stroke="${COLOR[run.final.kind]}" stroke-width="2"`, COLOR[run.final.kind], `final ${run.final.kind}`));

  const legendY = endY + END_H + 26;
  const key = (x: number, sample: string, text: string): string =>
    `${sample}<text x="${x + 24}" y="${legendY + 4}" font-size="11" fill="#555">${escapeXml(figureText(text))}</text>`;
  const line = (x: number, color: string, width: number): string =>
    `<line x1="${x}" y1="${legendY}" x2="${x + 18}" y2="${legendY}" stroke="${color}" stroke-width="${width}"/>`;
  const swatch = (x: number, style: string): string =>
    `<rect x="${x}" y="${legendY - 6}" width="18" height="12" rx="2" ${style}/>`;
  parts.push(
    `<g class="legend">` +
      key(8, line(8, COLOR.result, 3), 'a result') +
      key(98, line(98, COLOR.failure, 3), 'a Failure') +
      key(196, swatch(196, 'fill="#fff6d5" stroke="#333" stroke-width="1.5"'), 'ran') +
      key(256, swatch(256, 'fill="none" stroke="#bbb" stroke-dasharray="3 2"'), 'absent') +
      key(336, line(336, FAINT, 1.2), 'a way not taken') +
      `</g>`,
  );
  return { width: Math.ceil(right), height: legendY + 10, parts, rowTop: rowY, fireTop: startY, finalTop: endY };
}

/**
 * Draw a chain run as SVG, as the figures of the original's Part 9: callbacks on the left,
 * errbacks on the right, a row a step. The side that ran at each step is highlighted, a side
 * that was not added is dashed, and the arrows of the path taken (one into each row, one out
 * of the last to the final result) are green while they carry a result and red while they carry
 * a Failure; the faint arrows are the ways the result could have gone.
 * @param run - what `runChain` returned.
 * @returns the SVG document.
 */
export function renderChain(run: ChainRun, options: ChainFigureOptions = {}): string {
  const { width, height, parts } = drawChain(run, options);
  return svgDocument(width, height, parts);
}

/**
 * Draw several chain runs side by side in one SVG, to compare them.
 * @param figures - each run with its title.
 * @returns the SVG document.
 */
export function renderChains(figures: ReadonlyArray<{ run: ChainRun; title?: string }>): string {
  let x = 0;
  let height = 0;
  const groups = figures.map(({ run, title }) => {
    const drawn = drawChain(run, { title });
    const group = `<g transform="translate(${x},0)">\n${drawn.parts.join('\n')}\n</g>`;
    x += drawn.width + 24;
    height = Math.max(height, drawn.height);
    return group;
  });
  return svgDocument(Math.max(x - 24, 0), height, groups);
}

/** How `renderNestedChain` draws. */
export interface NestedChainFigureOptions {
  /** A line above the whole figure. */
  title?: string;
  /** The titles above the two chains (default `outer Deferred`, `inner Deferred`). */
  outerTitle?: string;
  innerTitle?: string;
}

/** A dashed arrow, as a group with `className`, with a label beside the end of it on the left. */
function connector(x1: number, y1: number, x2: number, y2: number, text: string, className: string): string {
  const drawn = arrow(x1, y1, x2, y2, '#555', 1.5, className).replace('<line ', '<line stroke-dasharray="6 4" ');
  const [x, y] = x1 < x2 ? [x1 + 6, y1 - 8] : [x2 + 6, y2 + 16];
  return drawn + label(x, y, text, '#333', 'start');
}

/**
 * Draw a chain whose callback returned another Deferred (chapter 13): the outer chain on the left,
 * the inner one on the right, its firing level with the outer step that returned it. A dashed
 * arrow from that step to the inner chain says the outer chain paused there; one from the inner
 * chain's end back into the outer chain says it resumed with the inner result (the outer arrow
 * out of that step carries it).
 * @param run - what `runNestedChain` returned.
 * @returns the SVG document.
 */
export function renderNestedChain(run: NestedChainRun, options: NestedChainFigureOptions = {}): string {
  const top = options.title === undefined ? 0 : 30;
  const outer = drawChain(run.outer, { title: options.outerTitle ?? 'outer Deferred' });
  const inner = drawChain(run.inner, { title: options.innerTitle ?? 'inner Deferred' });
  const at = run.outer.returnedDeferred?.step ?? 0;
  const innerX = outer.width + 150; // room for the connectors' labels
  const innerY = Math.max(0, outer.rowTop(at) - inner.fireTop);
  const right = X.errback + BOX_W / 2; // the outer chain's right edge
  const innerFirst = run.inner.initial.kind === 'result' ? 'callback' : 'errback';
  const innerLast = run.inner.final.kind === 'result' ? 'callback' : 'errback';
  const paused = connector(
    right,
    outer.rowTop(at) + BOX_H / 2,
    innerX + X[innerFirst] - BOX_W / 2,
    innerY + inner.fireTop + END_H / 2,
    `paused=${run.pausedBeforeInner}: waits on inner`,
    'nested paused',
  );
  const resumed = connector(
    innerX + X[innerLast] - BOX_W / 2,
    innerY + inner.finalTop + (END_H + 6) / 2,
    right + 4,
    outer.rowTop(at) + BOX_H + GAP / 2,
    'inner fires: outer resumes',
    'nested resumed',
  );
  const height = top + Math.max(outer.height, innerY + inner.height);
  return svgDocument(innerX + inner.width, height, [
    options.title === undefined ? '' : `<text x="8" y="20" font-size="14" font-weight="bold">${escapeXml(figureText(options.title))}</text>`,
    `<g transform="translate(0,${top})">`,
    ...outer.parts,
    `<g transform="translate(${innerX},${innerY})">`,
    ...inner.parts,
    '</g>',
    paused,
    resumed,
    '</g>',
  ].filter((part) => part !== ''));
}
