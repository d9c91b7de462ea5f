import { describe, expect, it } from 'vitest';
import { RpcError } from '../../../shared/rpc/errors';
import { localRefusal, refusalOf } from './refusal';

describe('how a refused order reads', () => {
  it("shows the engine's message, refusal code and suggestion", () => {
    const r = refusalOf(
      new RpcError('REJECTED', 'Quantity 2000 is above the freeze quantity 1800', {
        code: 'FREEZE_QUANTITY',
        suggestion: 'Place it as 2 orders of 1000',
      }),
    );
    expect(r).toEqual({
      code: 'FREEZE_QUANTITY',
      message: 'Quantity 2000 is above the freeze quantity 1800',
      suggestion: 'Place it as 2 orders of 1000',
      uncertain: false,
    });
    expect(refusalOf(new RpcError('REJECTED', 'no', { code: 'NOT_A_CODE' })).code).toBe('REJECTED');
  });

  it("names the field of a schema refusal (quantity 0 is the engine's INVALID_PARAMS)", () => {
    const r = refusalOf(
      new RpcError('INVALID_PARAMS', 'invalid params for orders.place', {
        issues: [{ path: ['quantity'], message: 'Too small: expected number to be >0' }],
      }),
    );
    expect(r.code).toBe('INVALID_PARAMS');
    expect(r.message).toBe('Not a valid order. Quantity: Too small: expected number to be >0');
  });

  it('says a lost answer may have gone through, and never to re-send blindly', () => {
    for (const code of ['TIMEOUT', 'DISCONNECTED'] as const) {
      const r = refusalOf(new RpcError(code, 'no answer'));
      expect(r.uncertain).toBe(true);
      expect(r.suggestion).toBe('Check the orders grid before trying again.');
    }
  });

  it('says so when the engine has no orders service', () => {
    expect(refusalOf(new RpcError('UNKNOWN_METHOD', 'no service orders')).message).toBe(
      'This engine does not take orders yet.',
    );
    expect(localRefusal('Pick an instrument').code).toBe('LOCAL');
    expect(refusalOf(new Error('boom')).message).toBe('boom');
  });
});
