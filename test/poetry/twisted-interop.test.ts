// Our poetry servers and clients against Twisted's own (chapter 11): the wire format is the
// original's, raw poem bytes and then a clean close, so a Twisted client must get the exact
// bytes from our servers and our clients the exact poem from a Twisted server. Needs Python 3
// with Twisted (Debian: python3-twisted, which the project set-up installs).
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherResults } from '../../lib/defer/deferred-list';
import { type ErrorLogger, setErrorLogger } from '../../lib/log/index';
import { getPoetry } from '../../lib/poetry/get-poetry';
import { PoetryProxyFactory, ProxyService } from '../../lib/poetry/proxy/proxy-1';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { poem, poemBytes } from '../helpers/cli';
import { runCli, type Server, startServer, stopAll } from '../helpers/programs';
import { expectClean } from '../helpers/reactor';
import { runTwisted, startTwisted, twistedPython } from '../helpers/twisted';

// A Twisted poetry client in the original's style: fetches every [HOST:]PORT at once and prints
// one JSON line per address (with its index), with the poem's bytes in base64 and why the connection ended.
const TWISTED_CLIENT = String.raw`
import base64, json, sys
from twisted.internet import reactor
from twisted.internet.error import ConnectionDone
from twisted.internet.protocol import ClientFactory, Protocol

class PoetryProtocol(Protocol):
    def connectionMade(self):
        self.chunks = []
    def dataReceived(self, data):
        self.chunks.append(data)
    def connectionLost(self, reason):
        self.factory.report(b''.join(self.chunks), reason)

class PoetryClientFactory(ClientFactory):
    protocol = PoetryProtocol
    def __init__(self, index, address):
        self.index = index
        self.address = address
    def report(self, poem, reason):
        finished({'index': self.index, 'address': self.address, 'bytes': len(poem), 'poem': base64.b64encode(poem).decode('ascii'),
                  'clean': reason.check(ConnectionDone) is not None})
    def clientConnectionFailed(self, connector, reason):
        finished({'index': self.index, 'address': self.address, 'error': reason.getErrorMessage()})

results = []
def finished(result):
    results.append(result)
    if len(results) == len(sys.argv) - 1:
        reactor.stop()

for index, arg in enumerate(sys.argv[1:]):
    host, port = arg.rsplit(':', 1) if ':' in arg else ('127.0.0.1', arg)
    reactor.connectTCP(host, int(port), PoetryClientFactory(index, arg))
reactor.run()
for result in results:
    print(json.dumps(result))
`;

// Twisted's fast poetry server, as the original's twisted-server-1/fastpoetry.py: the whole poem, then close.
const TWISTED_SERVER = String.raw`
import sys
from twisted.internet import reactor
from twisted.internet.protocol import Protocol, ServerFactory

class PoetryProtocol(Protocol):
    def connectionMade(self):
        self.transport.write(self.factory.poem)
        self.transport.loseConnection()

class PoetryFactory(ServerFactory):
    protocol = PoetryProtocol
    def __init__(self, poem):
        self.poem = poem

poem = open(sys.argv[1], 'rb').read()
port = reactor.listenTCP(0, PoetryFactory(poem), interface='127.0.0.1')
print('Serving %s on port %d.' % (sys.argv[1], port.getHost().port), flush=True)
reactor.run()
`;

const LIMIT_SECONDS = 20;

/** What the Twisted client reported for one address. */
interface Fetched {
  /** The address's place in the arguments. */
  index: number;
  address: string;
  bytes?: number;
  poem?: string;
  clean?: boolean;
  error?: string;
}

/** Runs the Twisted client to its end and parses its lines, in the order of the addresses. */
async function twistedClient(addresses: readonly string[]): Promise<Fetched[]> {
  const stdout = await runTwisted(TWISTED_CLIENT, addresses);
  const results = stdout.trim().split('\n').map((line) => JSON.parse(line) as Fetched);
  // They finish in any order.
  return addresses.map((address, index) => results.find((r) => r.index === index) ?? { index, address, error: 'no result' });
}

/** Starts the Twisted fast server and resolves with its port once it names the poem it serves. */
async function twistedServer(file: string): Promise<number> {
  const server = await startTwisted(TWISTED_SERVER, [file]);
  const named = /^Serving (.+) on port \d+\.$/m.exec(server.stdout())?.[1];
  if (named !== file) throw new Error(`the Twisted server names ${named}, not ${file}`);
  return server.port;
}

const decoded = (fetched: Fetched): Buffer => Buffer.from(fetched.poem ?? '', 'base64');

afterEach(async () => {
  await stopAll();
});

describe('Twisted', () => {
  it('is installed for Python 3', () => {
    const version = spawnSync(twistedPython(), ['-c', 'import twisted; print(twisted.__version__)'], { encoding: 'utf8' });
    expect(version.stdout).toMatch(/^\d+\.\d+/);
  });
});

