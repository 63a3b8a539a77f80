// The sockets layer: blocking and non-blocking BSD-style sockets for Node (chapters 02 and 04).
export { type Address, DEFAULT_HOST, formatAddress, formatAddressTuple, parseAddress, parsePort } from './address';
export { BlockingServerSocket, BlockingSocket } from './blocking-socket';
export { SocketError, SocketTimeoutError, WouldBlockError } from './errors';
export { startIoWorker } from './io-channel';
export { NonBlockingServerSocket, NonBlockingSocket, READ_AHEAD, SEND_BUFFER } from './nonblocking-socket';
export { POLLIN, POLLOUT, Poller } from './poller';
export { measureBlockingRoundTrip } from './round-trip';
export { select } from './select';
export { Selectable } from './selectable';
export { sleep } from './sleep';
