import { describe, expect, it } from 'vitest';
import { modeSwitchWarning } from './ModeSwitch';

describe('modeSwitchWarning', () => {
  it('asks before LIVE and before leaving it, and not between sim and paper', () => {
    expect(modeSwitchWarning('sim', 'live')).toMatch(/real money/);
    expect(modeSwitchWarning('paper', 'live')).toMatch(/real money/);
    expect(modeSwitchWarning('live', 'sim')).toMatch(/Leave LIVE for SIM/);
    expect(modeSwitchWarning('sim', 'paper')).toBeNull();
    expect(modeSwitchWarning('live', 'live')).toBeNull();
    expect(modeSwitchWarning(undefined, 'live')).toMatch(/real money/);
  });
});
