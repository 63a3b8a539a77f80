// Tests for the poetry transforms (chapters 10 and 12): the transforms, the flaky client-side
// cummingsify, TransformService, and both ends of the transform protocol in memory, fed in every
// chunking (test/protocol/chunkings.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Deferred } from '../../lib/defer/deferred';
import { Failure } from '../../lib/defer/failure';
import { TransformClientFactory, TransformClientProtocol, TransformFailedError, transformPoem } from '../../lib/poetry/transform/client';
import { CannotCummingsify, FlakyCummingsify, GibberishError, splitMix32, ValueError } from '../../lib/poetry/transform/flaky';
import { TransformFactory, TransformProtocol, TransformService, UnknownTransformError } from '../../lib/poetry/transform/server';
import { cummingsify, reverseLines, shout, TRANSFORMS } from '../../lib/poetry/transform/transforms';
import { StringTransport } from '../../lib/protocol/testing';
import { ConnectionDone, ConnectionLost } from '../../lib/reactor/errors';
import type { IConnector } from '../../lib/reactor/interfaces';
import { poem } from '../helpers/cli';
import { CHUNKING_NAMES, cut } from '../protocol/chunkings';

const ECSTASY = readFileSync(poem('ecstasy'), 'utf8');
const netstring = (payload: string): Buffer => {
  const bytes = Buffer.from(payload);
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
};

describe('transforms', () => {
  it('cummingsify lowercases, as the original server does, and never throws', () => {
    expect(cummingsify('HERE IS MY POEM')).toBe('here is my poem');
    expect(cummingsify('Été Ünd')).toBe('été ünd');
    expect(cummingsify('')).toBe('');
    expect(cummingsify(ECSTASY)).toBe(ECSTASY.toLowerCase());
  });

  it('shout uppercases', () => {
    expect(shout('here is my poem')).toBe('HERE IS MY POEM');
  });

  it('reverse-lines puts the last line first and keeps a final newline final', () => {
    expect(reverseLines('one\ntwo\nthree\n')).toBe('three\ntwo\none\n');
    expect(reverseLines('one\ntwo')).toBe('two\none');
    expect(reverseLines('')).toBe('');
    expect(reverseLines(reverseLines(ECSTASY))).toBe(ECSTASY);
  });

  it('TRANSFORMS names each one, none with a dot', () => {
    expect([...TRANSFORMS.keys()]).toEqual(['cummingsify', 'shout', 'reverse-lines']);
    for (const name of TRANSFORMS.keys()) expect(name).not.toContain('.');
  });
});

