// Chapter 03: what every reactor shares, chapter 02's select loop grown into a reusable event
// loop: timed calls, the run loop, dispatch, TCP (tested in test/reactor/reactor.test.ts and
// test/reactor/tcp.test.ts, against both reactors). SelectReactor and EpollReactor differ only in
// how they wait.
import { Failure } from '../defer/failure';
import { logError, stackOf } from '../log/index';
import { POLLIN as IN, POLLOUT as OUT } from '../sockets/poller';
import type { Selectable } from '../sockets/selectable';
import type { DelayedCall } from './delayed-call';
import { ConnectionLost, ReactorAlreadyRunning, ReactorNotRunning } from './errors';
import type {
  IClientFactory,
  IProtocolFactory,
  IReactorCore,
  IReactorFDSet,
  IReactorTCP,
  IReactorTime,
  IReadDescriptor,
  IWriteDescriptor,
} from './interfaces';
import { Connector } from './client';
import { Port } from './port';
import { TimerQueue } from './timer-queue';

type Descriptor = IReadDescriptor | IWriteDescriptor;

// The event bits as this module's own constants: under a bundler's CommonJS output (tsx's) an
// imported binding is a getter call at every use, and these are used for every event.
const POLLIN: number = IN;
const POLLOUT: number = OUT;

/** Sockets found ready by one wait, each with its events (`POLLIN`, `POLLOUT` or both). */
export type ReadyEvents = Iterable<readonly [Selectable, number]>;

/**
 * The reactor: one loop that waits for whatever is ready (sockets; timed calls, in a heap) and
 * calls the code that handles it, as Twisted's reactor does. Implements IReactorCore,
 * IReactorTime, IReactorTCP and IReactorFDSet (see lib/reactor/interfaces.ts).
 *
 * Each turn: run the timed calls that are due (`runUntilCurrent`), then wait until a socket is
 * ready or the next call is due, and dispatch `doRead`/`doWrite` (`doIteration`). An exception
 * thrown by any of them is logged with its stack and the loop goes on. How it waits is the one
 * thing a subclass decides, as Twisted's reactors differ only in their `doIteration`:
 * `SelectReactor` asks select() about every socket each turn, `EpollReactor` keeps them
 * registered with a poller that reports the ready ones only.
 *
 * Unlike Twisted's, a stopped reactor can be run again (a notebook cell is re-run), and a new one
 * (`new EpollReactor()`, `new SelectReactor()`) is always at hand.
 */
