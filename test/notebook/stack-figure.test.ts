import { describe, expect, it } from 'vitest';
import { parseStack, renderStack } from '../../lib/notebook/stack-figure';

const STACK = [
  'Error: called by callLater',
  '    at Proxy.stackHere (cell:38:13)',
  '    at cell:5:25',
  '    at DelayedCall.run (lib/reactor/delayed-call.js:87:16)',
  '    at EpollReactor.runUntilCurrent (lib/reactor/base.js:101:25)',
  '    at async EpollReactor.run (lib/reactor/base.js:75:22)',
].join('\n');

describe('parseStack', () => {
  it('reads each frame with its function, place and owner, innermost first', () => {
    expect(parseStack(STACK)).toEqual([
      { name: 'Proxy.stackHere', owner: 'yours', where: 'cell:38:13' },
      { name: '(anonymous)', owner: 'yours', where: 'cell:5:25' },
      { name: 'DelayedCall.run', owner: 'lib', where: 'lib/reactor/delayed-call.js:87:16' },
      { name: 'EpollReactor.runUntilCurrent', owner: 'lib', where: 'lib/reactor/base.js:101:25' },
      { name: 'EpollReactor.run', owner: 'lib', where: 'lib/reactor/base.js:75:22' },
    ]);
  });
});

describe('renderStack', () => {
  it('draws one box per frame, innermost on top, with escaped labels', () => {
    const svg = renderStack(parseStack(STACK), 'who calls <your> code');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect x="10" y="\d+" width="540"/g)).toHaveLength(5);
    expect(svg.indexOf('Proxy.stackHere')).toBeLessThan(svg.indexOf('EpollReactor.run<'));
    expect(svg).toContain('who calls &#60;your&#62; code');
  });
});
