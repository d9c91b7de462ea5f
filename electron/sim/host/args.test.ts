import { describe, expect, it } from 'vitest';
import { parseSimArgs } from './args';

describe('parseSimArgs', () => {
  it('defaults to loopback, any port, seed 1, real time', () => {
    expect(parseSimArgs([])).toEqual({
      port: 0,
      host: '127.0.0.1',
      seed: 1,
      speed: 1,
      alwaysOpen: false,
      activity: 1,
    });
  });

  it('reads every flag, with = or a separate value', () => {
    expect(
      parseSimArgs([
        '--port',
        '7000',
        '--seed=42',
        '--speed',
        '60',
        '--always-open',
        '--state',
        '/tmp/sim.json',
        '--api-key=abcdef',
        '--activity',
        '0',
        '--redirect-url',
        'http://127.0.0.1:5173/callback',
      ]),
    ).toEqual({
      port: 7000,
      host: '127.0.0.1',
      seed: 42,
      speed: 60,
      alwaysOpen: true,
      activity: 0,
      state: '/tmp/sim.json',
      apiKey: 'abcdef',
      redirectUrl: 'http://127.0.0.1:5173/callback',
    });
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port'], /needs a value/],
    [['--speed', '0'], /--speed/],
    [['--seed', '1.5'], /--seed/],
    [['--api-key', 'a b'], /--api-key/],
    [['--redirect-url', 'callback'], /--redirect-url/],
    [['--fast'], /unknown argument/],
    [['--activity', '-1'], /--activity/],
    [['--market', 'heavy'], /--market/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimArgs(argv)).toThrow(message);
  });
});
