import { describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/notebook/paths';
import { hideKernelFrames, kernelFreeStack, trimStack } from '../../lib/notebook/stack';

describe('trimStack', () => {
  it("drops the kernel's and Node's frames, names the cell, and shows lib paths from the project root", () => {
    const stack = [
      'Error: I fall down.',
      '    at falldown (evalmachine.<anonymous>:4:11)',
      `    at ${ROOT}/notebooks/lib/reactor/select-reactor.js:57:42`,
      `    at #safely (${ROOT}/notebooks/lib/reactor/select-reactor.js:213:13)`,
      '    at sigintHandlersWrap (node:vm:280:12)',
      '    at Script.runInThisContext (node:vm:135:14)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      `    at Object.execute (${ROOT}/node_modules/tslab/dist/executor.js:160:38)`,
      `    at async Object.execute (node_modules/tslab/dist/executor.js:173:17)`,
      '    at evalmachine.<anonymous>:15:23',
    ].join('\n');
    expect(trimStack(stack)).toBe(
      [
        'Error: I fall down.',
        '    at falldown (cell:4:11)',
        '    at lib/reactor/select-reactor.js:57:42',
        '    at #safely (lib/reactor/select-reactor.js:213:13)',
        '    at cell:15:23',
      ].join('\n'),
    );
  });

  it('leaves text without a stack as it is', () => {
    expect(trimStack('Task 1: got 30 bytes\nGot 3 poems')).toBe('Task 1: got 30 bytes\nGot 3 poems');
  });
});

/** The frames of a stack taken here, as V8 hands them to Error.prepareStackTrace. */
function framesHere(): NodeJS.CallSite[] {
  const original = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, frames) => frames;
  try {
    return new Error('here').stack as unknown as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = original;
  }
}

describe('kernelFreeStack and hideKernelFrames', () => {
  it('formats a stack as V8 does, without the frames of node_modules and of Node', () => {
    const frames = framesHere();
    expect(frames.some((frame) => /node_modules|^node:/.test(frame.getFileName() ?? ''))).toBe(true);
    const stack = kernelFreeStack(new RangeError('Interrupted asynchronously'), frames);
    const [head, ...rest] = stack.split('\n');
    expect(head).toBe('RangeError: Interrupted asynchronously');
    expect(rest.length).toBeGreaterThan(0);
    expect(rest[0]).toMatch(/^    at framesHere \(test\/notebook\/stack\.test\.ts:\d+:\d+\)$/);
    for (const line of rest) expect(line).not.toMatch(/node_modules|\(node:|at node:/);
    expect(stack).not.toContain(ROOT);
  });

  it('installs itself in a tslab kernel only, once', () => {
    const plain = { Error: { prepareStackTrace: undefined } } as unknown as typeof globalThis;
    hideKernelFrames(plain);
    expect(plain.Error.prepareStackTrace).toBeUndefined();
    const kernel = { __tslab__: {}, Error: { prepareStackTrace: undefined } } as unknown as typeof globalThis;
    hideKernelFrames(kernel);
    expect(kernel.Error.prepareStackTrace).toBe(kernelFreeStack);
    (kernel.Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    hideKernelFrames(kernel);
    expect(kernel.Error.prepareStackTrace).toBeUndefined();
  });
});
