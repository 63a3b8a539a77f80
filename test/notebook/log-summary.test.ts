import { describe, expect, it } from 'vitest';
import { summarisedLog } from '../../lib/notebook/log-summary';

describe('summarisedLog', () => {
  it('keeps every line and shows the first and last ones with a count between', () => {
    const log = summarisedLog(2, 1);
    for (let i = 1; i <= 6; i++) log.log(`line ${i}`);
    expect(log.lines).toHaveLength(6);
    expect(log.summary()).toBe('line 1\nline 2\n... 3 more lines ...\nline 6');
  });

  it('shows a short log whole (hiding one line would save nothing)', () => {
    const log = summarisedLog(2, 1);
    for (let i = 1; i <= 4; i++) log.log(`line ${i}`);
    expect(log.summary()).toBe('line 1\nline 2\nline 3\nline 4');
  });
});
