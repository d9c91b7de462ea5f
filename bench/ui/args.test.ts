import { describe, expect, it } from 'vitest';
import { parseUiBenchArgs } from './args';

describe('parseUiBenchArgs', () => {
  it('defaults to the issue: 60 s of 2,000 ticks/s over 50 instruments, 20 s baselines', () => {
    expect(parseUiBenchArgs([])).toEqual({
      seconds: 60,
      tickRate: 2000,
      instruments: 50,
      baselineSeconds: 20,
      warmupSeconds: 5,
      seed: 1,
      idle: true,
      profile: true,
    });
  });

  it('a quick run shortens the baselines with it, unless told', () => {
    expect(parseUiBenchArgs(['--seconds', '10'])).toMatchObject({ seconds: 10, baselineSeconds: 10 });
    expect(
      parseUiBenchArgs([
        '--seconds=10',
        '--baseline-seconds=3',
        '--no-idle',
        '--no-profile',
        '--tick-rate',
        '500',
      ]),
    ).toMatchObject({ seconds: 10, baselineSeconds: 3, idle: false, profile: false, tickRate: 500 });
  });

  it.each([
    [['--seconds', '0'], /--seconds must be/],
    [['--instruments', '2.5'], /--instruments must be an integer/],
    [['--tick-rate'], /needs a number/],
    [['--rate', '5'], /unknown argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseUiBenchArgs(argv)).toThrow(message);
  });
});
