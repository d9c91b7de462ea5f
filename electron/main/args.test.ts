import { describe, expect, it } from 'vitest';
import { preloadArguments, tradingModeFromArgv } from './args';

describe('tradingModeFromArgv', () => {
  it.each([
    [['/usr/bin/electron', '.'], 'sim'],
    [['shrivenq', '--mode', 'paper'], 'paper'],
    [['shrivenq', '--mode=live'], 'live'],
    [['shrivenq', '--mode=sim', '--other'], 'sim'],
  ])('%j -> %s', (argv, mode) => {
    expect(tradingModeFromArgv(argv)).toEqual({ mode });
  });

  it.each([[['x', '--mode', 'LIVE']], [['x', '--mode']], [['x', '--mode=']], [['x', '--mode=backtest']]])(
    'falls back to sim with a warning for %j',
    (argv) => {
      const result = tradingModeFromArgv(argv);
      expect(result.mode).toBe('sim');
      expect(result.warning).toMatch(/using sim/);
    },
  );
});

describe('preloadArguments', () => {
  it('passes name and version as flags the preload can find', () => {
    expect(preloadArguments('ShrivenQ', '0.1.0')).toEqual([
      '--shrivenq-app-name=ShrivenQ',
      '--shrivenq-app-version=0.1.0',
    ]);
  });
});
