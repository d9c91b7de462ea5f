import { describe, expect, it } from 'vitest';
import { parseTickerCommand, Subscriptions } from './tickerProtocol';

describe('parseTickerCommand', () => {
  it('reads subscribe, unsubscribe and mode, keeping numeric tokens only', () => {
    expect(parseTickerCommand('{"a":"subscribe","v":[408065,"884737",1.5,-1]}')).toEqual({
      a: 'subscribe',
      tokens: [408065],
    });
    expect(parseTickerCommand('{"a":"unsubscribe","v":[884737]}')).toEqual({
      a: 'unsubscribe',
      tokens: [884737],
    });
    expect(parseTickerCommand('{"a":"mode","v":["full",[408065]]}')).toEqual({
      a: 'mode',
      mode: 'full',
      tokens: [408065],
    });
  });

  it.each([
    'nope',
    '[]',
    '{"a":"subscribe","v":1}',
    '{"a":"mode","v":["deep",[1]]}',
    '{"a":"x","v":[]}',
    'null',
  ])('refuses %s', (text) => {
    expect(parseTickerCommand(text)).toBeUndefined();
  });
});

describe('Subscriptions', () => {
  it('subscribes in quote mode, sets modes, unsubscribes, and caps the count', () => {
    const subs = new Subscriptions(2);
    expect(subs.apply({ a: 'subscribe', tokens: [1, 2, 3] })).toEqual({
      added: [1, 2],
      removed: [],
      moded: [],
      refused: [3],
    });
    expect(subs.mode(1)).toBe('quote');
    expect(subs.apply({ a: 'mode', mode: 'full', tokens: [1, 3] }).moded).toEqual([1]);
    expect(subs.mode(1)).toBe('full');
    expect(subs.apply({ a: 'unsubscribe', tokens: [1, 7] }).removed).toEqual([1]);
    expect(subs.apply({ a: 'subscribe', tokens: [3] }).added).toEqual([3]);
    expect(subs.size).toBe(2);
  });
});
