// Chapter 02: Figure 5, the reactor loop (wait for events, dispatch each to its handler, repeat),
// drawn as SVG from the labels given (tested in test/timing/render-reactor-loop.test.ts).
import { figureText } from './figure-text';
import { escapeXml, PALETTE } from './svg';

/** What Figure 5 says: the loop's two steps and the handlers it dispatches to. */
export interface ReactorLoopOptions {
  /** A line above the figure. */
  title?: string;
  /** Where the loop waits (default `wait for events`). */
  wait?: string;
  /** How it hands each event on (default `dispatch each event to its handler`). */
  dispatch?: string;
  /** The handlers the events go to, one box each (default three). */
  handlers?: readonly string[];
  /** Width of the whole figure in pixels (default 640). */
  width?: number;
}

const BOX_W = 240;
const BOX_H = 44;
const GAP = 56;
const HANDLER_H = 30;

/** A rounded box with a centred line of text. */
function box(x: number, y: number, w: number, h: number, label: string, fill: string): string {
  return (
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="8" fill="${fill}" stroke="#333"/>` +
    `<text x="${x + w / 2}" y="${y + h / 2 + 4}" text-anchor="middle">${escapeXml(figureText(label))}</text>`
  );
}

/** A line with an arrow head at its end. */
function arrow(points: ReadonlyArray<readonly [number, number]>, dashed = false): string {
  const d = points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${px} ${py}`).join(' ');
  const dash = dashed ? ' stroke-dasharray="4 3"' : '';
  return `<path d="${d}" fill="none" stroke="#333" stroke-width="1.5"${dash} marker-end="url(#head)"/>`;
}

/**
 * Draws the reactor pattern as the tutorial's Figure 5 does: one loop that waits until some
 * event is ready, hands each ready event to the code registered for it, and goes back to
 * waiting. Returns an SVG string.
 */
export function renderReactorLoop(options: ReactorLoopOptions = {}): string {
  const handlers = options.handlers ?? ['handler 1', 'handler 2', 'handler 3'];
  const width = options.width ?? 640;
  const top = options.title === undefined ? 16 : 40;
  const left = 70;
  const waitY = top;
  const dispatchY = top + BOX_H + GAP;
  const handlerX = left + BOX_W + 70;
  const handlerW = Math.max(120, width - handlerX - 16);
  const handlersTop = dispatchY + BOX_H / 2 - (handlers.length * (HANDLER_H + 10) - 10) / 2;
  const height = Math.max(dispatchY + BOX_H, handlersTop + handlers.length * (HANDLER_H + 10)) + 24;
  const midX = left + BOX_W / 2;

  const handlerBoxes = handlers.map((label, i) => {
    const y = handlersTop + i * (HANDLER_H + 10);
    const fill = `${PALETTE[i % PALETTE.length]}33`;
    return (
      arrow([
        [left + BOX_W, dispatchY + BOX_H / 2],
        [handlerX - 4, y + HANDLER_H / 2],
      ]) + box(handlerX, y, handlerW, HANDLER_H, label, fill)
    );
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" ' +
      'orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#333"/></marker></defs>',
    '<rect width="100%" height="100%" fill="white"/>',
    options.title === undefined
      ? ''
      : `<text x="16" y="22" font-size="14" font-weight="bold">${escapeXml(figureText(options.title))}</text>`,
    box(left, waitY, BOX_W, BOX_H, options.wait ?? 'wait for events', '#eef3fb'),
    box(left, dispatchY, BOX_W, BOX_H, options.dispatch ?? 'dispatch each event to its handler', '#fdf1e6'),
    arrow([
      [midX, waitY + BOX_H],
      [midX, dispatchY - 2],
    ]),
    `<text x="${midX + 8}" y="${waitY + BOX_H + GAP / 2 + 4}">${escapeXml(figureText('events are ready'))}</text>`,
    // The way back: from dispatch, round the left side, into wait again.
    arrow(
      [
        [left, dispatchY + BOX_H / 2],
        [left - 40, dispatchY + BOX_H / 2],
        [left - 40, waitY + BOX_H / 2],
        [left - 2, waitY + BOX_H / 2],
      ],
      true,
    ),
    `<text x="${left - 48}" y="${(waitY + dispatchY + BOX_H) / 2 + 4}" text-anchor="middle" ` +
      `transform="rotate(-90 ${left - 48} ${(waitY + dispatchY + BOX_H) / 2 + 4})">${escapeXml(figureText('repeat'))}</text>`,
    ...handlerBoxes,
    '</svg>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}
