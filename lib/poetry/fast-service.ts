// Chapter 16: the fast poetry server 2.0 built as an application, as the original's fastpoetry
// plugin and .tac file build it: a PoetryService that loads the poem when it starts and lets
// the poems under way finish when it stops, beside a TCPServer, under one MultiService (tested
// in test/poetry/fast-service.test.ts).
import { readFileSync } from 'node:fs';
import { TCPServer } from '../application/internet';
import { isLogging, msg } from '../log/index';
import { MultiService, Service } from '../application/service';
import type { Deferred } from '../defer/deferred';
import { ServerFactory } from '../protocol/factory';
import type { IReactorTCP, IReactorTime } from '../reactor/interfaces';
import { DEFAULT_GRACE_SECONDS, drain, LoggingFastPoetryProtocol, OpenConnections } from './daemon';

/** PoetryService's options. */
export interface PoetryServiceOptions {
  /** How long the poems under way may take once the service stops (default 10 s). */
  graceSeconds?: number;
  /** Times the grace period (default: the global reactor's clock, through `drain`). */
  clock?: IReactorTime;
}

/**
 * Holds the poem and the connections under way. `startService` reads the poem file (so a
 * restarted service serves the file as it is now); `stopService` waits for the poems under way,
 * aborts those not done after the grace period, and fires when none is left.
 */
export class PoetryService extends Service {
  /** The poem's bytes, once started. */
  poem: Uint8Array = new Uint8Array(0);
  /** The clients being served, counted by the factory's protocols. */
  readonly connections = new OpenConnections();

  constructor(
    readonly poetryFile: string,
    readonly options: PoetryServiceOptions = {},
  ) {
    super();
  }

  /** Loads the poem. @throws Error (from readFileSync) when the file cannot be read. */
  override startService(): void {
    this.poem = readFileSync(this.poetryFile);
    super.startService();
    msg(`Loaded a poem from ${this.poetryFile}`);
  }

  /** @returns a Deferred that fires with the number of connections aborted, once none is open. */
  override stopService(): Deferred<number> {
    super.stopService();
    const under = this.connections.count;
    if (under > 0) msg(`Finishing ${under} poem(s) under way`);
    const grace = this.options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
    return drain(this.connections, grace, this.options.clock).addCallback((aborted) => {
      if (aborted > 0) msg(`Aborted ${aborted} connection(s) still open after the grace period of ${grace} s`);
      return aborted;
    });
  }
}

/**
 * Builds a LoggingFastPoetryProtocol per client, serving its service's poem and counting the
 * connection in its service, as the original's PoetryFactory reaches `self.service.poem`.
 */
export class PoetryServiceFactory extends ServerFactory {
  override protocol = LoggingFastPoetryProtocol;

  constructor(readonly service: PoetryService) {
    super();
  }

  get poem(): Uint8Array {
    return this.service.poem;
  }

  get connections(): OpenConnections {
    return this.service.connections;
  }

  /** Where the protocol's line per client goes: the service log, or nowhere (no line built) when nobody listens. */
  get log(): ((line: string) => void) | undefined {
    return isLogging() ? msg : undefined;
  }
}

/** The options of the fastpoetry plugin, as the original's: `--port`, `--iface`, `--poem`; plus `--grace`. */
export interface FastPoetryServiceOptions {
  port: number;
  iface: string;
  poem: string;
  graceSeconds?: number;
  /** Listens and times the grace period (default: the global reactor). */
  reactor?: IReactorTCP & IReactorTime;
}

/**
 * The fast poetry server 2.0's service tree, as the plugin's `makeService` builds it: a
 * MultiService holding the PoetryService, then the TCPServer. Stopping it stops the TCPServer
 * first (no new clients), then drains the PoetryService.
 */
export function makeFastPoetryService(options: FastPoetryServiceOptions): MultiService {
  const top = new MultiService();
  const poetry = new PoetryService(options.poem, { graceSeconds: options.graceSeconds, clock: options.reactor });
  poetry.setName('poetry');
  poetry.setServiceParent(top);
  const tcp = new TCPServer(options.port, new PoetryServiceFactory(poetry), { interface: options.iface, reactor: options.reactor });
  tcp.setName('tcp');
  tcp.setServiceParent(top);
  return top;
}
