import { describe, expect, it } from 'vitest';
import { ROOT } from '../../lib/notebook/paths';
import { trimStack } from '../../lib/notebook/stack';

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
