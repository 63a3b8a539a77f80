// Chapter 16: the contracts of the application layer, as twisted.application.service's
// interfaces (implemented in service.ts and internet.ts; tested in test/application/).
import type { Deferred } from '../defer/deferred';

/**
 * A service: start-up and shut-down code run at the right times, as Twisted's `IService`.
 * Services form a tree; the program (twistd) starts the root and stops it on a signal.
 */
export interface IService {
  /** The service's name, unique among its siblings, or undefined. */
  readonly name: string | undefined;
  /** True between `startService` and `stopService`. */
  readonly running: boolean;
  /** The collection this service belongs to, or undefined. */
  readonly parent: IServiceCollection | undefined;
  /** @throws RuntimeError when the service has a parent already (its name is a key there). */
  setName(name: string): void;
  /**
   * Adds the service to `parent` (leaving its old parent first); a running parent starts it.
   * @throws RuntimeError when `parent` has a child with the same name.
   */
  setServiceParent(parent: IServiceCollection): void;
  /** Leaves the parent. @returns what the parent's `removeService` returns (see there). */
  disownServiceParent(): Deferred<unknown> | void;
  /** Work to do before the service starts (binding a port, in Twisted before dropping root). */
  privilegedStartService(): void;
  startService(): void;
  /** @returns a Deferred that fires when the service has stopped, or nothing if it stopped now. */
  stopService(): Deferred<unknown> | void;
}

/** A service that holds others and starts and stops them with itself, as `IServiceCollection`. */
export interface IServiceCollection extends Iterable<IService> {
  /** @throws KeyError when no child has that name. */
  getServiceNamed(name: string): IService;
  /**
   * Only `setServiceParent` should call this. A running collection starts the child.
   * @throws RuntimeError when a child has the same name already.
   */
  addService(service: IService): void;
  /**
   * Only `disownServiceParent` should call this.
   * @returns the child's `stopService()` result when the collection is running, else nothing.
   * @throws ValueError when `service` is not a child.
   */
  removeService(service: IService): Deferred<unknown> | void;
}

/** One option of a plugin, as a row of Twisted's `usage.Options.optParameters`. */
export interface PluginOption {
  /** The value when the option is not given; undefined for none. */
  default?: string;
  /** One line for `--help`. */
  description: string;
}

/**
 * What twistd needs to run a plugin by name, as Twisted's `IServiceMaker`: its name on the
 * command line, a description, its options and a function that builds the service tree.
 */
export interface IServiceMaker {
  /** The subcommand that runs it: `twistd.ts TAPNAME --option value`. */
  readonly tapname: string;
  readonly description: string;
  /** The plugin's `--name VALUE` options, by name. */
  readonly options: Readonly<Record<string, PluginOption>>;
  /**
   * Builds the service tree from the options given (with the defaults filled in).
   * @throws Error (a usage error) when an option's value is bad.
   */
  makeService(options: Readonly<Record<string, string | undefined>>): IService;
}
