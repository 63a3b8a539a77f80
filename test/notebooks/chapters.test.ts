// Executes every chapter through Jupyter (nbclient + the tslab kernel) at the fast parameters,
// as CI does, and checks what the chapters promise to show.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterFiles, describeFailure, FAST_ENV, type NotebookRun, runNotebook } from '../../scripts/notebooks';
import { quoteOutput } from '../helpers/quote-output';

/** Every line the run's cells printed, in order. */
const printedLines = (run: NotebookRun): string[] => run.cells.flatMap((cell) => cell.stdout.split('\n'));

/** The number printed after `label ... = ` in a chapter's output. */
function ratio(run: NotebookRun, label: string): number {
  const line = printedLines(run).find((l) => l.startsWith(label));
  expect(line, `a line starting with "${label}"`).toBeDefined();
  return Number(line?.split(' = ').pop());
}

/** How many SVG figures the run displayed. */
const svgCount = (run: NotebookRun): number => run.cells.flatMap((cell) => cell.displays).filter((kind) => kind === 'image/svg+xml').length;

/** An asynchronous client's total against its slowest server, with a wide margin. */
const nearSlowest = (label: string) => (run: NotebookRun) => expect(Math.abs(ratio(run, label) - 1)).toBeLessThan(0.15);

/** What each chapter must show beyond running cleanly. */
const CHECKS: Record<string, (run: NotebookRun) => void> = {
  '01-models': (run) => {
    // Figures 1-4, 4a and 4b; the heartbeat never runs while the synchronous program blocks.
    expect(svgCount(run)).toBe(6);
    const lines = printedLines(run);
    const beats = lines.filter((line) => line.startsWith('heartbeat: '));
    expect(beats).toHaveLength(2);
    expect(beats[0]).toMatch(/^heartbeat: 0 ticks/);
    expect(beats[1]).not.toMatch(/^heartbeat: 0 ticks/);
  },
  '02-slow-poetry': (run) => {
    // The timing shape, with wide margins: blocking ~ sum of the servers, async ~ the slowest,
    // with the chapter's servers and with one of them slowed down.
    for (const prefix of ['', 'slowed: ']) {
      expect(Math.abs(ratio(run, `${prefix}blocking total`) - 1)).toBeLessThan(0.15);
      expect(Math.abs(ratio(run, `${prefix}async total`) - 1)).toBeLessThan(0.15);
    }
    // Figure 5 and the four client timelines.
    expect(svgCount(run)).toBe(5);
  },
  '03-reactor': (run) => {
    // Who is on the stack, and the two reactors' cost per turn; answer 2 runs in the next turn.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('the outer function ran in turn 1, the one it scheduled in turn 2');
  },
  '04-reactor-client': (run) => {
    nearSlowest('client 1.0 total')(run);
    // Client 1.0 and the broken client, on one time scale; the answers ran.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('Task 1: 582 of 582 bytes');
  },
  '05-protocols': (run) => {
    nearSlowest('client 2.0 total')(run);
    // Who calls whom, drawn from the run's call log; the answers ran.
    expect(svgCount(run)).toBe(1);
    const lines = printedLines(run);
    expect(lines).toContain('Got 1 poem(s), for 1 connection(s) made');
  },
  '06-callbacks': (run) => {
    nearSlowest('client 3.0 total')(run);
    // Clients 3.0 and 3.1's chunks on one time scale; a callback that throws does not stop the program.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('poems received: 3; stopped by hand: false');
  },
  '07-deferred': (run) => {
    const lines = printedLines(run);
    expect(lines).toContain('without an errback: 1 message(s) logged');
    // The two rails, drawn from getPoem's Deferreds; the answers: the callback runs in the fifth advance.
    expect(svgCount(run)).toBe(1);
    expect(lines).toContain('  the callback runs at t=5: Entranced, we see the sun rise...');
    expect(lines).toContain('kept in a variable: 0 message(s) logged; still holds [Failure instance: RangeError: nobody handles me]');
  },
  '08-deferred-poetry': (run) => {
    // The timeline of the poems, and the stack of a callback.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('callback: got undefined: what reactor.stop() returned');
  },
  '09-deferred-chains': (run) => {
    // Four figures in the chapter, two in the answers (exercises 1 and 3).
    expect(svgCount(run)).toBe(6);
    const lines = printedLines(run);
    expect(lines).toContain('  callback, errback, errback, errback => "eb4" (right)');
  },
  '10-transformed': (run) => {
    // Four figures: clients 5.0 and 5.1 side by side for each ending; one in the answers.
    expect(svgCount(run)).toBe(5);
    const lines = printedLines(run);
    expect(lines).toContain('  bug             cummingsify -> poemFailed(CannotCummingsify) -> cummingsifyFailed(CannotCummingsify) -> ends with "A POEM"');
  },
  '11-poetry-server': (run) => {
    // The blocking and reactor slow servers' timelines; the shared fetch of exercise 3 goes upstream once.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('4 clients got the whole poem; upstream fetches: 1');
  },
  '12-transform-server': (run) => {
    // Client 6.0's poems on a timeline; exercise 2's receiver refuses the netstring at its first byte.
    expect(svgCount(run)).toBe(1);
    const lines = printedLines(run);
    expect(lines).toContain('byte 1 ("6"): brokenPeer=true, connection dropped=true');
  },
  '13-deferreds-down': (run) => {
    // The outer chain paused on the inner Deferred (it succeeds, then fails); exercise 2 loses the poem.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines).toContain('after outer.callback(): outer.paused=1, 2 of 3 outer steps run');
    expect(lines).toContain('poemFailed: TransformFailedError; no poem printed');
  },
  '14-when-a-deferred-isnt': (run) => {
    // Cache misses against hits, timed; exercise 2: succeed's callback runs inside addCallback.
    expect(svgCount(run)).toBe(1);
    const lines = printedLines(run);
    expect(lines).toContain('succeed: the callback saw "not set yet"');
  },
  '15-tested-poetry': (run) => {
    const lines = printedLines(run);
    expect(lines).toContain('vitest exited with status 0');
    // The failing examples fail, and their report shows each failure.
    expect(lines).toContain('vitest exited with status 1');
    expect(lines.filter((line) => line.startsWith(' FAIL  test/fixtures/failing.fixture.ts > '))).toHaveLength(3);
    expect(lines.some((line) => line.startsWith('the whole poem was written: true; simulated time'))).toBe(true);
    expect(svgCount(run)).toBe(1);
    // Answer 3: the server that forgets its pending chunk keeps a call after connectionLost.
    expect(lines).toContain('calls pending while connected: 1; after connectionLost: 1 (the test expects 0)');
  },
  '17-generators': (run) => {
    // Client 7.0's and 6.0's runs as timelines; every client recorded its three transforms.
    expect(svgCount(run)).toBe(2);
    const lines = printedLines(run);
    expect(lines.filter((line) => line.includes(': 3 transforms recorded'))).toHaveLength(3);
    expect(lines.some((line) => line.startsWith('driveLooping: after 10000 fired yields the stack is 0 frames deeper'))).toBe(true);
  },
  '18-deferred-list': (run) => {
    // One figure: when each Deferred of the list fired, and when the list did (with the last one).
    expect(svgCount(run)).toBe(1);
    const lines = printedLines(run);
    expect(lines.some((line) => / the list fired with the last one$/.test(line))).toBe(true);
  },
  '19-cancellation': (run) => {
    // The cancel's way through the chain, recorded; answer 2's late callback raises.
    expect(svgCount(run)).toBe(1);
    const lines = printedLines(run);
    expect(lines).toContain('12 messages; timed calls left: 0');
    expect(lines).toContain('the late callback threw AlreadyCalledError');
  },
  '20-node-and-deferreds': (run) => {
    // The benchmark chart; answer 3's program survives its unhandled rejections.
    expect(svgCount(run)).toBeGreaterThanOrEqual(1);
    const lines = printedLines(run);
    expect(lines).toContain('with a listener: exit code 0');
  },
};

describe.each(chapterFiles().map((file) => [path.basename(file, '.ipynb'), file]))('notebook %s', (name, file) => {
  it('runs every cell without an error, at the fast parameters', async () => {
    const run = await runNotebook(file, { env: FAST_ENV });
    expect(run.ok, quoteOutput(describeFailure(run))).toBe(true);
    CHECKS[name]?.(run);
  });
});
