// Connected pairs of non-blocking sockets on loopback, closed after each test.
import { NonBlockingServerSocket, NonBlockingSocket, select } from '../../lib/sockets/index';

const open: Array<{ close(): void }> = [];

/** Closes everything `listen`/`connectedPair` opened (use in afterEach). */
export function closeAll(): void {
  for (const sock of open.splice(0)) sock.close();
}

export async function listen(): Promise<NonBlockingServerSocket> {
  const server = await NonBlockingServerSocket.listen('127.0.0.1', 0);
  open.push(server);
  return server;
}

export function connect(port: number): NonBlockingSocket {
  const sock = NonBlockingSocket.connect('127.0.0.1', port);
  open.push(sock);
  return sock;
}

/** A client and the server side of its connection, both connected. */
export async function connectedPair(): Promise<[NonBlockingSocket, NonBlockingSocket]> {
  const server = await listen();
  const client = connect(server.getsockname()[1]);
  await select([server], [client]);
  await select([server], []);
  const [accepted] = server.accept();
  open.push(accepted);
  await select([], [client]);
  return [client, accepted];
}

/** Waits until `sock` is readable and receives up to `n` bytes. */
export async function recvWhenReady(sock: NonBlockingSocket, n = 65536): Promise<Buffer> {
  await select([sock], [], 5);
  return sock.recv(n);
}
