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
 * One worker per thread does the I/O of every blocking socket of that thread. `call` writes the
 * request into memory shared with the worker, wakes it (`Atomics.notify`) and parks the calling
 * thread in `Atomics.wait` until the worker has written the reply and woken it back: the thread
 * is blocked for real, timers and I/O callbacks included, as a thread in `recv(2)` is. No
 * message is posted either way, so a round trip costs two wake-ups (tens of microseconds).
 */
class IoChannel {
  readonly #control: Int32Array;
  readonly #area: Buffer;
  readonly #worker: Worker;

  constructor() {
    const shared = new SharedArrayBuffer(AREA + HEAD_ROOM + IO_CHUNK);
    this.#control = new Int32Array(shared, 0, 4);
    this.#area = Buffer.from(shared, AREA);
    this.#worker = new Worker(path.join(__dirname, 'io-worker.js'), { workerData: { shared, area: AREA } });
    // The worker may not keep a finished program alive.
    this.#worker.unref();
  }

  /**
   * Runs one operation in the worker and blocks until it is done. A `data` argument (bytes to
   * send) travels as raw bytes, at most IO_CHUNK of them.
   * @throws SocketError when the operation failed.
   */
  call(op: string, args: Record<string, unknown> = {}): IoReply {
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
    Atomics.wait(control, REPLY, 0);
    const message = JSON.parse(this.#area.toString('utf8', 0, control[HEAD])) as Omit<IoReply, 'data'> & { data?: boolean };
    if (message.error) throw SocketError.from(message.error);
    // A copy: the area is written over by the next call.
    const received = message.data ? Buffer.from(this.#area.subarray(HEAD_ROOM, HEAD_ROOM + control[BODY])) : undefined;
    return { ...message, data: received };
  }
}

// Kept on globalThis so that re-importing this module (a re-run notebook cell) reuses the worker.
const KEY = Symbol.for('twisted-intro.io-channel');

/** The calling thread's channel to its I/O worker, started on first use. */
export function ioChannel(): IoChannel {
  const store = globalThis as { [KEY]?: IoChannel };
  return (store[KEY] ??= new IoChannel());
}

/**
 * Starts the calling thread's I/O worker now and blocks until it answers, so that the first
 * blocking call does not pay for the start (a program that times its calls starts it first).
 */
export function startIoWorker(): void {
  ioChannel().call('ping');
}
