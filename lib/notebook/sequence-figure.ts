// Chapter 19: a recorded sequence of calls between the parts of a program (who called whom, in
// order) drawn as an SVG sequence diagram (tested in test/notebook/sequence-figure.test.ts).
import { figureText } from '../timing/figure-text';
import { escapeXml, svgDocument } from '../timing/svg';

/** What a message carries: a call, a result handed back, or a Failure handed on. */
export type MessageKind = 'call' | 'result' | 'failure';

/** One message, recorded as it happened: `from` called or handed something to `to`. */
export interface SequenceMessage {
  from: string;
  to: string;
  label: string;
  kind: MessageKind;
}

/** A recording of messages, in the order they happened. */
export class SequenceRecorder {
  readonly messages: SequenceMessage[] = [];

  /** Records a message now. @returns nothing; call it where the thing happens. */
  record(from: string, to: string, label: string, kind: MessageKind = 'call'): void {
    this.messages.push({ from, to, label, kind });
  }
}

/** How `renderSequence` draws. */
export interface SequenceOptions {
  /** A line above the figure. */
  title?: string;
}

const COLOR: Record<MessageKind, string> = { call: '#333333', result: '#2ca02c', failure: '#d62728' };
const COLUMN = 130;
const TOP = 34;
const HEAD = 34;
const STEP = 38;

/**
 * Draws `messages` as a sequence diagram: a column per participant (in the order given), time
 * going down, an arrow per message, numbered; calls dark, results green, Failures red, and a
 * message a participant sends itself as a loop.
 * @throws TypeError when a message names a participant not in `participants`.
 */
export function renderSequence(participants: readonly string[], messages: readonly SequenceMessage[], options: SequenceOptions = {}): string {
  messages.forEach((message, i) => {
    for (const who of [message.from, message.to]) {
      if (!participants.includes(who)) {
        throw new TypeError(`Expected \`messages[${i}]\` to name one of the participants, got \`${who}\` (${typeof who})`);
      }
    }
  });
  const width = participants.length * COLUMN + 20;
  const top = options.title === undefined ? 10 : TOP;
  const bottom = top + HEAD + 16 + messages.length * STEP + 10;
  const height = bottom + 28;
  const x = (who: string): number => 10 + participants.indexOf(who) * COLUMN + COLUMN / 2;
  const parts: string[] = [];
  if (options.title !== undefined) parts.push(`<text x="10" y="22" font-size="14" font-weight="bold">${escapeXml(figureText(options.title))}</text>`);
  for (const who of participants) {
    const cx = x(who);
    parts.push(
      `<g class="participant"><rect x="${cx - COLUMN / 2 + 8}" y="${top}" width="${COLUMN - 16}" height="${HEAD - 6}" rx="4" fill="#f3f3f3" stroke="#888"/>` +
        `<text x="${cx}" y="${top + HEAD / 2 + 1}" text-anchor="middle" font-weight="bold">${escapeXml(figureText(who))}</text>` +
        `<line x1="${cx}" y1="${top + HEAD - 6}" x2="${cx}" y2="${bottom}" stroke="#bbb" stroke-dasharray="4 3"/></g>`,
    );
  }
  messages.forEach((message, i) => {
    const y = top + HEAD + 16 + i * STEP + STEP / 2;
    const [x1, x2] = [x(message.from), x(message.to)];
    const color = COLOR[message.kind];
    // Names, labels and the legend in the notebook's language (the number stays in front).
    const text = `${i + 1}. ${figureText(message.label)}`;
    const dash = message.kind === 'call' ? '' : ' stroke-dasharray="6 3"';
    if (x1 === x2) {
      parts.push(
        `<g class="message ${message.kind}"><path d="M ${x1} ${y - 8} h 24 v 14 h -18" fill="none" stroke="${color}" stroke-width="1.6"${dash}/>` +
          `<polygon points="${x1},${y + 6} ${x1 + 7},${y + 2} ${x1 + 7},${y + 10}" fill="${color}"/>` +
          `<text x="${x1 + 30}" y="${y + 3}" fill="${color}" font-size="11">${escapeXml(text)}</text></g>`,
      );
      return;
    }
    const direction = x2 > x1 ? 1 : -1;
    const tip = x2 - direction * 2;
    parts.push(
      `<g class="message ${message.kind}"><line x1="${x1}" y1="${y}" x2="${tip - direction * 7}" y2="${y}" stroke="${color}" stroke-width="1.6"${dash}/>` +
        `<polygon points="${tip},${y} ${tip - direction * 9},${y - 4} ${tip - direction * 9},${y + 4}" fill="${color}"/>` +
        `<text x="${(x1 + x2) / 2}" y="${y - 6}" text-anchor="middle" fill="${color}" font-size="11" stroke="white" stroke-width="3" paint-order="stroke">${escapeXml(text)}</text></g>`,
    );
  });
  const key = (dx: number, kind: MessageKind, text: string): string =>
    `<line x1="${dx}" y1="${height - 12}" x2="${dx + 22}" y2="${height - 12}" stroke="${COLOR[kind]}" stroke-width="1.6"${kind === 'call' ? '' : ' stroke-dasharray="6 3"'}/>` +
    `<text x="${dx + 28}" y="${height - 8}" font-size="11" fill="#555">${escapeXml(figureText(text))}</text>`;
  parts.push(`<g class="legend">${key(10, 'call', 'a call')}${key(100, 'result', 'a result')}${key(200, 'failure', 'a Failure')}</g>`);
  return svgDocument(width, height, parts);
}
