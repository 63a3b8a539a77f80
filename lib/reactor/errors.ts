// Chapter 03 (the reactor: callLater and its DelayedCall). Tests: test/reactor/clock.test.ts.

/** Raised when cancelling or rescheduling a delayed call that has already run. */
export class AlreadyCalled extends Error {
  override name = 'AlreadyCalled';
}

/** Raised when cancelling or rescheduling a delayed call that was already cancelled. */
export class AlreadyCancelled extends Error {
  override name = 'AlreadyCancelled';
}

/** Raised by `stop()` when the reactor is not running. */
export class ReactorNotRunning extends Error {
  override name = 'ReactorNotRunning';
}

/** Raised by `run()` when the reactor is running already. */
export class ReactorAlreadyRunning extends Error {
  override name = 'ReactorAlreadyRunning';
}

/** A connection attempt was refused: nothing listens at that address. */
export class ConnectionRefusedError extends Error {
  override name = 'ConnectionRefusedError';
}

/**
 * A connection attempt took longer than its timeout: Twisted's `error.TimeoutError`, named apart
 * from the Deferred's `TimeoutError` (Twisted's `defer.TimeoutError`) so one name means one error.
 */
export class ConnectTimeoutError extends Error {
  override name = 'ConnectTimeoutError';
}

/** A host name could not be resolved to an address. */
export class DNSLookupError extends Error {
  override name = 'DNSLookupError';
}

/** A connection could not be made for another reason (unreachable network, ...). */
export class ConnectError extends Error {
  override name = 'ConnectError';
}

/** The connection was closed cleanly: the reason passed to `connectionLost` after a clean close. */
export class ConnectionDone extends Error {
  override name = 'ConnectionDone';
}

/** The connection was lost in a non-clean fashion (reset, aborted, broken). */
export class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

/** A port could not be listened on: in use, or an interface that cannot be bound. */
export class CannotListenError extends Error {
  override name = 'CannotListenError';
  constructor(
    readonly iface: string,
    readonly port: number,
    readonly reason: Error,
  ) {
    super(`Couldn't listen on ${iface}:${port}: ${reason.message}.`);
  }
}

/** The connection was closed at once by this side (`abortConnection`). */
export class ConnectionAborted extends ConnectionLost {
  override name = 'ConnectionAborted';
}

/** A connection attempt was stopped by this side (`Connector.stopConnecting`). */
export class UserError extends Error {
  override name = 'UserError';
}
