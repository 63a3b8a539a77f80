// Chapter 11: the fast poetry server 1.0: the whole poem at once, then close
// (tested in test/poetry/servers.test.ts).
import { ServerFactory } from '../protocol/factory';
import { Protocol } from '../protocol/protocol';

/** Writes the factory's poem and closes the connection (after it is sent). */
export class FastPoetryProtocol extends Protocol {
  declare factory: FastPoetryFactory;

  override connectionMade(): void {
    this.transport.write(this.factory.poem);
    this.transport.loseConnection();
  }
}

/** Makes a FastPoetryProtocol per client, all sharing one poem. */
export class FastPoetryFactory extends ServerFactory {
  override protocol = FastPoetryProtocol;

  constructor(readonly poem: Uint8Array) {
    super();
  }
}
