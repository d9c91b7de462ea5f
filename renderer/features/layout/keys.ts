// Key bindings as text: modifiers in a fixed order (Ctrl, Alt, Shift, Meta), then the key, joined
// by `+` (`Ctrl+Shift+Tab`, `F6`, `Ctrl+1`), as settings.hotkeys stores them.

/** The parts of a keydown event a binding reads. */
export interface KeyPress {
  readonly key: string;
  readonly code?: string;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly metaKey: boolean;
}

const MODIFIER_KEYS = new Set(['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'OS']);

/**
 * The binding a key press makes, or undefined for a lone modifier. Digits are read from the
 * physical key (`Digit1`), so Ctrl+Shift+1 is `Ctrl+Shift+1` and not `Ctrl+Shift+!`; a single
 * letter is upper case; named keys keep their names (`F6`, `Tab`, `ArrowUp`, `PageDown`).
 */
export function bindingOf(e: KeyPress): string | undefined {
  if (MODIFIER_KEYS.has(e.key)) return undefined;
  let key = e.key;
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? '');
  if (digit?.[1] !== undefined) key = digit[1];
  else if (key.length === 1) key = key === ' ' ? 'Space' : key.toUpperCase();
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey) parts.push('Shift');
  if (e.metaKey) parts.push('Meta');
  parts.push(key);
  return parts.join('+');
}
