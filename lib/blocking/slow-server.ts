// Chapter 02: the slow poetry server, blocking edition (tested in test/cli/slowpoetry.test.ts).
import { type BlockingServerSocket, type BlockingSocket, formatAddressTuple, SocketError, sleep } from '../sockets/index';

/** How the poem is served: `numBytes` at a time, `delay` seconds apart. */
export interface SlowPoetryOptions {
  numBytes: number;
  delay: number;
  /** Where progress lines go (default: console.log). */
  log?: (line: string) => void;
}

/**
 * Sends `poem` to one client, `numBytes` every `delay` seconds, then closes the socket. A client
 * that goes away mid-poem ends the sending early; the error is not the server's.
 */
export function sendPoetry(sock: BlockingSocket, poem: Uint8Array, options: SlowPoetryOptions): void {
  const log = options.log ?? console.log;
  try {
    for (let offset = 0; offset < poem.length; offset += options.numBytes) {
      const chunk = poem.subarray(offset, offset + options.numBytes);
      log(`Sending ${chunk.length} bytes`);
      sock.sendall(chunk);
      // `delay` after each send, as the original's time.sleep(delay): the schedule drifts by
      // each send's and wake-up's lateness (the reactor edition keeps start + k * delay).
      sleep(options.delay);
    }
  } catch (error) {
    if (!(error instanceof SocketError)) throw error;
  } finally {
    sock.close();
  }
}

/**
 * Serves `poem` forever, one client at a time: while one is being served, the others wait in
 * the listen queue. Every call here blocks the thread, as the original's do.
 */
export function serve(listenSocket: BlockingServerSocket, poem: Uint8Array, options: SlowPoetryOptions): never {
  const log = options.log ?? console.log;
  for (;;) {
    const [sock, address] = listenSocket.accept();
    log(`Somebody at ${formatAddressTuple(address)} wants poetry!`);
    sendPoetry(sock, poem, options);
  }
}
