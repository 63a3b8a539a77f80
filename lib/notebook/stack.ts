// Chapters 03, 05 and 17: stack traces as a chapter shows them (tested in test/notebook/stack.test.ts).
import { realpathSync } from 'node:fs';
import { ROOT } from './paths';

// Frames of the kernel (tslab, under node_modules) and of Node's own machinery (node:vm, node:internal):
// they say who runs a cell, the same for every cell, not what the chapter is about.
const KERNEL_FRAME = /^\s+at .*(?:\bnode:[\w/]+:\d|\bnode_modules[\\/])/;

// The project root as the kernel sees it, and as the symlink resolves: either may be in a path.
const ROOTS = [...new Set([`${ROOT}/`, `${realpathSync(ROOT)}/`])];

/**
 * A stack trace (or any text holding one) as a learner should read it: the kernel's frames and
 * Node's internal ones dropped; the learner's cell shown as `cell`; lib files under their path
 * from the project root (`lib/reactor/select-reactor.js:57:42`: tslab runs lib compiled, so line
 * numbers are those of the compiled file); no path of the machine that ran it.
 */
export function trimStack(text: string): string {
  return text
    .split('\n')
    .filter((line) => !KERNEL_FRAME.test(line))
    .map((line) => {
      for (const root of ROOTS) line = line.split(root).join('');
      return line.replace(/\bnotebooks\/lib\//g, 'lib/').replace(/evalmachine\.<anonymous>/g, 'cell');
    })
    .join('\n');
}

/**
 * A stack trace in V8's format from `error` and its frames, as `trimStack` leaves it: the
 * `Error.prepareStackTrace` of a notebook kernel (see `hideKernelFrames`).
 */
export function kernelFreeStack(error: Error, frames: readonly NodeJS.CallSite[]): string {
  return trimStack([Error.prototype.toString.call(error), ...frames.map((frame) => `    at ${frame}`)].join('\n'));
}

const INSTALLED = Symbol.for('twisted-intro.kernelFreeStack');

/**
 * In a tslab kernel, makes every error's stack read as `trimStack` leaves it (V8 formats a stack
 * when it is first read, so tslab's own "Interrupted asynchronously", made when the kernel
 * started, is shown in one line after an interrupt, not with the kernel's frames). Does nothing
 * outside a kernel (a test runner keeps its own stack formatting) or when it is already done.
 */
export function hideKernelFrames(global: typeof globalThis = globalThis): void {
  const marked = global as unknown as Record<symbol, boolean>;
  if (!('__tslab__' in global) || marked[INSTALLED]) return;
  marked[INSTALLED] = true;
  global.Error.prepareStackTrace = kernelFreeStack;
}
