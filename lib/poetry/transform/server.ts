// Chapter 12: the poetry transform server 1.0: requests and replies as netstrings
// (tested in test/poetry/transform-server.test.ts and transform-interop.test.ts).
import { describeError } from '../../log/index';
import { ServerFactory } from '../../protocol/factory';
import { NetstringReceiver } from '../../protocol/netstring-receiver';
import { type Transform, TRANSFORMS } from './transforms';

const DOT = 0x2e;

/**
 * A name from the network, quoted and escaped for a log line (as the original logs it with repr):
 * a newline or an escape sequence in it cannot forge a line or recolour the terminal.
 */
export function quoted(name: string): string {
  // JSON escapes the C0 controls, quotes and backslashes; DEL, the C1 controls and the Unicode
  // line separators are escaped too, as Python's repr does.
  return JSON.stringify(name).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A request named a transform the service does not have. */
export class UnknownTransformError extends Error {
  override name = 'UnknownTransformError';
}

/**
 * The transforms themselves, with no networking: what the server offers, as the original's
 * `TransformService`. Kept apart from the protocol so it can be called (and tested) directly.
 */
export class TransformService {
  readonly #transforms: ReadonlyMap<string, Transform>;

  /** @param transforms - the transforms offered, by name (default: all of `TRANSFORMS`). */
  constructor(transforms: ReadonlyMap<string, Transform> = TRANSFORMS) {
    this.#transforms = transforms;
  }

  /** @returns the names of the transforms offered. */
  names(): string[] {
    return [...this.#transforms.keys()];
  }

  /**
   * Transform a poem.
   * @param name - the transform's name (`cummingsify`).
   * @param poem - the poem.
   * @returns the transformed poem.
   * @throws UnknownTransformError when there is no transform of that name; whatever the
   *   transform throws.
   */
  xform(name: string, poem: string): string {
    const transform = this.#transforms.get(name);
    if (transform === undefined) throw new UnknownTransformError(`no transform named ${quoted(name)}`);
    return transform(poem);
  }
}

/**
 * One client of the transform server. The client sends one netstring, `name.poem` (for
 * example `27:cummingsify.HERE IS MY POEM,`); the server answers with one netstring holding the
 * transformed poem, then closes the connection. A request without a '.', an unknown transform,
 * or a transform that fails gets the connection closed with no answer; so does a malformed or
 * too long netstring (NetstringReceiver). Only this client's connection is affected.
 */
export class TransformProtocol extends NetstringReceiver {
  declare factory: TransformFactory;
  // One request per connection, as in the original: anything after it is ignored.
  #answered = false;

  /**
   * Split the request at its first '.' into the transform's name and the poem.
   * @param request - the netstring's payload.
   */
  override stringReceived(request: Buffer): void {
    if (this.#answered) return;
    this.#answered = true;
    const dot = request.indexOf(DOT);
    if (dot < 0) {
      // A bad request: no transform name.
      this.transport.loseConnection();
      return;
    }
    this.xformRequestReceived(request.subarray(0, dot).toString('utf8'), request.subarray(dot + 1).toString('utf8'));
  }

  /**
   * Answer a request: the transformed poem as a netstring, or nothing; then close.
   * @param name - the transform's name.
   * @param poem - the poem.
   */
  xformRequestReceived(name: string, poem: string): void {
    const newPoem = this.factory.transform(name, poem);
    if (newPoem !== undefined) this.sendString(newPoem);
    this.transport.loseConnection();
  }
}

/** Options of `new TransformFactory()`. */
export interface TransformFactoryOptions {
  /** Called with a line for each request that could not be answered (default: nothing). */
  log?: (line: string) => void;
}

/** Makes a TransformProtocol per client; all of them share one TransformService. */
export class TransformFactory extends ServerFactory {
  override protocol = TransformProtocol;
  readonly #log: (line: string) => void;

  /**
   * @param service - the transforms to offer.
   * @param options - where to log requests that fail.
   */
  constructor(
    readonly service: TransformService,
    options: TransformFactoryOptions = {},
  ) {
    super();
    this.#log = options.log ?? (() => {});
  }

  /**
   * Transform a poem for a client, never throwing: the server must outlive a bad request.
   * @param name - the transform's name.
   * @param poem - the poem.
   * @returns the transformed poem, or `undefined` when there is no such transform or it failed.
   */
  transform(name: string, poem: string): string | undefined {
    try {
      return this.service.xform(name, poem);
    } catch (error) {
      this.#log(`Transform ${quoted(name)} failed: ${describeError(error)}`);
      return undefined;
    }
  }
}