describe('FlakyCummingsify', () => {
  /** What n calls with this seed do: the lowercased poem, or the error's name. */
  function run(seed: number, n: number, bug?: 'ValueError' | 'CannotCummingsify'): string[] {
    const flaky = new FlakyCummingsify({ seed, bug });
    return Array.from({ length: n }, () => {
      try {
        return flaky.cummingsify('A POEM');
      } catch (error) {
        return (error as Error).name;
      }
    });
  }

  it('does the same thing call after call for the same seed, and records it', () => {
    expect(run(42, 30)).toEqual(run(42, 30));
    const flaky = new FlakyCummingsify({ seed: 42 });
    for (let i = 0; i < 30; i++) {
      try {
        flaky.cummingsify('A POEM');
      } catch {
        // recorded below
      }
    }
    const names = { success: 'a poem', gibberish: 'GibberishError', bug: 'CannotCummingsify' };
    expect(flaky.outcomes.map((outcome) => names[outcome])).toEqual(run(42, 30));
    expect(flaky.seed).toBe(42);
  });

  it('gives other choices for other seeds, even neighbouring ones', () => {
    const sequences = new Set(Array.from({ length: 10 }, (_, seed) => run(seed, 12).join()));
    expect(sequences.size).toBe(10);
  });

  it('succeeds, talks gibberish and hits its bug about equally often', () => {
    const counts = new Map<string, number>();
    for (const outcome of run(7, 3000)) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['CannotCummingsify', 'GibberishError', 'a poem']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(850);
  });

  it("throws 5.0's ValueError or 5.1's CannotCummingsify, which carries the poem", () => {
    const errors = (bug: 'ValueError' | 'CannotCummingsify'): unknown[] => {
      const flaky = new FlakyCummingsify({ seed: 1, bug });
      const thrown: unknown[] = [];
      for (let i = 0; i < 30; i++) {
        try {
          flaky.cummingsify('THE POEM');
        } catch (error) {
          thrown.push(error);
        }
      }
      return thrown;
    };
    const v50 = errors('ValueError');
    expect(v50.some((e) => e instanceof ValueError)).toBe(true);
    expect(v50.every((e) => e instanceof ValueError || e instanceof GibberishError)).toBe(true);
    const v51 = errors('CannotCummingsify');
    const cannot = v51.filter((e): e is CannotCummingsify => e instanceof CannotCummingsify);
    expect(cannot.length).toBeGreaterThan(0);
    expect(cannot.every((e) => e.poem === 'THE POEM' && e.name === 'CannotCummingsify')).toBe(true);
    expect(new GibberishError().name).toBe('GibberishError');
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => new FlakyCummingsify({ seed: 1.5 })).toThrow('Expected `seed` to be an integer, got `1.5` (number)');
  });

  it('splitMix32 gives numbers in [0, 1), the same for the same seed', () => {
    const a = splitMix32(3);
    const b = splitMix32(3);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

describe('TransformService.xform', () => {
  it('applies a transform by name', () => {
    const service = new TransformService();
    expect(service.xform('cummingsify', 'HERE IS MY POEM')).toBe('here is my poem');
    expect(service.xform('shout', 'abc')).toBe('ABC');
    expect(service.names()).toEqual(['cummingsify', 'shout', 'reverse-lines']);
  });

  it('throws UnknownTransformError for a name it does not have', () => {
    expect(() => new TransformService().xform('nope', 'x')).toThrow(UnknownTransformError);
    expect(() => new TransformService().xform('nope', 'x')).toThrow('no transform named "nope"');
  });

  it('offers only the transforms it was given', () => {
    const service = new TransformService(new Map([['twice', (p: string) => p + p]]));
    expect(service.xform('twice', 'ab')).toBe('abab');
    expect(() => service.xform('cummingsify', 'x')).toThrow(UnknownTransformError);
  });
});

/** A server-side protocol on a StringTransport, and what its factory logged. */
function serverConnection(service = new TransformService()): { protocol: TransformProtocol; transport: StringTransport; logged: string[] } {
  const logged: string[] = [];
  const factory = new TransformFactory(service, { log: (line) => logged.push(line) });
  const protocol = factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 }) as TransformProtocol;
  const transport = new StringTransport();
  protocol.makeConnection(transport);
  return { protocol, transport, logged };
}

describe('TransformProtocol', () => {
  describe.each(CHUNKING_NAMES)('fed %s', (chunking) => {
    it('answers `name.poem` with the transformed poem as one netstring, then closes', () => {
      const { protocol, transport } = serverConnection();
      for (const chunk of cut(netstring(`cummingsify.${ECSTASY}`), chunking)) protocol.dataReceived(chunk);
      expect(transport.value().equals(netstring(ECSTASY.toLowerCase()))).toBe(true);
      expect(transport.disconnecting).toBe(true);
    });

    it('closes without an answer for an unknown transform, or no dot', () => {
      for (const request of ['nope.HERE IS MY POEM', 'no dot at all']) {
        const { protocol, transport, logged } = serverConnection();
        for (const chunk of cut(netstring(request), chunking)) protocol.dataReceived(chunk);
        expect(transport.value().length, request).toBe(0);
        expect(transport.disconnecting, request).toBe(true);
        expect(logged, request).toEqual(request.startsWith('nope') ? ['Transform "nope" failed: no transform named "nope"'] : []);
      }
    });
  });

  it("answers the original's example byte for byte", () => {
    const { protocol, transport } = serverConnection();
    protocol.dataReceived(Buffer.from('27:cummingsify.HERE IS MY POEM,'));
    expect(transport.value().toString('latin1')).toBe('15:here is my poem,');
  });

  it('answers only once the closing comma is in', () => {
    const { protocol, transport } = serverConnection();
    const request = netstring('shout.quiet');
    protocol.dataReceived(request.subarray(0, request.length - 1));
    expect(transport.value().length).toBe(0);
    expect(transport.disconnecting).toBe(false);
    protocol.dataReceived(request.subarray(request.length - 1));
    expect(transport.value().toString()).toBe('5:QUIET,');
  });

  it('splits at the first dot: the poem may contain more', () => {
    const { protocol, transport } = serverConnection();
    protocol.dataReceived(netstring('shout.a.b.c'));
    expect(transport.value().toString()).toBe('5:A.B.C,');
  });

  it('counts UTF-8 bytes both ways', () => {
    const { protocol, transport } = serverConnection();
    protocol.dataReceived(netstring('cummingsify.ÉTÉ'));
    expect(transport.value().equals(netstring('été'))).toBe(true);
  });

  it('answers one request per connection and ignores the rest', () => {
    const { protocol, transport } = serverConnection();
    protocol.dataReceived(Buffer.concat([netstring('shout.one'), netstring('shout.two')]));
    expect(transport.value().toString()).toBe('3:ONE,');
  });

  it('drops a netstring longer than MAX_LENGTH as soon as its length says so', () => {
    const { protocol, transport } = serverConnection();
    protocol.dataReceived(Buffer.from(`${protocol.MAX_LENGTH + 1}:`));
    expect(protocol.brokenPeer).toBe(true);
    expect(transport.disconnecting).toBe(true);
    expect(transport.value().length).toBe(0);
  });

  it('drops a malformed netstring', () => {
    for (const bad of ['cummingsify.POEM', '5:shout!!', '05:shout,']) {
      const { protocol, transport } = serverConnection();
      protocol.dataReceived(Buffer.from(bad));
      expect(transport.disconnecting, bad).toBe(true);
      expect(transport.value().length, bad).toBe(0);
    }
  });

  it('survives a transform that throws: no answer, the connection closed, a log line', () => {
    const broken = new TransformService(
      new Map([
        [
          'broken',
          () => {
            throw new RangeError('out of ink');
          },
        ],
      ]),
    );
    const { protocol, transport, logged } = serverConnection(broken);
    protocol.dataReceived(netstring('broken.poem'));
    expect(transport.value().length).toBe(0);
    expect(transport.disconnecting).toBe(true);
    expect(logged).toEqual(['Transform "broken" failed: out of ink']);
  });

  it('logs a name with control characters escaped, on one line: no forged log line', () => {
    const { protocol, logged } = serverConnection(new TransformService());
    protocol.dataReceived(netstring('evil\nTransform ok\u001b[31m\r\u007f\u0085.poem'));
    const escaped = '"evil\\nTransform ok\\u001b[31m\\r\\u007f\\u0085"';
    expect(logged).toEqual([`Transform ${escaped} failed: no transform named ${escaped}`]);
    expect(logged[0]).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});

/** A client-side protocol on a StringTransport, with its factory and Deferred. */
function clientConnection(name: string, text: string) {
  const deferred = new Deferred<string>();
  const factory = new TransformClientFactory(name, text, deferred);
  const protocol = factory.buildProtocol({ type: 'TCP', host: '127.0.0.1', port: 1 }) as TransformClientProtocol;
  const transport = new StringTransport();
  protocol.makeConnection(transport);
  const outcome: { result?: string; failure?: Failure } = {};
  deferred.addCallbacks(
    (result) => {
      outcome.result = result;
    },
    (failure: Failure) => {
      outcome.failure = failure;
    },
  );
  return { factory, protocol, transport, outcome };
}

const CONNECTOR = {} as IConnector;

describe('TransformClientProtocol', () => {
  it('sends `name.poem` as one netstring on connecting', () => {
    const { transport } = clientConnection('cummingsify', 'HERE IS MY POEM');
    expect(transport.value().toString()).toBe('27:cummingsify.HERE IS MY POEM,');
  });

  it.each(CHUNKING_NAMES)('fires the Deferred with the answer fed %s, and closes', (chunking) => {
    const { protocol, transport, outcome } = clientConnection('cummingsify', ECSTASY);
    for (const chunk of cut(netstring(ECSTASY.toLowerCase()), chunking)) protocol.dataReceived(chunk);
    expect(outcome.result).toBe(ECSTASY.toLowerCase());
    expect(transport.disconnecting).toBe(true);
  });

  it('fails with TransformFailedError when the server closes without an answer', () => {
    const { factory, outcome } = clientConnection('nope', 'x');
    factory.clientConnectionLost(CONNECTOR, new Failure(new ConnectionDone('closed')));
    expect(outcome.failure?.check(TransformFailedError)).toBe(TransformFailedError);
    expect(outcome.failure?.getErrorMessage()).toContain('no transform `nope`');
  });

  it('passes on a lost connection, and fires only once', () => {
    const { factory, protocol, outcome } = clientConnection('shout', 'x');
    factory.clientConnectionLost(CONNECTOR, new Failure(new ConnectionLost('reset')));
    expect(outcome.failure?.check(ConnectionLost)).toBe(ConnectionLost);
    protocol.dataReceived(netstring('X'));
    factory.clientConnectionFailed(CONNECTOR, new Failure(new ConnectionLost('again')));
    expect(outcome.result).toBeUndefined();
    expect(outcome.failure?.getErrorMessage()).toBe('reset');
  });

  it('transformPoem rejects a transform name that is empty or has a dot', () => {
    expect(() => transformPoem('127.0.0.1', 1, 'a.b', 'x')).toThrow(TypeError);
    expect(() => transformPoem('127.0.0.1', 1, '', 'x')).toThrow("Expected `xformName` to be a transform name without a '.', got `` (string)");
  });
});
