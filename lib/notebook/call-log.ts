// Chapters 05 and 06: a log of who called whom among a reactor, a transport, its protocol and
// its factory, recorded from a real run (tested in test/notebook/call-log.test.ts).
import type { IReactorCore, IReactorFDSet, IReactorTCP } from '../reactor/interfaces';
import { type Seconds, wallSeconds } from '../timing/stopwatch';

/** One call of a traced method. */
export interface Call {
  /** The lane of the object that made the call (the traced call under way, or the outside). */
  readonly from: string;
  /** The lane of the object called. */
  readonly to: string;
  readonly method: string;
  /** Seconds since the log began. */
  readonly at: number;
  /** How many traced calls were under way when it was made: 0 for a call from the outside. */
  readonly depth: number;
}

/** What to run around each call of a traced method (to trace what it is given or returns). */
export interface TraceHooks {
  /** Run the hooks only, and leave the calls out of the log (and of the lanes' stack). */
  silent?: boolean;
  before?: (method: string, args: unknown[]) => void;
  after?: (method: string, result: unknown) => void;
}

/**
 * Records calls of chosen methods of chosen objects, each object drawn as one lane. A call made
 * while another traced call is under way comes from that call's lane; any other from `outside()`.
 */
export class CallLog {
  readonly calls: Call[] = [];
  readonly #now: Seconds;
  readonly #origin: number;
  readonly #outside: () => string;
  /** The lanes of the traced calls under way, innermost last. */
  readonly #stack: string[] = [];
  /** Puts each wrapped method back, last first. */
  readonly #undo: Array<() => void> = [];

  constructor(outside: () => string = () => 'outside', now: Seconds = wallSeconds) {
    this.#outside = outside;
    this.#now = now;
    this.#origin = now();
  }

  /**
   * Wraps each of `methods` that `target` has (as an own property of `target`, so other objects
   * of its class are untouched) to log its calls as made to `lane`. Methods it lacks are skipped.
   */
  trace(target: object, lane: string, methods: readonly string[], hooks: TraceHooks = {}): void {
    const object = target as Record<string, unknown>;
    for (const method of methods) {
      const original = object[method];
      if (typeof original !== 'function') continue;
      const own = Object.prototype.hasOwnProperty.call(object, method);
      const log = this;
      object[method] = function traced(this: unknown, ...args: unknown[]): unknown {
        if (!hooks.silent) {
          log.calls.push({ from: log.#stack.at(-1) ?? log.#outside(), to: lane, method, at: log.#now() - log.#origin, depth: log.#stack.length });
        }
        hooks.before?.(method, args);
        if (!hooks.silent) log.#stack.push(lane);
        let result: unknown;
        try {
          result = original.apply(this, args);
        } finally {
          if (!hooks.silent) log.#stack.pop();
        }
        hooks.after?.(method, result);
        return result;
      };
      this.#undo.push(() => {
        if (own) object[method] = original;
        else delete object[method];
      });
    }
  }

  /** Puts every traced method back as it was. */
  restore(): void {
    for (let undo = this.#undo.pop(); undo !== undefined; undo = this.#undo.pop()) undo();
  }
}

/** The methods drawn for each of a connection's objects: Twisted's interfaces', and the poetry clients'. */
export const CONNECTION_METHODS = {
  reactor: ['connectTCP', 'stop'],
  transport: ['doRead', 'doWrite', 'connectionLost', 'getPeer', 'write', 'loseConnection'],
  protocol: ['makeConnection', 'connectionMade', 'dataReceived', 'connectionLost', 'poemReceived'],
  factory: ['startedConnecting', 'buildProtocol', 'clientConnectionFailed', 'clientConnectionLost', 'poemFinished', 'report'],
} as const;

/** The reactor a client runs on, as `traceConnection` needs it. */
export type TracedReactor = IReactorCore & IReactorTCP & IReactorFDSet;

/**
 * Logs the calls among `reactor`, and the factory, transport and protocol of the FIRST
 * connection made through it, in lanes named `reactor`, `transport`, `protocol`, `factory`
 * (calls from the outside come from `program` before the reactor runs, from `reactor` after).
 * The transport is the first descriptor the reactor is asked to watch after that `connectTCP`.
 * Call `log.restore()` when the run is over. The Connector, the reactor's own helper that makes
 * the connection, is not traced: its calls count as the reactor's.
 */
export function traceConnection(reactor: TracedReactor): CallLog {
  const log = new CallLog(() => (reactor.running ? 'reactor' : 'program'));
  let connecting = false;
  let transport: object | undefined;
  const traceProtocol = (method: string, protocol: unknown): void => {
    if (method !== 'buildProtocol' || typeof protocol !== 'object' || protocol === null) return;
    log.trace(protocol, 'protocol', CONNECTION_METHODS.protocol);
  };
  const traceFactory = (method: string, args: unknown[]): void => {
    if (method !== 'connectTCP' || connecting) return; // only the first connection
    connecting = true;
    log.trace(args[2] as object, 'factory', CONNECTION_METHODS.factory, { after: traceProtocol });
  };
  log.trace(reactor, 'reactor', CONNECTION_METHODS.reactor, { before: traceFactory });
  // Watching a descriptor is not drawn: it only tells which object the transport is.
  const watched = (method: string, args: unknown[]): void => {
    if (!connecting || transport !== undefined) return;
    transport = args[0] as object;
    log.trace(transport, 'transport', CONNECTION_METHODS.transport);
  };
  log.trace(reactor, 'reactor', ['addReader', 'addWriter'], { silent: true, before: watched });
  return log;
}
