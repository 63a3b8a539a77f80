// Chapter 02: the helper thread behind BlockingSocket (tested in test/sockets/blocking-socket.test.ts).
//
// Node has no blocking sockets, so a blocking call is split in two: the calling thread posts a
// request here and sleeps in Atomics.wait; this worker does the I/O on its own event loop, posts
// the reply and wakes the caller. Plain JavaScript on purpose: a worker is started by Node itself,
// outside tsx, vitest and tslab, so it cannot be TypeScript.
'use strict';

const net = require('node:net');
const { workerData } = require('node:worker_threads');

/** Bytes read ahead per socket before the worker stops reading (TCP flow control takes over). */
const READ_AHEAD = 64 * 1024;

const { port, signal } = workerData;
const flag = new Int32Array(signal);

/** Open sockets and servers by id; ids are never reused. */
const handles = new Map();
let nextId = 1;

function reply(message) {
  port.postMessage(message);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function failure(err) {
  return { error: { code: err.code || 'EIO', syscall: err.syscall, message: err.message } };
}

/** Wraps a connected net.Socket: buffers what arrives until the owner asks for it with recv. */
function adopt(socket) {
  const state = { kind: 'socket', socket, chunks: [], buffered: 0, ended: false, error: null, waiter: null };
  socket.on('data', (chunk) => {
    state.chunks.push(chunk);
    state.buffered += chunk.length;
    if (state.buffered >= READ_AHEAD) socket.pause();
    wake(state);
  });
  socket.on('end', () => {
    state.ended = true;
    wake(state);
  });
  socket.on('error', (err) => {
    state.error = err;
    wake(state);
  });
  socket.on('close', () => {
    state.ended = true;
    wake(state);
  });
  const id = nextId++;
  handles.set(id, state);
  return id;
}

function wake(state) {
  const waiter = state.waiter;
  if (waiter && (state.buffered > 0 || state.ended || state.error)) {
    state.waiter = null;
    waiter();
  }
}

function take(state, n) {
  if (state.buffered === 0) {
    if (state.error) return failure(state.error);
    return { data: new Uint8Array(0) };
  }
  const all = state.chunks.length === 1 ? state.chunks[0] : Buffer.concat(state.chunks);
  const data = all.subarray(0, n);
  const rest = all.subarray(n);
  state.chunks = rest.length > 0 ? [rest] : [];
  state.buffered = rest.length;
  if (state.buffered < READ_AHEAD && !state.ended) state.socket.resume();
  return { data };
}

// Python's settimeout, worker side: a request may carry `timeout` (seconds, or null to wait
// forever). If the operation has not answered by then, `giveUp` undoes its waiting and the caller
// gets ETIMEDOUT; the socket itself stays as it was (Python's socket.timeout). Returns `done`,
// which the operation calls when it answers in time.
function deadline({ op, timeout }, describe, giveUp) {
  if (timeout === undefined || timeout === null) return () => {};
  const timer = setTimeout(() => {
    giveUp();
    const err = Object.assign(new Error(`${op} ETIMEDOUT: ${describe} for ${timeout} s`), { code: 'ETIMEDOUT', syscall: op });
    reply(failure(err));
  }, timeout * 1000);
  return () => clearTimeout(timer);
}

function addresses(socket) {
  return {
    peer: [socket.remoteAddress, socket.remotePort],
    local: [socket.localAddress, socket.localPort],
  };
}

const ops = {
  connect(request) {
    const { host, port: p } = request;
    const socket = net.connect({ host, port: p });
    const done = deadline(request, `no connection to ${host}:${p}`, () => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
    });
    socket.once('connect', () => {
      done();
      socket.removeAllListeners('error');
      reply({ id: adopt(socket), ...addresses(socket) });
    });
    socket.once('error', (err) => {
      done();
      reply(failure(err));
    });
  },

  listen({ host, port: p, backlog }) {
    const server = net.createServer({ pauseOnConnect: true });
    const state = { kind: 'server', server, pending: [], waiter: null };
    server.on('connection', (socket) => {
      // A client may give up while it waits in the queue; that must not kill the worker.
      socket.on('error', () => {});
      state.pending.push(socket);
      if (state.waiter) {
        const waiter = state.waiter;
        state.waiter = null;
        waiter();
      }
    });
    server.once('error', (err) => reply(failure(err)));
    server.listen({ host, port: p, backlog, exclusive: true }, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      const id = nextId++;
      handles.set(id, state);
      const address = server.address();
      reply({ id, local: [address.address, address.port] });
    });
  },

  // Binds and closes at once: lets a caller on another thread learn synchronously whether an
  // address can be listened on, and which port 0 stands for (see NonBlockingServerSocket.bind).
  probe({ host, port: p }) {
    const server = net.createServer();
    server.once('error', (err) => reply(failure(err)));
    server.listen({ host, port: p, exclusive: true }, () => {
      const address = server.address();
      server.close(() => reply({ local: [address.address, address.port] }));
    });
  },

  accept(request) {
    const state = handles.get(request.id);
    const next = () => {
      done();
      const socket = state.pending.shift();
      socket.resume();
      reply({ id: adopt(socket), ...addresses(socket) });
    };
    let done = () => {};
    if (state.pending.length > 0) return next();
    done = deadline(request, 'no client', () => (state.waiter = null));
    state.waiter = next;
  },

  recv(request) {
    const { id, n } = request;
    const state = handles.get(id);
    if (state.buffered > 0 || state.ended || state.error) return reply(take(state, n));
    const { remoteAddress, remotePort } = state.socket;
    const done = deadline(request, `nothing from ${remoteAddress}:${remotePort}`, () => (state.waiter = null));
    state.waiter = () => {
      done();
      reply(take(state, n));
    };
  },

  sendall(request) {
    const { id, data } = request;
    const state = handles.get(id);
    if (state.error) return reply(failure(state.error));
    if (state.socket.writableEnded || state.socket.destroyed) {
      return reply(failure(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' })));
    }
    let replied = false;
    state.socket.write(data, (err) => {
      if (replied) return;
      replied = true;
      done();
      reply(err ? failure(err) : {});
    });
    // Usually the kernel takes it all at once: answer now, as send(2) would; an error then
    // shows on the next call, as it does with a real socket.
    if (state.socket.writableLength === 0) {
      replied = true;
      return reply({});
    }
    // Python's sendall after a timeout: some of the data may have gone, the rest still goes.
    const done = deadline(request, 'the peer took no data', () => (replied = true));
  },

  close({ id }) {
    const state = handles.get(id);
    handles.delete(id);
    if (state === undefined) return reply({});
    if (state.kind === 'server') {
      for (const socket of state.pending) socket.destroy();
      state.server.close();
    } else {
      // Like close(2): data already sent still goes out, then FIN; nothing more is read.
      state.socket.removeAllListeners('data');
      state.socket.resume();
      state.socket.end(() => state.socket.destroy());
      state.socket.on('error', () => {});
    }
    reply({});
  },
};

port.on('message', (request) => {
  try {
    ops[request.op](request);
  } catch (err) {
    reply(failure(err));
  }
});
