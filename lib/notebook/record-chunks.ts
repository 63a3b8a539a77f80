// Chapter 06: a timeline of the chunks each connection of a protocol client received, recorded
// from the outside, so the clients need no code for it (tested in test/notebook/call-log.test.ts).
import { taskName } from '../poetry/clients/common';
import type { Timeline } from '../timing/timeline';
import { CallLog, type TracedReactor } from './call-log';

/**
 * Records on `timeline` every chunk a protocol built for a connection through `reactor` is
 * given (`dataReceived`), as a chunk of `Task n` for the n-th `connectTCP`, as chapter 04's
 * clients record theirs. For clients that give each connection its own factory (3.0 onwards).
 * @returns the log of the traces: call its `restore()` when the run is over.
 */
export function recordChunks(reactor: TracedReactor, timeline: Timeline): CallLog {
  const log = new CallLog();
  let connections = 0;
  log.trace(reactor, 'reactor', ['connectTCP'], {
    silent: true,
    before: (method, args) => {
      const task = taskName(++connections);
      const chunk = (m: string, data: unknown[]): void => timeline.chunk(task, (data[0] as Buffer).length);
      const built = (m: string, protocol: unknown): void => {
        if (typeof protocol === 'object' && protocol !== null) log.trace(protocol, task, ['dataReceived'], { silent: true, before: chunk });
      };
      log.trace(args[2] as object, task, ['buildProtocol'], { silent: true, after: built });
    },
  });
  return log;
}
