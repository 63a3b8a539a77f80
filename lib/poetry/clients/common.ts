// Chapters 04-18: what the reactor poetry clients 1.0 to 8.0 share, so that the diff between two
// versions is the lesson alone (tested in test/poetry/clients.test.ts).
import type { Deferred } from '../../defer/deferred';
import { Failure } from '../../defer/failure';
import { reactor as defaultReactor } from '../../reactor/default';
import type { IAddress, IReactorCore, IReactorFDSet, IReactorTCP, IReactorTime } from '../../reactor/interfaces';
import { type Address, formatAddress } from '../../sockets/address';
import type { Timeline } from '../../timing/timeline';

/** What the clients need of a reactor: its loop, time, TCP, and (client 1.0) descriptors. */
export type ClientReactor = IReactorCore & IReactorTime & IReactorTCP & IReactorFDSet;

/** Where a client runs, where it prints, and an optional record of its chunks. */
export interface ReactorClientOptions {
  /** The reactor to run (default: the default `reactor`); it must not be running. */
  reactor?: ClientReactor;
  /** Where the client prints what the original prints to stdout (default: console.log). */
  log?: (line: string) => void;
  /** Where the client prints what the original prints to stderr (default: console.error). */
  logError?: (line: string) => void;
  /**
   * Records, for the timeline figures, each chunk received (clients 1.0 and 1.0-broken), or each
   * poem's download and transform (client 6.0).
   */
  timeline?: Timeline;
}

/** The options with their defaults filled in. */
export interface ClientContext {
  reactor: ClientReactor;
  log: (line: string) => void;
  logError: (line: string) => void;
  timeline: Timeline | undefined;
}

/** What a client run got: the poems (in an order each client documents) and the total time. */
export interface ReactorClientResult {
  poems: Buffer[];
  /** Seconds from the first connection attempt until the reactor stopped. */
  elapsed: number;
}

/**
 * Checks the addresses and fills in the defaults.
 * @throws TypeError when `addresses` is empty: with nothing to fetch, the reactor would never stop.
 */
export function clientContext(addresses: readonly Address[], options: ReactorClientOptions): ClientContext {
  if (!Array.isArray(addresses) || addresses.length === 0) {
    throw new TypeError(`Expected \`addresses\` to be a non-empty array, got \`${String(addresses)}\` (${typeof addresses})`);
  }
  return {
    reactor: options.reactor ?? defaultReactor,
    log: options.log ?? console.log,
    logError: options.logError ?? console.error,
    timeline: options.timeline,
  };
}

/**
 * Records on `timeline`, when there is one, a span of `task` from now until `d` fires.
 * @returns `d`, its result (or failure) passed on unchanged.
 */
export function timed<T>(d: Deferred<T>, timeline: Timeline | undefined, task: string, kind: 'run' | 'wait'): Deferred<T> {
  if (timeline === undefined) return d;
  const end = timeline.begin(task, kind);
  return d.addBoth((result) => {
    end();
    return result;
  }) as Deferred<T>;
}

/** Formats a transport's or connector's address as the clients print it: `127.0.0.1:10000`. */
export function formatPeer(address: IAddress): string {
  return formatAddress([address.host, address.port]);
}

/** The name of task `n` in printed lines and timelines: `Task 1`. */
export function taskName(n: number): string {
  return `Task ${n}`;
}

/**
 * How one address's download ended: `[true, poem]` or `[false, failure]`, the entries a
 * DeferredList gives (chapter 18); clients 4.0 to 7.0 record them by hand.
 */
export type PoemResult = [success: true, poem: string] | [success: false, failure: Failure];

/** The result a download's chain ended with, as a PoemResult. */
export function poemResult(result: string | Failure): PoemResult {
  return result instanceof Failure ? [false, result] : [true, result];
}

/**
 * The stack of the code that calls this, under `title`, as an Error's stack shows it: every
 * frame, down to the reactor's loop (Node keeps only 10 by default).
 */
export function callStack(title: string): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  const error = new Error(title);
  Error.captureStackTrace(error, callStack); // start at the caller, not here
  Error.stackTraceLimit = limit;
  return error.stack ?? title;
}

/** Options of the clients that transform on the server, 6.0 to 8.0. */
export interface TransformClientOptions extends ReactorClientOptions {
  /** The transform server's address. */
  xform: Address;
  /** The transform to ask for (default `cummingsify`). */
  transform?: string;
}

/**
 * Checks the transform server's address and the transform's name.
 * @returns the address and the name (with its default).
 * @throws TypeError when `xform` is not a [host, port] pair, or `transform` is empty or has a '.'.
 */
export function transformOptions(options: TransformClientOptions): { xform: Address; transform: string } {
  const { xform } = options ?? {};
  if (!Array.isArray(xform) || xform.length !== 2 || typeof xform[0] !== 'string' || !Number.isInteger(xform[1])) {
    throw new TypeError(`Expected \`xform\` to be the transform server's [host, port], got \`${String(xform)}\` (${typeof xform})`);
  }
  const transform = options.transform ?? 'cummingsify';
  if (typeof transform !== 'string' || transform === '' || transform.includes('.')) {
    throw new TypeError(`Expected \`transform\` to be a transform name without a '.', got \`${String(transform)}\` (${typeof transform})`);
  }
  return { xform, transform };
}
