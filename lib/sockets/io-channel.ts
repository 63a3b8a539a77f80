// Chapter 02: the synchronous line to the I/O worker, over shared memory
// (tested in test/sockets/blocking-socket.test.ts and test/sockets/io-channel.test.ts).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SocketError } from './errors';

/** What the worker answers: fields of the operation's result, or an error to throw. */
export interface IoReply {
  readonly id?: number;
  readonly data?: Uint8Array;
  readonly peer?: [string, number];
  readonly local?: [string, number];
  readonly error?: { code: string; syscall?: string; message: string };
}

// The shared buffer: four Int32 words, then the message area (the worker reads the same layout).
// REQUEST goes 0 -> 1 when a request is written; REPLY goes 0 -> 1 when its reply is. A message
// is JSON (HEAD bytes long) followed by raw bytes (BODY bytes long): data sent or received.
const REQUEST = 0;
const REPLY = 1;
const HEAD = 2;
const BODY = 3;
const AREA = 16;

/** The most bytes one call carries: `recv` returns at most this, `sendall` sends in parts. */
export const IO_CHUNK = 256 * 1024;
// Room for a message's JSON beside IO_CHUNK bytes of data.
const HEAD_ROOM = 4096;

/**
 * How long a caller checks for the reply before it sleeps in Atomics.wait, at most, in
 * milliseconds. Waking a sleeping thread costs tens of microseconds on an idle machine, more than
 * most calls take (the worker checks as long for the next request after a reply, see
 * io-worker.js); a call that waits for the network burns at most this much CPU first.
 */
export const SPIN_MS = 0.05;

/**
 * The shortest such check, in milliseconds: about the longest a round trip takes when both threads
 * are awake on their own cores. A shorter one could never find the reply.
 */
export const MIN_SPIN_MS = 0.01;

/**
 * One worker per thread does the I/O of every blocking socket of that thread. `call` writes the
 * request into memory shared with the worker, wakes it (`Atomics.notify`) and parks the calling
 * thread in `Atomics.wait` until the worker has written the reply and woken it back: the thread
 * is blocked for real, timers and I/O callbacks included, as a thread in `recv(2)` is. No
 * message is posted either way. Each side checks the flag for a moment (SPIN_MS) before it goes
 * to sleep, so that a call that is answered at once costs no wake-up of a sleeping thread (tens
 * of microseconds each) but a few microseconds.
 */
export class IoChannel {
  readonly #control: Int32Array;
  readonly #area: Buffer;
  readonly #worker: Worker;
  readonly #spinner = new Spinner();
  // True from a request until its reply is read. Calls block, so a new call that finds it true
  // follows one that never returned: an interrupt (Kernel > Interrupt, a vm timeout) ended it
  // mid-wait, and the worker's late reply would answer the wrong call.
  #inCall = false;
  #closed = false;

  /** @param firstId - the number of this worker's first socket: no two workers share one. */
  constructor(firstId: number) {
    const shared = new SharedArrayBuffer(AREA + HEAD_ROOM + IO_CHUNK);
    this.#control = new Int32Array(shared, 0, 4);
    this.#area = Buffer.from(shared, AREA);
    this.#worker = new Worker(path.join(__dirname, 'io-worker.js'), { workerData: { shared, area: AREA, firstId } });
    // The worker may not keep a finished program alive.
    this.#worker.unref();
  }

  /** True when a call was abandoned halfway: this channel can no longer be trusted. */
  get abandoned(): boolean {
    return this.#inCall;
  }

  /** True once `close` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Stops the worker; the sockets it held are closed.
   * @returns a promise of the worker's exit code, once it has stopped.
   */
  close(): Promise<number> {
    this.#closed = true;
    return this.#worker.terminate();
  }

