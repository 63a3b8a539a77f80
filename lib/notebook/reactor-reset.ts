// Chapters 03-06: a clean reactor after an interrupted cell (tested in test/notebook/reactor-reset.test.ts).
// Kernel > Interrupt only stops the cell from waiting: the reactor it started runs on in the
// background, and the next `reactor.run()` would reject with ReactorAlreadyRunning.
import type { ReactorBase } from '../reactor/base';
import { ReactorNotRunning } from '../reactor/errors';

/**
 * Empties `reactor` of what cells left in it: cancels its timed calls and drops its descriptors
 * (closing their sockets, without calling their `connectionLost`: the code of an interrupted cell
 * is not run again), then, if a cell left it running, stops it and waits until its loop has
 * returned (at most `timeoutSeconds`). Does nothing to a reactor that is clean.
 * @returns what it cleared, for one line of output ('' when there was nothing).
 * @throws Error when the loop is still running after `timeoutSeconds` (a callback that never returns).
 */
export async function resetReactor(reactor: ReactorBase, timeoutSeconds = 5): Promise<string> {
  const wasRunning = reactor.running;
  let calls = clear(reactor);
  if (wasRunning) {
    try {
      reactor.stop();
    } catch (error) {
      if (!(error instanceof ReactorNotRunning)) throw error; // already stopping: wait for it
    }
    const deadline = Date.now() + timeoutSeconds * 1000;
    while (reactor.running) {
      if (Date.now() > deadline) throw new Error(`the reactor was still running ${timeoutSeconds} s after stop(): restart the kernel`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The interrupted cell's code went on once run() returned: what it left is cleared too.
    const more = clear(reactor);
    calls = [calls[0] + more[0], calls[1] + more[1]];
  }
  const [timed, sockets] = calls;
  if (!wasRunning && timed === 0 && sockets === 0) return '';
  return `the reactor was ${wasRunning ? 'still running (stopped now)' : 'stopped'}; cleared ${timed} timed call(s) and ${sockets} socket(s) left by an earlier cell`;
}

/** Cancels the timed calls and drops the descriptors, closing their sockets. @returns how many of each. */
function clear(reactor: ReactorBase): [number, number] {
  const calls = reactor.getDelayedCalls();
  for (const call of calls) call.cancel();
  const descriptors = reactor.removeAll();
  for (const descriptor of descriptors) (descriptor.fileno() as { close?: () => void }).close?.();
  return [calls.length, descriptors.length];
}
