// Chapter 02: the synchronous line to the I/O worker (tested in test/sockets/blocking-socket.test.ts).
import * as path from 'node:path';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { SocketError } from './errors';

/** What the worker answers: fields of the operation's result, or an error to throw. */
export interface IoReply {
  readonly id?: number;
  readonly data?: Uint8Array;
  readonly peer?: [string, number];
  readonly local?: [string, number];
  readonly error?: { code: string; syscall?: string; message: string };
}

/**
 * One worker per thread does the I/O of every blocking socket of that thread. `call` posts a
 * request and parks the calling thread in `Atomics.wait` until the worker answers: the thread is
 * blocked for real, timers and I/O callbacks included, as a thread in `recv(2)` is.
 */
class IoChannel {
  readonly #port: MessagePort;
  // Word 0 is 0 while a request is in flight and 1 once its reply has been posted.
  readonly #flag = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(path.join(__dirname, 'io-worker.js'), {
      workerData: { port: port2, signal: this.#flag.buffer },
      transferList: [port2],
    });
    // Neither the worker nor its port may keep a finished program alive.
    worker.unref();
    port1.unref();
    this.#port = port1;
  }

  /**
   * Runs one operation in the worker and blocks until it is done.
   * @throws SocketError when the operation failed.
   */
  call(op: string, args: Record<string, unknown> = {}): IoReply {
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage({ op, ...args });
    Atomics.wait(this.#flag, 0, 0);
    const reply = receiveMessageOnPort(this.#port)?.message as IoReply | undefined;
    if (reply === undefined) throw new SocketError('EIO', `${op}: the I/O worker gave no reply`);
    if (reply.error) throw SocketError.from(reply.error);
    return reply;
  }
}

// Kept on globalThis so that re-importing this module (a re-run notebook cell) reuses the worker.
const KEY = Symbol.for('twisted-intro.io-channel');

/** The calling thread's channel to its I/O worker, started on first use. */
export function ioChannel(): IoChannel {
  const store = globalThis as { [KEY]?: IoChannel };
  return (store[KEY] ??= new IoChannel());
}
