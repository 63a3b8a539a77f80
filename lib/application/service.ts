// Chapter 16: Service, MultiService and Application, as twisted.application.service: a tree of
// services that a program starts at once and stops in reverse order (tested in
// test/application/service.test.ts).
import { DeferredList, type DeferredListEntry } from '../defer/deferred-list';
import type { Deferred } from '../defer/deferred';
import { maybeDeferred } from '../defer/maybe-deferred';
import { KeyError, RuntimeError, ValueError } from './errors';
import type { IService, IServiceCollection } from './interfaces';

/**
 * The base class of services: it keeps the bookkeeping (`name`, `parent`, `running`); subclasses
 * override `startService`/`stopService` and call these first. Implements IService.
 */
export class Service implements IService {
  #name: string | undefined;
  #parent: IServiceCollection | undefined;
  #running = false;

  get name(): string | undefined {
    return this.#name;
  }

  get parent(): IServiceCollection | undefined {
    return this.#parent;
  }

  get running(): boolean {
    return this.#running;
  }

  /** See IService.setName. @throws RuntimeError when the service has a parent. */
  setName(name: string): void {
    if (this.#parent !== undefined) throw new RuntimeError('cannot change name when parent exists');
    this.#name = name;
  }

  /**
   * See IService.setServiceParent. Unlike Twisted's, a refused service (its name is taken) is left
   * without a parent: Twisted's keeps `parent` pointing at a collection that does not hold it.
   * @throws RuntimeError when `parent` has a child with this service's name.
   */
  setServiceParent(parent: IServiceCollection): void {
    if (this.#parent !== undefined) void this.disownServiceParent();
    this.#parent = parent; // set first, as Twisted does: a running parent starts the child now
    try {
      parent.addService(this);
    } catch (error) {
      this.#parent = undefined;
      throw error;
    }
  }

  /** See IService.disownServiceParent. @returns the parent's `removeService` result. */
  disownServiceParent(): Deferred<unknown> | void {
    const parent = this.#parent;
    if (parent === undefined) return;
    const stopped = parent.removeService(this);
    this.#parent = undefined;
    return stopped;
  }

  /** See IService.privilegedStartService: nothing to do here. */
  privilegedStartService(): void {}

  /** See IService.startService: marks the service running. */
  startService(): void {
    this.#running = true;
  }

  /** See IService.stopService: marks the service stopped; it has nothing to wait for. */
  stopService(): Deferred<unknown> | void {
    this.#running = false;
  }
}

/**
 * A service that holds others, as Twisted's MultiService: starting it starts its children in the
 * order they were added; stopping it stops them in reverse order, all at once (none waits for
 * another), and its Deferred fires when every one has stopped. Implements IServiceCollection.
 */
export class MultiService extends Service implements IServiceCollection {
  readonly #services: IService[] = [];
  readonly #named = new Map<string, IService>();

  override privilegedStartService(): void {
    super.privilegedStartService();
    for (const service of this) service.privilegedStartService();
  }

  override startService(): void {
    super.startService();
    for (const service of this) service.startService();
  }

  /**
   * Stops the children, last added first.
   * @returns a DeferredList of their results (last child first), as Twisted's: it fires when all
   *   have stopped, and a child that fails is an entry `[false, failure]`.
   */
  override stopService(): Deferred<DeferredListEntry<unknown>[]> {
    super.stopService();
    const stopping = [...this].reverse().map((service) => maybeDeferred(() => service.stopService()));
    return new DeferredList<unknown>(stopping);
  }

  /** See IServiceCollection.getServiceNamed. @throws KeyError */
  getServiceNamed(name: string): IService {
    const service = this.#named.get(name);
    if (service === undefined) throw new KeyError(`no service named '${name}'`);
    return service;
  }

  /** The children, in the order they were added (a copy: starting one may add another). */
  [Symbol.iterator](): Iterator<IService> {
    return [...this.#services][Symbol.iterator]();
  }

  /** See IServiceCollection.addService. @throws RuntimeError when the name is taken. */
  addService(service: IService): void {
    if (service.name !== undefined) {
      if (this.#named.has(service.name)) throw new RuntimeError(`cannot have two services with same name '${service.name}'`);
      this.#named.set(service.name, service);
    }
    this.#services.push(service);
    if (this.running) {
      // Late, but as Twisted does: the child goes through both steps of starting.
      service.privilegedStartService();
      service.startService();
    }
  }

  /** See IServiceCollection.removeService. @throws ValueError when `service` is not a child. */
  removeService(service: IService): Deferred<unknown> | void {
    const index = this.#services.indexOf(service);
    if (index === -1) throw new ValueError('the service is not a child of this collection');
    this.#services.splice(index, 1);
    if (service.name !== undefined) this.#named.delete(service.name);
    // Returned, so that a stop under way is not lost.
    if (this.running) return service.stopService();
  }
}

/**
 * The root of a program's service tree, as `twisted.application.service.Application(name)`:
 * Twisted's is a componentized object whose IService is a MultiService with that name (plus a
 * uid/gid and persistence, which Node has no use for); here it simply is that MultiService.
 * A configuration module exports one as `application` for `lib/cli/twistd.ts -y`.
 */
export class Application extends MultiService {
  constructor(name: string) {
    super();
    if (typeof name !== 'string' || name === '') {
      throw new TypeError(`Expected \`name\` to be a non-empty string, got \`${String(name)}\` (${typeof name})`);
    }
    this.setName(name);
  }
}
