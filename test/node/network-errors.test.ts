/** Which uncaught errors a node survives: what a peer can provoke, and nothing else. */
import { StreamStateError } from '@libp2p/interface';
import { describe, expect, it } from 'vitest';
import { isSurvivableNetworkError } from '../../node/network-errors.ts';

describe('isSurvivableNetworkError', () => {
  it('survives a socket reset and a libp2p write to a stream its peer closed', () => {
    expect(isSurvivableNetworkError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isSurvivableNetworkError(new StreamStateError('Cannot write to a stream that is closed'))).toBe(true);
  });

  it('does not survive other faults', () => {
    expect(isSurvivableNetworkError(new TypeError('x is undefined'))).toBe(false);
    expect(isSurvivableNetworkError(Object.assign(new Error('disk'), { code: 'EIO' }))).toBe(false);
  });
});
