// Chapter 02: the asynchronous poetry client, one select loop over every socket
// (tested in test/cli/get-poetry-async.test.ts).
import type { ClientOptions, ClientResult } from '../blocking/client';
import { poemFailedLine, poemLimits, PoemTooLongError } from '../blocking/poem-limits';
import { type Address, formatAddress, NonBlockingSocket, select, SocketError, SocketTimeoutError, WouldBlockError } from '../sockets/index';
import { formatElapsed, wallSeconds } from '../timing/index';

/**
 * Reads everything `sock` has for us now: until `recv` would block, or the end of the stream.
 * Returns the bytes and whether the stream has ended.
 */
export function readAvailable(sock: NonBlockingSocket): [Buffer, boolean] {
  const chunks: Buffer[] = [];
  for (;;) {
    let data: Buffer;
    try {
      data = sock.recv(1024);
    } catch (error) {
      if (error instanceof WouldBlockError) return [Buffer.concat(chunks), false];
      throw error;
    }
    if (data.length === 0) return [Buffer.concat(chunks), true];
    chunks.push(data);
  }
}

/**
 * Gets all the poems at once: one loop waits in `select` for whichever socket has data, reads
 * what that socket has without blocking, and goes round again. Prints as the original does; the
 * total is about the slowest server's time. A poem that fails (the connection breaks, the
 * server sends more than `maxBytes` or nothing for `timeout` seconds) is reported on `logError`
 * and its socket closed; the others go on.
 * @throws TypeError when the limits are malformed.
 */
export async function asyncClient(addresses: readonly Address[], options: ClientOptions = {}): Promise<ClientResult> {
  const log = options.log ?? console.log;
  const logError = options.logError ?? console.error;
  const now = options.now ?? wallSeconds;
  const { maxBytes, timeout } = poemLimits(options);
  const start = now();
  const sockets = addresses.map(([host, port]) => NonBlockingSocket.connect(host, port));
  const poems = sockets.map((): Buffer[] => []);
  const sizes = sockets.map(() => 0);
  const times = sockets.map(() => 0);
  const errors: Array<Error | undefined> = sockets.map(() => undefined);
  // When each socket last had news, for the timeout.
  const heard = sockets.map(() => start);
  let waiting = [...sockets];
  const finish = (i: number, error?: Error): void => {
    waiting = waiting.filter((s) => s !== sockets[i]);
    sockets[i].close();
    times[i] = now() - start;
    errors[i] = error;
    if (error === undefined) log(`Task ${i + 1} finished`);
    else logError(poemFailedLine(formatAddress(addresses[i]), error.message));
  };
  try {
    while (waiting.length > 0) {
      // select's timeout: until the first waiting socket has been silent for `timeout` seconds.
      const silentSince = Math.min(...waiting.map((s) => heard[sockets.indexOf(s)]));
      const wait = timeout === null ? undefined : Math.max(0, silentSince + timeout - now());
      const [readable] = await select(waiting, [], wait);
      for (const sock of readable) {
        const i = sockets.indexOf(sock);
        let data: Buffer;
        let ended: boolean;
        try {
          [data, ended] = readAvailable(sock);
        } catch (error) {
          if (!(error instanceof SocketError)) throw error;
          finish(i, error);
          continue;
        }
        heard[i] = now();
        sizes[i] += data.length;
        if (data.length > 0) {
          options.timeline?.chunk(`Task ${i + 1}`, data.length);
          log(`Task ${i + 1}: got ${data.length} bytes of poetry from ${formatAddress(addresses[i])}`);
          poems[i].push(data);
        }
        if (sizes[i] > maxBytes) {
          poems[i] = [];
          finish(i, new PoemTooLongError(formatAddress(addresses[i]), maxBytes));
        } else if (ended) {
          finish(i);
        }
      }
      for (const sock of waiting) {
        const i = sockets.indexOf(sock);
        if (timeout !== null && now() - heard[i] >= timeout) finish(i, timedOut(sock, addresses[i], timeout));
      }
    }
  } finally {
    for (const sock of sockets) sock.close();
  }
  const elapsed = now() - start;
  const result = poems.map((chunks) => Buffer.concat(chunks));
  result.forEach((poem, i) => errors[i] ?? log(`Task ${i + 1}: ${poem.length} bytes of poetry`));
  log(`Got ${errors.filter((error) => error === undefined).length} poems in ${formatElapsed(elapsed)}`);
  return { poems: result, times, elapsed, errors };
}

/** The error of a socket that had no news for `timeout` seconds, worded as BlockingSocket's. */
function timedOut(sock: NonBlockingSocket, address: Address, timeout: number): SocketTimeoutError {
  const where = formatAddress(address);
  return sock.connected
    ? new SocketTimeoutError(`recv ETIMEDOUT: nothing from ${where} for ${timeout} s`, 'recv')
    : new SocketTimeoutError(`connect ETIMEDOUT: no connection to ${where} for ${timeout} s`, 'connect');
}
