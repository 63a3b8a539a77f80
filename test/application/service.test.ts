// Tests for lib/application/service.ts (chapter 16): Service, MultiService and
// Application, checked against twisted.application.service 22.4's behaviour.
import { describe, expect, it } from 'vitest';
import { Deferred } from '../../lib/defer/deferred';
import { KeyError, RuntimeError, ValueError } from '../../lib/application/errors';
import { Application, MultiService, Service } from '../../lib/application/service';

/** A service that records its start and stop in a shared list, and may stop later. */
class Recording extends Service {
  stopping: Deferred<string> | undefined;
  constructor(
    readonly label: string,
    readonly events: string[],
    readonly slow = false,
  ) {
    super();
  }
  override privilegedStartService(): void {
    this.events.push(`privileged ${this.label}`);
  }
  override startService(): void {
    super.startService();
    this.events.push(`start ${this.label}`);
  }
  override stopService(): Deferred<string> | void {
    super.stopService();
    this.events.push(`stop ${this.label}`);
    if (!this.slow) return;
    this.stopping = new Deferred<string>();
    return this.stopping;
  }
}

describe('Service', () => {
  it('is not running, has no name and no parent until told', () => {
    const service = new Service();
    expect([service.running, service.name, service.parent]).toEqual([false, undefined, undefined]);
    service.startService();
    expect(service.running).toBe(true);
    expect(service.stopService()).toBeUndefined();
    expect(service.running).toBe(false);
  });

  it('setName works without a parent and throws RuntimeError with one', () => {
    const service = new Service();
    service.setName('poetry');
    service.setServiceParent(new MultiService());
    expect(() => service.setName('other')).toThrow(new RuntimeError('cannot change name when parent exists'));
    expect(service.name).toBe('poetry');
  });

  it('setServiceParent leaves the old parent first; disownServiceParent leaves it', () => {
    const [first, second] = [new MultiService(), new MultiService()];
    const service = new Service();
    service.setServiceParent(first);
    service.setServiceParent(second);
    expect([[...first], [...second], service.parent]).toEqual([[], [service], second]);
    expect(service.disownServiceParent()).toBeUndefined();
    expect([[...second], service.parent]).toEqual([[], undefined]);
  });

  it('a service joining a running parent is started (privileged step first)', () => {
    const events: string[] = [];
    const parent = new MultiService();
    parent.startService();
    new Recording('late', events).setServiceParent(parent);
    expect(events).toEqual(['privileged late', 'start late']);
  });

  it('leaving a running parent stops it and returns its stop result', () => {
    const events: string[] = [];
    const parent = new MultiService();
    const child = new Recording('child', events, true);
    child.setServiceParent(parent);
    parent.startService();
    const stopped = child.disownServiceParent() as Deferred<unknown>;
    expect([events.at(-1), child.running, stopped === child.stopping]).toEqual(['stop child', false, true]);
  });
});

describe('MultiService', () => {
  it('starts its children in order and stops them in reverse, all at once', () => {
    const events: string[] = [];
    const parent = new MultiService();
    const children = ['a', 'b', 'c'].map((label) => new Recording(label, events, true));
    for (const child of children) child.setServiceParent(parent);
    parent.privilegedStartService();
    parent.startService();
    expect(events.splice(0)).toEqual(['privileged a', 'privileged b', 'privileged c', 'start a', 'start b', 'start c']);
    expect(parent.running).toBe(true);

    const stopped = parent.stopService();
    // Every child is told at once; none waits for the one stopped before it.
    expect(events).toEqual(['stop c', 'stop b', 'stop a']);
    expect(parent.running).toBe(false);
    children[0].stopping!.callback('a done');
    children[2].stopping!.callback('c done');
    expect(stopped.called).toBe(false);
    children[1].stopping!.callback('b done');
    // As Twisted's DeferredList: one entry per child, last child first.
    expect(stopped.result).toEqual([
      [true, 'c done'],
      [true, 'b done'],
      [true, 'a done'],
    ]);
  });

  it('fires when all have stopped even if one stop fails, with that failure in its entry', () => {
    const parent = new MultiService();
    const broken = new (class extends Service {
      override stopService(): void {
        throw new Error('cannot stop');
      }
    })();
    broken.setServiceParent(parent);
    new Service().setServiceParent(parent);
    parent.startService();
    const stopped = parent.stopService();
    const [[okFirst], [okSecond, failure]] = stopped.result as [boolean, unknown][];
    expect([okFirst, okSecond]).toEqual([true, false]);
    expect((failure as { value: Error }).value.message).toBe('cannot stop');
  });

  it('finds children by name, refuses a second child of the same name, and iterates in order', () => {
    const parent = new MultiService();
    const [a, b, c] = [new Service(), new Service(), new Service()];
    a.setName('poetry');
    b.setName('tcp');
    a.setServiceParent(parent);
    b.setServiceParent(parent);
    c.setServiceParent(parent);
    expect(parent.getServiceNamed('tcp')).toBe(b);
    expect([...parent]).toEqual([a, b, c]);
    const clash = new Service();
    clash.setName('tcp');
    expect(() => clash.setServiceParent(parent)).toThrow(new RuntimeError("cannot have two services with same name 'tcp'"));
    // Twisted leaves clash.parent set to a parent that does not hold it; ours does not.
    expect([clash.parent, [...parent].length]).toEqual([undefined, 3]);
    expect(() => parent.getServiceNamed('nobody')).toThrow(KeyError);
  });

  it('removeService forgets the name, and throws ValueError for a stranger', () => {
    const parent = new MultiService();
    const child = new Service();
    child.setName('poetry');
    child.setServiceParent(parent);
    expect(parent.removeService(child)).toBeUndefined();
    expect(() => parent.getServiceNamed('poetry')).toThrow(KeyError);
    expect(() => parent.removeService(new Service())).toThrow(ValueError);
    expect(() => parent.addService(child)).not.toThrow();
  });

  it('a nested tree starts depth first and stops in reverse', () => {
    const events: string[] = [];
    const root = new MultiService();
    const middle = new MultiService();
    new Recording('a', events).setServiceParent(root);
    middle.setServiceParent(root);
    new Recording('b', events).setServiceParent(middle);
    new Recording('c', events).setServiceParent(middle);
    root.startService();
    root.stopService();
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
  });
});

describe('Application', () => {
  it('is a MultiService with the name given', () => {
    const application = new Application('fastpoetry');
    expect(application).toBeInstanceOf(MultiService);
    expect(application.name).toBe('fastpoetry');
    expect(() => new Application('')).toThrow(new TypeError('Expected `name` to be a non-empty string, got `` (string)'));
  });
});