  /**
   * Runs one operation in the worker and blocks until it is done. A `data` argument (bytes to
   * send) travels as raw bytes, at most IO_CHUNK of them.
   * @throws SocketError when the operation failed, or the channel is closed (EBADF).
   */
  call(op: string, args: Record<string, unknown> = {}): IoReply {
    // Nobody would answer: the call would sleep for good.
    if (this.#closed) throw new SocketError('EBADF', `${op} EBADF: the I/O channel is closed`, op);
    const { data, ...rest } = args;
    const body = data instanceof Uint8Array ? data : undefined;
    if (body !== undefined && body.length > IO_CHUNK) throw new RangeError(`${op}: ${body.length} bytes is more than one call carries`);
    const control = this.#control;
    const head = this.#area.write(JSON.stringify({ op, ...rest }), 0, HEAD_ROOM, 'utf8');
    if (head >= HEAD_ROOM) throw new RangeError(`${op}: the request is too long`);
    if (body !== undefined) this.#area.set(body, HEAD_ROOM);
    control[HEAD] = head;
    control[BODY] = body?.length ?? 0;
    Atomics.store(control, REPLY, 0);
    Atomics.store(control, REQUEST, 1);
    Atomics.notify(control, REQUEST);
    this.#inCall = true;
    this.#spinner.waitFor(control, REPLY);
    this.#inCall = false;
    const message = JSON.parse(this.#area.toString('utf8', 0, control[HEAD])) as Omit<IoReply, 'data'> & { data?: boolean };
    if (message.error) throw SocketError.from(message.error);
    // A copy: the area is written over by the next call.
    const received = message.data ? Buffer.from(this.#area.subarray(HEAD_ROOM, HEAD_ROOM + control[BODY])) : undefined;
    return { ...message, data: received };
  }
}

/**
 * Waits for a flag of the shared memory to be 1: checks it for a moment, then sleeps on it. A check
 * that finds nothing shortens the next one (a quarter, down to MIN_SPIN_MS), since on a loaded
 * machine the other thread may need this very core to answer; one that succeeds, or every 128th, is
 * SPIN_MS long again.
 * io-worker.js holds the same logic in plain JavaScript. Exported for its tests.
 */
export class Spinner {
  #ms = SPIN_MS;
  #checks = 0;

  /** Returns once `control[index]` is 1, the calling thread blocked until then. */
  waitFor(control: Int32Array, index: number): void {
    if (this.spin(control, index)) return;
    // Atomics.wait returns on any notify of the word, whatever it holds: the other thread's notify
    // for the previous flag may come late, after the flag itself was seen and the next call made.
    while (Atomics.load(control, index) !== 1) Atomics.wait(control, index, 0);
  }

  /** True once `control[index]` is 1, checked for up to the current spin. */
  spin(control: Int32Array, index: number): boolean {
    if (Atomics.load(control, index) === 1) return true;
    if (++this.#checks % 128 === 0) this.#ms = SPIN_MS;
    const until = performance.now() + this.#ms;
    while (performance.now() < until) {
      if (Atomics.load(control, index) === 1) {
        this.#ms = SPIN_MS;
        return true;
      }
    }
    this.#ms = Math.max(this.#ms / 4, MIN_SPIN_MS);
    return false;
  }
}

// Kept on globalThis so that re-importing this module (a re-run notebook cell) reuses the worker.
const KEY = Symbol.for('twisted-intro.io-channel');
const GENERATION = Symbol.for('twisted-intro.io-channel.generation');

// Sockets of successive workers are numbered from these bases, so that a socket of a worker
// that was replaced is unknown (EBADF) to the next one, never another socket.
const IDS_PER_WORKER = 1_000_000_000;

/**
 * The calling thread's channel to its I/O worker, started on first use, and started afresh when
 * a call on it was abandoned halfway (the sockets of the old worker are then gone: EBADF).
 */
export function ioChannel(): IoChannel {
  const store = globalThis as { [KEY]?: IoChannel; [GENERATION]?: number };
  const current = store[KEY];
  if (current !== undefined && !current.abandoned) return current;
  void current?.close();
  const generation = (store[GENERATION] = (store[GENERATION] ?? 0) + 1);
  return (store[KEY] = new IoChannel(generation * IDS_PER_WORKER));
}

/**
 * Starts the calling thread's I/O worker now and blocks until it answers, so that the first
 * blocking call does not pay for the start (a program that times its calls starts it first).
 */
export function startIoWorker(): void {
  ioChannel().call('ping');
}
