import type { ChangeEvent } from 'react';
import type { TradingMode } from '../../../shared/services/system';

/** What switching to `to` from `from` asks of the trader first; null when nothing. */
export function modeSwitchWarning(from: TradingMode | undefined, to: TradingMode): string | null {
  if (to === from) return null;
  if (to === 'live')
    return 'Switch to LIVE? Orders will go to Kite and trade real money. The sim session and its feed stop.';
  if (from === 'live') return `Leave LIVE for ${to.toUpperCase()}? The Kite session's feed stops here.`;
  return null;
}

export interface ModeSwitchProps {
  /** The session's mode now (undefined until the engine says). */
  readonly mode: TradingMode | undefined;
  /** Applies a mode (settings.set); never called without the trader's confirmation for LIVE. */
  readonly onSwitch: (mode: TradingMode) => void;
  /** Asks yes/no (window.confirm in the window; injected in tests). */
  readonly confirm: (question: string) => boolean;
}

/** A compact select of sim / paper / live; switching to or from LIVE asks first. */
export function ModeSwitch({ mode, onSwitch, confirm }: ModeSwitchProps) {
  const onChange = (event: ChangeEvent<HTMLSelectElement>): void => {
    const to = event.target.value as TradingMode;
    const warning = modeSwitchWarning(mode, to);
    if (warning !== null && !confirm(warning)) {
      event.target.value = mode ?? 'sim';
      return;
    }
    onSwitch(to);
  };
  return (
    <label className="mode-switch" title="Trading mode (a setting; it switches at once)">
      <span className="mode-switch__label">Mode</span>
      <select
        className="mode-switch__select"
        aria-label="Trading mode"
        data-testid="mode-switch"
        value={mode ?? 'sim'}
        disabled={mode === undefined}
        onChange={onChange}
      >
        <option value="sim">Sim (local exchange)</option>
        <option value="paper">Paper (Kite data)</option>
        <option value="live">Live (Kite)</option>
      </select>
    </label>
  );
}
