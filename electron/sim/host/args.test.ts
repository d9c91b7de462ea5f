import { describe, expect, it } from 'vitest';
import { parseSimArgs, simArgv } from './args';

describe('parseSimArgs', () => {
  it('defaults to loopback, any port, seed 1, real time', () => {
    expect(parseSimArgs([])).toEqual({
      port: 0,
      host: '127.0.0.1',
      seed: 1,
      speed: 1,
      alwaysOpen: false,
      activity: 1,
      loseAcks: 0,
      loseAcksMode: 'reset',
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
        '--lose-acks',
        '0.25',
        '--lose-acks-mode=hang',
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
      loseAcks: 0.25,
      loseAcksMode: 'hang',
    });
  });

  it('reads --start as an instant with its zone, and refuses one that is not', () => {
    expect(parseSimArgs([]).start).toBeUndefined();
    expect(parseSimArgs(['--start', '2026-12-02T10:00:00+05:30']).start).toBe(Date.UTC(2026, 11, 2, 4, 30));
    expect(() => parseSimArgs(['--start', 'tomorrow'])).toThrow(/--start must be a date and time/);
  });

  it('takes --lose-acks from 0 to 1, and reset as the default mode', () => {
    for (const p of ['0', '1', '0.5', '1e-3', '1.0'])
      expect(parseSimArgs(['--lose-acks', p])).toMatchObject({ loseAcks: Number(p), loseAcksMode: 'reset' });
    expect(parseSimArgs(['--lose-acks-mode', 'reset']).loseAcksMode).toBe('reset');
  });

  it('reads the tick pump: --tick-rate R, over 50 instruments unless --tick-instruments says', () => {
    expect(parseSimArgs([]).ticks).toBeUndefined();
    expect(parseSimArgs(['--tick-rate', '2000']).ticks).toEqual({ rate: 2000, instruments: 50 });
    expect(parseSimArgs(['--tick-rate=500', '--tick-instruments=10']).ticks).toEqual({
      rate: 500,
      instruments: 10,
    });
  });

  it('puts SHRIVENQ_SIM_ARGS before the command line, which wins', () => {
    expect(simArgv(['--always-open'], {})).toEqual(['--always-open']);
    expect(simArgv(['--always-open'], { SHRIVENQ_SIM_ARGS: '  ' })).toEqual(['--always-open']);
    const argv = simArgv(['--seed', '3'], { SHRIVENQ_SIM_ARGS: ' --tick-rate 2000\t--seed 9 ' });
    expect(argv).toEqual(['--tick-rate', '2000', '--seed', '9', '--seed', '3']);
    expect(parseSimArgs(argv)).toMatchObject({ seed: 3, ticks: { rate: 2000, instruments: 50 } });
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
    [['--lose-acks', 'NaN'], /--lose-acks must be a probability in \[0, 1\].*\(got NaN\)/],
    [['--lose-acks', 'abc'], /--lose-acks must be a probability in \[0, 1\].*\(got abc\)/],
    [['--lose-acks', ''], /--lose-acks must be/],
    [['--lose-acks', '-0.1'], /--lose-acks must be a probability in \[0, 1\].*\(got -0\.1\)/],
    [['--lose-acks', '1.01'], /--lose-acks must be a probability in \[0, 1\].*\(got 1\.01\)/],
    [['--lose-acks', 'Infinity'], /--lose-acks must be/],
    [['--lose-acks'], /--lose-acks needs a value/],
    [['--lose-acks-mode', 'drop'], /--lose-acks-mode must be reset or hang \(got drop\)/],
    [['--tick-rate', '0'], /--tick-rate must be ticks a second/],
    [['--tick-rate', '2000', '--tick-instruments', '0'], /--tick-instruments must be an integer 1-3000/],
    [['--tick-rate', '2000', '--tick-instruments', '2.5'], /--tick-instruments/],
    [['--tick-instruments', '50'], /--tick-instruments needs --tick-rate/],
    [['--tick-rate', '2000', '--activity', '0'], /needs --activity above 0/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseSimArgs(argv)).toThrow(message);
  });
});
