// The transform server and client against Twisted's NetstringReceiver (chapter 12): the wire
// format is the original's, one netstring `name.poem` in and one netstring with the new poem
// out, so a Twisted client must get its answers from our transformedpoetry, and our
// transformPoem and get-poetry --xform theirs from a Twisted transform server written as the
// original's. Needs Python 3 with Twisted (Debian: python3-twisted); fails, never skips, without it.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { gatherResults } from '../../lib/defer/deferred-list';
import { setErrorLogger } from '../../lib/log/index';
import { TransformFailedError, transformPoem } from '../../lib/poetry/transform/client';
import { SelectReactor } from '../../lib/reactor/select-reactor';
import { poem } from '../helpers/cli';
import { runCli, startServer, stopAll } from '../helpers/programs';
import { expectClean } from '../helpers/reactor';
import { runTwisted, startTwisted } from '../helpers/twisted';

// A Twisted transform client in the original's style (twisted-client-6's TransformClientProtocol):
// argv is PORT then NAME POEMFILE pairs; one JSON line per request, with the answer in base64,
// or none when the server closed without one.
const TWISTED_CLIENT = String.raw`
import base64, json, sys
from twisted.internet import reactor
from twisted.internet.protocol import ClientFactory
from twisted.protocols.basic import NetstringReceiver

class TransformClientProtocol(NetstringReceiver):
    def connectionMade(self):
        self.answer = None
        self.sendString(self.factory.name + b'.' + self.factory.poem)
    def stringReceived(self, s):
        self.answer = s
        self.transport.loseConnection()
    def connectionLost(self, reason):
        self.factory.report(self.answer)

class TransformClientFactory(ClientFactory):
    protocol = TransformClientProtocol
    def __init__(self, index, name, poem):
        self.index, self.name, self.poem = index, name, poem
    def report(self, answer):
        finished({'index': self.index, 'answer': None if answer is None else base64.b64encode(answer).decode('ascii')})
    def clientConnectionFailed(self, connector, reason):
        finished({'index': self.index, 'error': reason.getErrorMessage()})

port = int(sys.argv[1])
pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
results = []
def finished(result):
    results.append(result)
    if len(results) == len(pairs):
        reactor.stop()
for index, (name, path) in enumerate(pairs):
    reactor.connectTCP('127.0.0.1', port, TransformClientFactory(index, name.encode('utf8'), open(path, 'rb').read()))
reactor.run()
for result in sorted(results, key=lambda r: r['index']):
    print(json.dumps(result))
`;

// The original's transform server 1.0 (twisted-server-1/transformedpoetry.py), in Python 3.
const TWISTED_SERVER = String.raw`
from twisted.internet import reactor
from twisted.internet.protocol import ServerFactory
from twisted.protocols.basic import NetstringReceiver

class TransformService(object):
    def cummingsify(self, poem):
        return poem.lower()

class TransformProtocol(NetstringReceiver):
    def stringReceived(self, request):
        if b'.' not in request:
            self.transport.loseConnection()
            return
        xform_name, poem = request.split(b'.', 1)
        self.xformRequestReceived(xform_name, poem)
    def xformRequestReceived(self, xform_name, poem):
        new_poem = self.factory.transform(xform_name, poem)
        if new_poem is not None:
            self.sendString(new_poem)
        self.transport.loseConnection()

class TransformFactory(ServerFactory):
    protocol = TransformProtocol
    def __init__(self, service):
        self.service = service
    def transform(self, xform_name, poem):
        thunk = getattr(self, 'xform_%s' % (xform_name.decode('utf8'),), None)
        if thunk is None:
            return None
        try:
            return thunk(poem)
        except Exception:
            return None
    def xform_cummingsify(self, poem):
        return self.service.cummingsify(poem)

port = reactor.listenTCP(0, TransformFactory(TransformService()), interface='127.0.0.1')
print('Serving transforms on port %d.' % (port.getHost().port,), flush=True)
reactor.run()
`;

afterEach(async () => {
  await stopAll();
});

/** Runs the Twisted client; resolves with its answers, in the order of the requests (null: none). */
async function twistedClient(port: number, requests: readonly [name: string, file: string][]): Promise<(Buffer | null)[]> {
  const stdout = await runTwisted(TWISTED_CLIENT, [String(port), ...requests.flat()]);
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { answer?: string | null; error?: string });
  return lines.map((line) => (line.error ? Buffer.from(`ERROR ${line.error}`) : line.answer == null ? null : Buffer.from(line.answer, 'base64')));
}

/** Starts the Twisted transform server; resolves with its port. */
async function twistedServer(): Promise<number> {
  return (await startTwisted(TWISTED_SERVER, [])).port;
}

describe('a Twisted client against lib/cli/transformedpoetry.ts', () => {
  it('gets each transformed poem, and no answer for an unknown transform', async () => {
    const server = await startServer('transformedpoetry', []);
    const answers = await twistedClient(server.port, [
      ['cummingsify', poem('ecstasy')],
      ['shout', poem('science')],
      ['nope', poem('science')],
      ['cummingsify', poem('alla_sera')],
    ]);
    expect(answers[0]?.toString()).toBe(readFileSync(poem('ecstasy'), 'utf8').toLowerCase());
    expect(answers[1]?.toString()).toBe(readFileSync(poem('science'), 'utf8').toUpperCase());
    expect(answers[2]).toBeNull();
    // The original's server lowercases the ASCII letters of the bytes; ours lowercases the text:
    // the same bytes for this poem, whose only non-ASCII letters (è, ì...) are lowercase already.
    const asciiLower = Buffer.from(readFileSync(poem('alla_sera')).map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte)));
    expect(answers[3]?.equals(Buffer.from(readFileSync(poem('alla_sera'), 'utf8').toLowerCase()))).toBe(true);
    expect(answers[3]?.equals(asciiLower)).toBe(true);
  });
});

describe("our clients against the original's transform server on Twisted", () => {
  it('transformPoem gets the poem cummingsified, and TransformFailedError for an unknown transform', async () => {
    const port = await twistedServer();
    const reactor = new SelectReactor();
    const logged: string[] = [];
    const previous = setErrorLogger((message) => logged.push(message));
    try {
      const ecstasy = readFileSync(poem('ecstasy'), 'utf8');
      const work = gatherResults([
        transformPoem('127.0.0.1', port, 'cummingsify', ecstasy, reactor),
        transformPoem('127.0.0.1', port, 'cummingsify', 'HERE IS MY POEM', reactor),
        transformPoem('127.0.0.1', port, 'shout', 'x', reactor).addErrback((failure) => failure.trap(TransformFailedError).name),
      ]);
      const outcome = Promise.allSettled([work]).then(([result]) => result);
      void outcome.then(() => reactor.stop());
      await reactor.run();
      expect(await outcome).toEqual({ status: 'fulfilled', value: [ecstasy.toLowerCase(), 'here is my poem', 'TransformFailedError'] });
      expectClean(reactor);
      expect(logged).toEqual([]);
    } finally {
      setErrorLogger(previous);
    }
  });

  it('get-poetry --xform prints the poem as transformed by Twisted', async () => {
    const port = await twistedServer();
    const fast = await startServer('fastpoetry', [poem('science')]);
    const run = await runCli('get-poetry', ['--xform', String(port), String(fast.port)]);
    expect(run.stdout).toBe(readFileSync(poem('science'), 'utf8').toLowerCase());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
