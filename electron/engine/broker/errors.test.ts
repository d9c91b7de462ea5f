import { describe, expect, it } from 'vitest';
import { BROKER_ERROR_KINDS, BrokerError, isBrokerError } from './errors';

describe('BrokerError', () => {
  it('carries the venue error type, HTTP status and an outcome flag that defaults to known', () => {
    const e = new BrokerError('token', 'Incorrect `api_key` or `access_token`.', {
      venueErrorType: 'TokenException',
      httpStatus: 403,
    });
    expect(e).toBeInstanceOf(Error);
    expect(isBrokerError(e)).toBe(true);
    expect(e.name).toBe('BrokerError');
    expect(e.kind).toBe('token');
    expect(e.venueErrorType).toBe('TokenException');
    expect(e.httpStatus).toBe(403);
    expect(e.outcomeUnknown).toBe(false);
    expect(e.attempts).toBe(1);
    expect(e.needsLogin).toBe(true);
  });

  it('with() adds context without losing what was there', () => {
    const cause = new Error('socket hang up');
    const e = new BrokerError('timeout', 'no answer', { outcomeUnknown: true, cause, httpStatus: 504 });
    const more = e.with({ endpoint: 'orders.place', attempts: 1 });
    expect(more).not.toBe(e);
    expect(more.kind).toBe('timeout');
    expect(more.message).toBe('no answer');
    expect(more.outcomeUnknown).toBe(true);
    expect(more.httpStatus).toBe(504);
    expect(more.endpoint).toBe('orders.place');
    expect(more.cause).toBe(cause);
    expect(more.needsLogin).toBe(false);
  });

  it('lists every kind once', () => {
    expect(new Set(BROKER_ERROR_KINDS).size).toBe(BROKER_ERROR_KINDS.length);
    expect(BROKER_ERROR_KINDS).toContain('rateLimited');
    expect(isBrokerError(new Error('x'))).toBe(false);
    expect(isBrokerError({ kind: 'token' })).toBe(false);
  });
});
