// Chapter 02: the helper thread behind BlockingSocket (tested in test/sockets/blocking-socket.test.ts).
//
// Node has no blocking sockets, so a blocking call is split in two: the calling thread writes a
// request into memory shared with this worker and sleeps in Atomics.wait; this worker, woken by
// Atomics.waitAsync, does the I/O on its own event loop, writes the reply into the same memory
// and wakes the caller with Atomics.notify. Plain JavaScript on purpose: a worker is started by
// Node itself, outside tsx, vitest and tslab, so it cannot be TypeScript. The layout of the
// shared memory is io-channel.ts's.
'use strict';

const net = require('node:net');
const { workerData } = require('node:worker_threads');

/** Bytes read ahead per socket before the worker stops reading (TCP flow control takes over). */
const READ_AHEAD = 64 * 1024;

const REQUEST = 0;
const REPLY = 1;
const HEAD = 2;
const BODY = 3;
const HEAD_ROOM = 4096;
// io-channel.ts's SPIN_MS and MIN_SPIN_MS: how long the worker checks for the next request after
// a reply before it waits asynchronously (a caller making call after call then finds it awake).
const SPIN_MS = 0.05;
const MIN_SPIN_MS = 0.01;

const { shared, area: areaOffset } = workerData;
const control = new Int32Array(shared, 0, 4);
const area = Buffer.from(shared, areaOffset);
const maxBody = area.length - HEAD_ROOM;

/** Open sockets and servers by id; ids are never reused. */
const handles = new Map();
let nextId = workerData.firstId ?? 1;

/** Writes the reply (its data, if any, as raw bytes) and wakes the caller. */
function reply(message) {
  const { data, ...rest } = message;
  let body = 0;
  if (data !== undefined) {
    body = Math.min(data.length, maxBody);
    area.set(data.subarray(0, body), HEAD_ROOM);
    rest.data = true;
  }
  control[HEAD] = area.write(JSON.stringify(rest), 0, HEAD_ROOM, 'utf8');
  control[BODY] = body;
  Atomics.store(control, REPLY, 1);
  Atomics.notify(control, REPLY);
  answered = true;
  if (awaitingReply) {
    // The operation answered from an event (data arrived, a client came): take requests again.
    awaitingReply = false;
    serve();
  }
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

/** The socket numbered `id`. @throws EBADF when there is none (closed, or another worker's). */
function stateOf(id) {
  const state = handles.get(id);
  if (state === undefined) {
    throw Object.assign(new Error(`EBADF: no socket ${id} here (closed, or lost when a call on it was interrupted)`), { code: 'EBADF' });
  }
  return state;
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
  // Answers at once: the caller knows the worker is up.
  ping() {
    reply({});
  },

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
    const state = stateOf(request.id);
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
    const { id, n: asked } = request;
    const n = Math.min(asked, maxBody); // as recv(2), fewer bytes than asked is an answer
    const state = stateOf(id);
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
    const state = stateOf(id);
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

/** Reads the request the caller wrote, copying its data out (the memory is reused for the reply). */
function readRequest() {
  const request = JSON.parse(area.toString('utf8', 0, control[HEAD]));
  request.data = Buffer.from(area.subarray(HEAD_ROOM, HEAD_ROOM + control[BODY]));
  return request;
}

// The request under way has been answered; an operation that answers later, from an event,
// sets awaitingReply, and the caller sends nothing until then.
let answered = true;
let awaitingReply = false;

// io-channel.ts's Spinner: a check that finds nothing shortens the next one (a quarter, down to
// MIN_SPIN_MS), one that succeeds, or every 128th, is SPIN_MS long again.
let spinMs = SPIN_MS;
let checks = 0;

/** True once the caller has written a request, checked for up to the current spin. */
function requestSoon() {
  if (Atomics.load(control, REQUEST) === 1) return true;
  if (++checks % 128 === 0) spinMs = SPIN_MS;
  const until = performance.now() + spinMs;
  while (performance.now() < until) {
    if (Atomics.load(control, REQUEST) === 1) {
      spinMs = SPIN_MS;
      return true;
    }
  }
  spinMs = Math.max(spinMs / 4, MIN_SPIN_MS);
  return false;
}

/** Handles requests as they come, until one is answered later (see reply) or none comes soon. */
function serve() {
  // Call after call is served in this loop; now and then the worker's event loop gets a turn, so
  // that what arrives on other sockets is taken in meanwhile.
  const started = performance.now();
  for (;;) {
    if (performance.now() - started > 2) {
      setImmediate(serve);
      return;
    }
    if (!requestSoon()) {
      const waiting = Atomics.waitAsync(control, REQUEST, 0);
      if (waiting.async) {
        waiting.value.then(serve);
        return;
      }
    }
    // The caller waits for the reply before it writes another request: one is in hand at most.
    Atomics.store(control, REQUEST, 0);
    answered = false;
    try {
      const request = readRequest();
      const op = ops[request.op];
      if (op === undefined) throw Object.assign(new Error(`unknown operation ${request.op}`), { code: 'EINVAL' });
      op(request);
    } catch (err) {
      if (!answered) reply(failure(err));
    }
    if (!answered) {
      awaitingReply = true;
      return;
    }
  }
}

// A pending Atomics.waitAsync does not keep a worker's event loop alive; this timer does (the
// owning thread unrefs the worker, so it never keeps the program alive).
setInterval(() => {}, 2 ** 30);
serve();
