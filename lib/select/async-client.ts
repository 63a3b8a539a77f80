// Chapter 02: the asynchronous poetry client, one select loop over every socket
// (tested in test/cli/get-poetry-async.test.ts).
import type { ClientOptions, ClientResult } from '../blocking/index';
import { type Address, formatAddress, NonBlockingSocket, select, WouldBlockError } from '../sockets/index';
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
 * total is about the slowest server's time.
 * @throws SocketError when a connection fails (the other sockets are closed first).
 */
export async function asyncClient(addresses: readonly Address[], options: ClientOptions = {}): Promise<ClientResult> {
  const log = options.log ?? console.log;
  const now = options.now ?? wallSeconds;
  const start = now();
  const sockets = addresses.map(([host, port]) => NonBlockingSocket.connect(host, port));
  const poems = sockets.map((): Buffer[] => []);
  const times = sockets.map(() => 0);
  let waiting = [...sockets];
  try {
    while (waiting.length > 0) {
      const [readable] = await select(waiting, []);
      for (const sock of readable) {
        const i = sockets.indexOf(sock);
        const [data, ended] = readAvailable(sock);
        if (data.length > 0) {
          options.timeline?.chunk(`Task ${i + 1}`, data.length);
          log(`Task ${i + 1}: got ${data.length} bytes of poetry from ${formatAddress(addresses[i])}`);
          poems[i].push(data);
        }
        if (ended) {
          waiting = waiting.filter((s) => s !== sock);
          sock.close();
          times[i] = now() - start;
          log(`Task ${i + 1} finished`);
        }
      }
    }
  } finally {
    for (const sock of sockets) sock.close();
  }
  const elapsed = now() - start;
  const result = poems.map((chunks) => Buffer.concat(chunks));
  result.forEach((poem, i) => log(`Task ${i + 1}: ${poem.length} bytes of poetry`));
  log(`Got ${addresses.length} poems in ${formatElapsed(elapsed)}`);
  return { poems: result, times, elapsed };
}
