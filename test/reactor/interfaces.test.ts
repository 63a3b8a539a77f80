import { describe, expect, it } from 'vitest';
import { isHalfCloseable } from '../../lib/reactor/interfaces';
import { Protocol } from '../../lib/protocol/protocol';

describe('isHalfCloseable', () => {
  it('is true for a protocol with readConnectionLost, as IHalfCloseableProtocol.providedBy', () => {
    const protocol = Object.assign(new Protocol(), { readConnectionLost: () => undefined });
    expect(isHalfCloseable(protocol)).toBe(true);
  });

  it('is false for a plain protocol, a non-function readConnectionLost, and no protocol', () => {
    expect(isHalfCloseable(new Protocol())).toBe(false);
    expect(isHalfCloseable({ readConnectionLost: 'no' })).toBe(false);
    expect(isHalfCloseable(undefined)).toBe(false);
  });
});
