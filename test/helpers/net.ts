// Plain Node sockets for checking what the programs under test send.
import * as net from 'node:net';
import { Worker } from 'node:worker_threads';
import { startProgram } from './programs';
import { twistedPython } from './twisted';

/** Connects to 127.0.0.1:port and collects everything until the server closes. */
export function fetchAll(port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', reject);
  });
}

/** Connects, reads `bytes` bytes, then disconnects abruptly (a reset). */
export function readSomeAndVanish(port: number, bytes: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = 0;
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('data', (chunk) => {
      got += chunk.length;
      if (got >= bytes) {
        socket.resetAndDestroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

/** A port that was free a moment ago (bound, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP server holding `port` until closed (to provoke EADDRINUSE). */
export function occupy(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = net.createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

/**
 * A server on another thread (so it runs while this one is blocked) that waits `delayMs` after a
 * client connects, then sends `payload` and closes. Resolves with its port and a stopper.
 */
export function delayedSender(delayMs: number, payload: string): Promise<{ port: number; stop: () => Promise<number> }> {
  const worker = new Worker(
    `const net = require('node:net');
     const { parentPort, workerData } = require('node:worker_threads');
     const server = net.createServer((socket) => {
       setTimeout(() => socket.end(workerData.payload), workerData.delayMs);
     });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
     parentPort.on('message', () => server.close(() => process.exit(0)));`,
    { eval: true, workerData: { delayMs, payload } },
  );
  return new Promise((resolve) =>
    worker.once('message', (port: number) =>
      resolve({
        port,
        stop: () => {
          worker.postMessage('stop');
          return new Promise((done) => worker.once('exit', done));
        },
      }),
    ),
  );
}

/**
 * A listener whose accept queue is full: Python listening with backlog 0, never accepting, and
 * one client of its own already waiting in the queue. The kernel drops the next SYN, so a connect
 * hangs until its timeout. Stop it with `close`.
 */
export async function fullQueue(): Promise<{ port: number; close: () => Promise<unknown> }> {
  const python = await startProgram(twistedPython(), [
    '-c',
    'import socket,time\ns=socket.socket();s.bind(("127.0.0.1",0));s.listen(0)\np=s.getsockname()[1]\n' +
      'c=socket.create_connection(("127.0.0.1",p))\nprint("Full on port %d." % p,flush=True);time.sleep(60)',
  ]);
  return { port: python.port, close: () => python.stop('SIGKILL') };
}