describe("Twisted's poetry client against our servers", () => {
  const expectPoems = (fetched: Fetched[], names: string[]): void => {
    expect(fetched.map((f) => f.error)).toEqual(names.map(() => undefined));
    fetched.forEach((f, i) => {
      expect(decoded(f).equals(poemBytes(names[i])), `${f.address}: the exact bytes of ${names[i]}`).toBe(true);
      expect(f.bytes).toBe(poemBytes(names[i]).length);
      // Our servers close cleanly (FIN), as Twisted's loseConnection does: no reset.
      expect(f.clean).toBe(true);
    });
  };

  it('gets the exact poem from fastpoetry, three clients at once', async () => {
    const server = await startServer('fastpoetry', [poem('alla_sera')]);
    const address = `127.0.0.1:${server.port}`;
    expectPoems(await twistedClient([address, address, address]), ['alla_sera', 'alla_sera', 'alla_sera']);
  });

  it('gets the exact poems from slowpoetry --reactor, fetched at once from two servers', async () => {
    const servers: Server[] = [
      await startServer('slowpoetry', ['--reactor', '--delay', '0.01', '--num-bytes', '100', poem('alla_sera')]),
      await startServer('slowpoetry', ['--reactor', '--delay', '0.01', '--num-bytes', '50', poem('science')]),
    ];
    const [a, b] = servers.map((s) => `127.0.0.1:${s.port}`);
    expectPoems(await twistedClient([a, b, a]), ['alla_sera', 'science', 'alla_sera']);
  });

  it('gets the exact poem from the blocking slowpoetry', async () => {
    const server = await startServer('slowpoetry', ['--delay', '0.01', '--num-bytes', '100', poem('alla_sera')]);
    expectPoems(await twistedClient([String(server.port)]), ['alla_sera']);
  });

  it('tells a reset from a clean close (the test client itself works)', async () => {
    // A server that sends part of a poem and then resets the connection instead of closing it. The
    // pause lets Twisted see the connection made first (a reset during its connect is a failed connection).
    const server = net.createServer((socket) => {
      socket.write(poemBytes('science').subarray(0, 100));
      setTimeout(() => socket.resetAndDestroy(), 200);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const [fetched] = await twistedClient([String((server.address() as net.AddressInfo).port)]);
      expect(fetched.error).toBeUndefined();
      expect(fetched.bytes).toBe(100);
      expect(fetched.clean).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a refused connection where nothing listens (the test client itself works)', async () => {
    const server = await startServer('fastpoetry', [poem('science')]);
    await server.stop();
    const [fetched] = await twistedClient([`127.0.0.1:${server.port}`]);
    expect(fetched.error).toMatch(/refused/i);
  });
});

describe("our poetry clients against Twisted's fast server", () => {
  it('get-poetry prints the exact poem', async () => {
    const port = await twistedServer(poem('alla_sera'));
    const finished = await runCli('get-poetry', [`127.0.0.1:${port}`, String(port)], LIMIT_SECONDS);
    expect(finished.stderr).toBe('');
    expect(finished.code).toBe(0);
    // Both poems end with a newline, so get-poetry prints them as they are, one after the other.
    expect(Buffer.from(finished.stdout).equals(Buffer.concat([poemBytes('alla_sera'), poemBytes('alla_sera')]))).toBe(true);
  });

  describe('in process', () => {
    let reactor: SelectReactor;
    let errors: string[];
    let previousLogger: ErrorLogger;

    /** Runs the reactor until `work` settles (stopping it), with an error log captured. */
    async function runUntil<T>(work: PromiseLike<T>): Promise<PromiseSettledResult<T>> {
      const outcome = Promise.allSettled([work]).then(([result]) => result);
      void outcome.then(() => reactor.running && reactor.stop());
      await reactor.run();
      return outcome;
    }

    afterEach(() => {
      expectClean(reactor);
      setErrorLogger(previousLogger);
      expect(errors).toEqual([]);
    });

    function fresh(): void {
      reactor = new SelectReactor();
      errors = [];
      previousLogger = setErrorLogger((message) => errors.push(message));
    }

    it('getPoetry gets the exact poem, several at once', async () => {
      fresh();
      const [a, b] = [await twistedServer(poem('alla_sera')), await twistedServer(poem('ecstasy'))];
      const result = await runUntil(gatherResults([a, b, a].map((port) => getPoetry('127.0.0.1', port, reactor))));
      expect(result).toEqual({
        status: 'fulfilled',
        value: ['alla_sera', 'ecstasy', 'alla_sera'].map((name) => poemBytes(name).toString('utf8')),
      });
    });

    it("our proxy 1.0 between Twisted's client and Twisted's server passes the exact poem, then the cached one", async () => {
      fresh();
      const upstream = await twistedServer(poem('alla_sera'));
      const lines: string[] = [];
      const service = new ProxyService('127.0.0.1', upstream, { reactor, log: (line) => lines.push(line) });
      const listening = reactor.listenTCP(0, new PoetryProxyFactory(service));
      const address = `127.0.0.1:${listening.getHost().port}`;
      const result = await runUntil(
        (async () => {
          const first = await twistedClient([address]);
          const second = await twistedClient([address, address]);
          return [...first, ...second];
        })(),
      );
      await listening.stopListening();
      expect(result.status).toBe('fulfilled');
      const fetched = (result as PromiseFulfilledResult<Fetched[]>).value;
      for (const f of fetched) {
        expect(f.error).toBeUndefined();
        expect(decoded(f).equals(poemBytes('alla_sera'))).toBe(true);
        expect(f.clean).toBe(true);
      }
      expect(lines).toEqual(['Fetching poem from server.', 'Using cached poem.', 'Using cached poem.']);
    });
  });
});
