// The shared-memory line to the I/O worker: calls larger than one message, and the worker's start.
import { afterEach, describe, expect, it } from 'vitest';
import { IO_CHUNK, ioChannel, startIoWorker } from '../../lib/sockets/io-channel';
import { BlockingServerSocket, BlockingSocket, SocketError } from '../../lib/sockets/index';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const sock of open.splice(0)) sock.close();
});

function pair(): [BlockingSocket, BlockingSocket] {
  const server = BlockingServerSocket.listen('127.0.0.1', 0);
  const client = BlockingSocket.connect('127.0.0.1', server.getsockname()[1]);
  const [accepted] = server.accept();
  open.push(server, client, accepted);
  return [client, accepted];
}

describe('the I/O channel', () => {
  it('starts the worker on demand and answers a ping', () => {
    startIoWorker();
    expect(ioChannel().call('ping')).toEqual({ data: undefined });
  });

  it('sends more than one message holds in parts, in order, and recv returns at most one message', () => {
    const [client, server] = pair();
    const payload = Buffer.alloc(2 * IO_CHUNK + 12_345);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 13) % 251;
    client.sendall(payload);
    client.sendall('');
    client.close();
    const chunks: Buffer[] = [];
    for (let data = server.recv(4 * IO_CHUNK); data.length > 0; data = server.recv(4 * IO_CHUNK)) {
      expect(data.length).toBeLessThanOrEqual(IO_CHUNK);
      chunks.push(data);
    }
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('reports an unknown operation as a SocketError, and goes on serving', () => {
    expect(() => ioChannel().call('frobnicate')).toThrow(SocketError);
    expect(() => ioChannel().call('frobnicate')).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    const [client, server] = pair();
    client.sendall('still here');
    expect(server.recv(100).toString()).toBe('still here');
  });
});
