import * as net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetReactor } from '../../lib/notebook/reactor-reset';
import { Factory } from '../../lib/protocol/factory';
import { EpollReactor } from '../../lib/reactor/epoll-reactor';
import { expectClean } from '../helpers/reactor';

let reactor: EpollReactor;
afterEach(() => expectClean(reactor));

describe('resetReactor', () => {
  it('stops a run an interrupted cell left going, and clears its timed calls and sockets', async () => {
    reactor = new EpollReactor();
    let ticks = 0;
    reactor.callLater(0, function tick(): void {
      ticks += 1;
      reactor.callLater(0.01, tick); // never ends by itself
    });
    const port = reactor.listenTCP(0, new Factory());
    const lost = vi.spyOn(port, 'connectionLost'); // the interrupted cell's code is not called again
    const left = reactor.run(); // the interrupted cell's await, no longer awaited
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reactor.running).toBe(true);
    const said = await resetReactor(reactor);
    expect(said).toBe('the reactor was still running (stopped now); cleared 1 timed call(s) and 1 socket(s) left by an earlier cell');
    await left;
    expect(ticks).toBeGreaterThan(0);
    expect(lost).not.toHaveBeenCalled();
    // The port was closed: it is free to listen on again.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port.getHost().port, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
    // The next cell can run it again.
    reactor.callLater(0, () => reactor.stop());
    await reactor.run();
  });

  it('says nothing and changes nothing when the reactor is clean', async () => {
    reactor = new EpollReactor();
    expect(await resetReactor(reactor)).toBe('');
  });

  it('clears what a stopped reactor still holds', async () => {
    reactor = new EpollReactor();
    reactor.callLater(10, () => {});
    const port = reactor.listenTCP(0, new Factory());
    expect(await resetReactor(reactor)).toBe('the reactor was stopped; cleared 1 timed call(s) and 1 socket(s) left by an earlier cell');
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => again.once('error', reject).listen(port.getHost().port, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
  });
});
