// Chapter 02: select(), the one place the async client waits (tested in test/sockets/select.test.ts).
import { setLongTimeout } from '../time/index';
import type { Selectable } from './selectable';

/**
 * Waits until at least one of `readers` is readable or one of `writers` is writable, or until
 * `timeoutSeconds` have passed, and resolves with the ready ones (both lists empty on timeout).
 * Like select(2) it looks at every socket it is given, on each call: the cost grows with the
 * number of sockets watched. Without a timeout it waits as long as it takes.
 * @throws TypeError when `timeoutSeconds` is not a number >= 0.
 */
export function select<R extends Selectable, W extends Selectable>(
  readers: readonly R[],
  writers: readonly W[],
  timeoutSeconds?: number,
): Promise<[R[], W[]]> {
  if (timeoutSeconds !== undefined && !(typeof timeoutSeconds === 'number' && timeoutSeconds >= 0)) {
    throw new TypeError(
      `Expected \`timeoutSeconds\` to be a number >= 0, got \`${timeoutSeconds}\` (${typeof timeoutSeconds})`,
    );
  }
  const scan = (): [R[], W[]] => [readers.filter((s) => s.readable()), writers.filter((s) => s.writable())];
  const ready = scan();
  if (ready[0].length > 0 || ready[1].length > 0 || timeoutSeconds === 0) return Promise.resolve(ready);

  return new Promise((resolve) => {
    const unsubscribers: Array<() => void> = [];
    let cancel: (() => void) | undefined;
    const finish = (result: [R[], W[]]): void => {
      for (const unsubscribe of unsubscribers) unsubscribe();
      cancel?.();
      resolve(result);
    };
    const check = (): void => {
      const now = scan();
      if (now[0].length > 0 || now[1].length > 0) finish(now);
    };
    for (const socket of new Set<Selectable>([...readers, ...writers])) unsubscribers.push(socket.onReadiness(check));
    if (timeoutSeconds !== undefined) cancel = setLongTimeout(() => finish([[], []]), timeoutSeconds * 1000);
  });
}