export abstract class ReactorBase implements IReactorCore, IReactorTime, IReactorTCP, IReactorFDSet {
  readonly #readers = new Map<Selectable, IReadDescriptor>();
  readonly #writers = new Map<Selectable, IWriteDescriptor>();
  readonly #timers = new TimerQueue(
    () => this.seconds(),
    () => this.wakeUp(),
  );
  #running = false;
  #stopping = false;
  #whenRunning: Array<() => void> = [];

  /** True from `run()` until the loop has stopped. */
  get running(): boolean {
    return this.#running;
  }

  /** See IReactorTime.seconds: a monotonic clock, in seconds. */
  seconds(): number {
    return performance.now() / 1000;
  }

  /**
   * See IReactorTime.callLater.
   * @throws TypeError when `seconds` is negative or not a number.
   */
  callLater<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, ...args: A): DelayedCall {
    const call = this.#timers.callLater(seconds, fn, args);
    this.wakeUp(); // a waiting loop must recompute how long to wait
    return call;
  }

  /** See IReactorTime.getDelayedCalls. */
  getDelayedCalls(): DelayedCall[] {
    return this.#timers.pending();
  }

  /** See IReactorCore.callWhenRunning. */
  callWhenRunning<A extends unknown[]>(fn: (...args: A) => unknown, ...args: A): void {
    if (this.#running) this.callLater(0, fn, ...args);
    else this.#whenRunning.push(() => fn(...args));
  }

  /**
   * See IReactorCore.run: runs the loop until `stop()`.
   * @returns a promise resolved when the loop has stopped; rejected with ReactorAlreadyRunning
   *   when it runs already.
   */
  async run(): Promise<void> {
    if (this.#running) throw new ReactorAlreadyRunning('The reactor is already running');
    this.#running = true;
    this.#stopping = false;
    const startup = this.#whenRunning;
    this.#whenRunning = [];
    for (const fn of startup) this.#safely(fn);
    // A running reactor keeps its process alive, as Twisted's blocks in select() until stop():
    // with no socket or timer to wait on, Node would otherwise end the program, status 0.
    const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    try {
      while (!this.#stopping) {
        this.runUntilCurrent();
        if (this.#stopping) break;
        await this.doIteration(this.#timers.timeout());
      }
    } finally {
      clearInterval(keepAlive);
      this.#shutdown();
      this.#running = false;
      this.#stopping = false;
    }
  }

  /**
   * See IReactorCore.stop: the loop ends after the current turn, and every connection and
   * listening port is closed, as Twisted does at shutdown. Pending timed calls stay.
   * @throws ReactorNotRunning when it is not running (or already stopping).
   */
  stop(): void {
    if (!this.#running || this.#stopping) throw new ReactorNotRunning("Can't stop reactor that isn't running.");
    this.#stopping = true;
    this.wakeUp();
  }

  /** Runs the timed calls that are due now, each once, in time order. */
  runUntilCurrent(): void {
    for (const call of this.#timers.takeDue()) {
      // #safely's work without a closure per call: thousands of clients' chunks run per turn.
      try {
        call.run();
      } catch (error) {
        logError(`Unhandled Error\n${stackOf(error)}`);
      }
    }
  }

  /**
   * One turn of the loop: waits up to `timeoutSeconds` (forever when undefined) for a socket to
   * be ready, then calls `doRead`/`doWrite` of the descriptors that are. A descriptor whose
   * call returns a reason (or throws) is disconnected with it.
   */
  async doIteration(timeoutSeconds?: number): Promise<void> {
    const events = await this.waitForEvents(timeoutSeconds);
    for (const [socket, mask] of events) {
      // An earlier handler in this turn may have removed it.
      if (mask & POLLIN) {
        const reader = this.#readers.get(socket);
        if (reader) this.#dispatch(reader, true);
      }
      if (mask & POLLOUT) {
        const writer = this.#writers.get(socket);
        if (writer) this.#dispatch(writer, false);
      }
    }
  }

  /** Waits for `reader`'s socket to be readable and calls its `doRead` each time it is. */
  addReader(reader: IReadDescriptor): void {
    this.#readers.set(reader.fileno(), reader);
    this.#watch(reader.fileno());
  }

  /** Waits for `writer`'s socket to be writable and calls its `doWrite` each time it is. */
  addWriter(writer: IWriteDescriptor): void {
    this.#writers.set(writer.fileno(), writer);
    this.#watch(writer.fileno());
  }

  /** Stops watching `reader`; unknown descriptors are ignored. */
  removeReader(reader: IReadDescriptor): void {
    if (this.#readers.get(reader.fileno()) !== reader) return;
    this.#readers.delete(reader.fileno());
    this.#watch(reader.fileno());
  }

  /** Stops watching `writer`; unknown descriptors are ignored. */
  removeWriter(writer: IWriteDescriptor): void {
    if (this.#writers.get(writer.fileno()) !== writer) return;
    this.#writers.delete(writer.fileno());
    this.#watch(writer.fileno());
  }

  /** The descriptors being read. */
  getReaders(): IReadDescriptor[] {
    return [...this.#readers.values()];
  }

  /** The descriptors being written. */
  getWriters(): IWriteDescriptor[] {
    return [...this.#writers.values()];
  }

  /** Stops watching every descriptor. @returns those that were watched. */
  removeAll(): Descriptor[] {
    const all = new Set<Descriptor>([...this.#readers.values(), ...this.#writers.values()]);
    for (const descriptor of all) {
      this.removeReader(descriptor as IReadDescriptor);
      this.removeWriter(descriptor as IWriteDescriptor);
    }
    return [...all];
  }

  /**
   * See IReactorTCP.listenTCP. Listens on 127.0.0.1 unless `options.interface` says otherwise.
   * @throws CannotListenError when the port is taken or the interface cannot be bound.
   */
  listenTCP(port: number, factory: IProtocolFactory, options: { backlog?: number; interface?: string } = {}): Port {
    const listening = new Port(this, port, factory, options.interface ?? '127.0.0.1', options.backlog ?? 4096);
    listening.startListening();
    return listening;
  }

  /** See IReactorTCP.connectTCP: the attempt starts at once (or when the loop runs). */
  connectTCP(host: string, port: number, factory: IClientFactory, timeoutSeconds = 30): Connector {
    const connector = new Connector(this, host, port, factory, timeoutSeconds);
    connector.connect();
    return connector;
  }

  /**
   * Waits up to `timeoutSeconds` (forever when undefined) until a watched socket is ready, or
   * `wakeUp()` is called, and returns the ready sockets with their events.
   */
  protected abstract waitForEvents(timeoutSeconds?: number): Promise<ReadyEvents>;

  /** Ends a wait in progress: a timed call or `stop()` came from outside the loop. */
  protected abstract wakeUp(): void;

  /** The events watched on `socket` changed to `mask` (0: no longer watched). */
  protected abstract watchChanged(socket: Selectable, mask: number): void;

  /** The sockets watched for reading, then those watched for writing. */
  protected watched(): [Iterable<Selectable>, Iterable<Selectable>] {
    return [this.#readers.keys(), this.#writers.keys()];
  }

  #watch(socket: Selectable): void {
    this.watchChanged(socket, (this.#readers.has(socket) ? POLLIN : 0) | (this.#writers.has(socket) ? POLLOUT : 0));
  }

  // No closure per event: a busy server dispatches tens of thousands a second.
  #dispatch(descriptor: Descriptor, isRead: boolean): void {
    let why: unknown;
    let threw = false;
    try {
      why = isRead ? (descriptor as IReadDescriptor).doRead() : (descriptor as IWriteDescriptor).doWrite();
    } catch (error) {
      logError(`Unhandled Error in ${describe(descriptor)} ${isRead ? 'doRead' : 'doWrite'}:\n${stackOf(error)}`);
      // Whatever was thrown, `undefined` and 0 included, ends the connection.
      why = error;
      threw = true;
    }
    if (threw || why) this.#disconnect(descriptor, why);
  }

  #disconnect(descriptor: Descriptor, why: unknown): void {
    this.removeReader(descriptor as IReadDescriptor);
    this.removeWriter(descriptor as IWriteDescriptor);
    // #safely's work without a closure: every connection ends here.
    try {
      descriptor.connectionLost(new Failure(why));
    } catch (error) {
      logError(`Unhandled Error\n${stackOf(error)}`);
    }
  }

  // What Twisted does "during shutdown": every descriptor is disconnected.
  #shutdown(): void {
    for (const descriptor of this.removeAll()) {
      this.#safely(() => descriptor.connectionLost(new Failure(new ConnectionLost('Connection lost: the reactor stopped'))));
    }
  }

  #safely(fn: () => unknown): void {
    try {
      fn();
    } catch (error) {
      logError(`Unhandled Error\n${stackOf(error)}`);
    }
  }
}

function describe(descriptor: Descriptor): string {
  return descriptor.logPrefix?.() ?? descriptor.constructor.name;
}
