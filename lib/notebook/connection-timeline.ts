// Chapter 17: a client's connections on a Timeline (download, then transform), recorded from
// outside the client, so its code stays the lesson (tested in test/notebook/connection-timeline.test.ts).
import type { Failure } from '../defer/failure';
import type { IClientFactory, IConnector, IProtocol, IReactorTCP } from '../reactor/interfaces';
import type { Timeline } from '../timing/timeline';

/** Where a connection is drawn: its task (the colour) and its lane (the row). */
export interface ConnectionName {
  task: string;
  lane: string;
}

/**
 * Names a new connection to `port`. `cause` is the task of the connection whose end is being
 * handled while this one is made (a transform that starts when its download ends); when none is
 * (an async function resumes a microtask after the end), the task of the last connection that
 * ended; undefined before any has. Return undefined to leave the connection out of the figure.
 */
export type NameConnection = (port: number, cause: string | undefined) => ConnectionName | undefined;

/**
 * A view of `reactor` whose `connectTCP` records each connection on `timeline`: a waiting span
 * from the connect call until the connection is lost or fails, and a tick per chunk received.
 * Everything else goes to `reactor` itself, so a client runs on the view as on the reactor.
 * @throws TypeError when `name` is not a function.
 */
export function recordConnections<R extends IReactorTCP>(reactor: R, timeline: Timeline, name: NameConnection): R {
  if (typeof name !== 'function') {
    throw new TypeError(`Expected \`name\` to be a function, got \`${String(name)}\` (${typeof name})`);
  }
  let ending: string | undefined; // the task whose connection's end is being handled now
  let ended: string | undefined; // the task whose connection ended last

  /** Runs `fn` with `task` as the cause of any connection it makes. */
  const during = <T>(task: string, fn: () => T): T => {
    const outer = ending;
    ending = task;
    try {
      return fn();
    } finally {
      ending = outer;
    }
  };

  const connectTCP = (host: string, port: number, factory: IClientFactory, timeoutSeconds?: number): IConnector => {
    const named = name(port, ending ?? ended);
    if (named === undefined) return reactor.connectTCP(host, port, factory, timeoutSeconds);
    const { task, lane } = named;
    const start = timeline.now() + timeline.origin;
    let done = false;
    const finish = (): void => {
      if (!done) timeline.addSpan(task, 'wait', start, timeline.now() + timeline.origin, { lane });
      done = true;
      ended = task;
    };
    const buildProtocol = factory.buildProtocol.bind(factory);
    factory.buildProtocol = (address) => {
      const protocol: IProtocol | null = buildProtocol(address);
      if (protocol === null) return protocol;
      const dataReceived = protocol.dataReceived.bind(protocol);
      const connectionLost = protocol.connectionLost.bind(protocol);
      protocol.dataReceived = (data: Buffer) => {
        timeline.chunk(task, data.length, { lane });
        during(task, () => dataReceived(data));
      };
      protocol.connectionLost = (reason: Failure) => {
        finish();
        during(task, () => connectionLost(reason));
      };
      return protocol;
    };
    const failed = factory.clientConnectionFailed.bind(factory);
    factory.clientConnectionFailed = (connector: IConnector, reason: Failure) => {
      finish();
      during(task, () => failed(connector, reason));
    };
    return reactor.connectTCP(host, port, factory, timeoutSeconds);
  };

  return new Proxy(reactor, {
    get(target, property) {
      if (property === 'connectTCP') return connectTCP;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
