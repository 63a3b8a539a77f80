// Tests for lib/log/msg.ts (chapter 16): msg goes to the observers there are, as Twisted's log.msg.
import { describe, expect, it } from 'vitest';
import { addObserver, isLogging, msg, removeObserver } from '../../lib/log/msg';

describe('msg', () => {
  it('goes to every observer until it is removed, and nowhere without one', () => {
    const [first, second]: string[][] = [[], []];
    const removeFirst = addObserver((line) => first.push(line));
    const observer = (line: string): void => {
      second.push(line);
    };
    addObserver(observer);
    msg('one');
    removeFirst();
    msg('two');
    expect(isLogging()).toBe(true);
    removeObserver(observer);
    msg('three');
    expect([first, second, isLogging()]).toEqual([['one'], ['one', 'two'], false]);
  });
});
