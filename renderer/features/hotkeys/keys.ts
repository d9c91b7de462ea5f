/** The parts of a KeyboardEvent a binding reads. */
export interface KeyLike {
  readonly key: string;
  /** The physical key (`Digit1`): digits are read from it, so Ctrl+Shift+1 is not `Ctrl+!`. */
  readonly code?: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

type Modifier = 'Ctrl' | 'Alt' | 'Shift' | 'Meta';

/** Keys that are only modifiers: pressed alone they are never a binding. */
const MODIFIER_KEYS = new Set(['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock', 'OS', 'Dead']);

/** Names a key the way bindings spell it: letters upper case, a space `Space`, named keys as is. */
function keyName(key: string): string {
  if (key === ' ') return 'Space';
  if (key === 'Esc') return 'Escape';
  if (key.length === 1) return key.toUpperCase();
  return key;
}

const isLetter = (k: string): boolean => k.length === 1 && k.toLowerCase() !== k.toUpperCase();

/**
 * A key press as a binding string: modifiers in a fixed order (`Ctrl`, `Alt`, `Shift`, `Meta`), then
 * the key (`Ctrl+Alt+K`, `Shift+F1`, `Shift+B`, `Ctrl+Shift+1`, `?`). Letters are upper case and
 * digits are read from the physical key. Shift is named for letters, digits and named keys; for other
 * characters it is already in the character (`?` is Shift+/ on a US keyboard, another key elsewhere),
 * so naming it too would make the binding depend on the layout. Returns '' for a modifier alone.
 */
export function keyOf(e: KeyLike): string {
  if (MODIFIER_KEYS.has(e.key) || e.key === '' || e.key === 'Unidentified') return '';
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(e.code ?? '')?.[1];
  const key = digit ?? e.key;
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('Ctrl');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && (key.length > 1 || isLetter(key) || digit !== undefined)) parts.push('Shift');
  if (e.metaKey) parts.push('Meta');
  parts.push(keyName(key));
  return parts.join('+');
}

/**
 * True when a binding types nothing into a text field: it holds Ctrl or Meta, or its key is an
 * F-key or Escape. Such bindings may fire while the trader is typing (see `CommandWhen.inTextField`).
 */
export function typesNothing(binding: string): boolean {
  const parts = binding === '+' ? ['+'] : binding.split('+');
  const key = binding.endsWith('++') ? '+' : (parts.at(-1) ?? '');
  const mods = parts.slice(0, -1);
  return mods.includes('Ctrl') || mods.includes('Meta') || /^F\d{1,2}$/.test(key) || key === 'Escape';
}

const MODIFIER_ALIASES: Readonly<Record<string, Modifier>> = {
  ctrl: 'Ctrl',
  control: 'Ctrl',
  meta: 'Meta',
  cmd: 'Meta',
  command: 'Meta',
  alt: 'Alt',
  option: 'Alt',
  shift: 'Shift',
};

/**
 * A binding written by hand (`ctrl+shift+k`, `Shift + F1`, `esc`) in the form `keyOf` produces
 * (`Ctrl+Shift+K`, `Shift+F1`, `Escape`), or undefined when it names no key or an unknown modifier.
 * `+` itself is written as the last part (`Ctrl++`).
 */
export function normaliseBinding(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed === '+') return '+';
  const parts = trimmed.split('+').map((p) => p.trim());
  // `Ctrl++` splits into ['Ctrl', '', '']: the key is '+'.
  let key = parts.pop() ?? '';
  if (key === '' && parts.at(-1) === '') {
    parts.pop();
    key = '+';
  }
  if (key === '') return undefined;
  const mods = new Set<Modifier>();
  for (const p of parts) {
    const m = MODIFIER_ALIASES[p.toLowerCase()];
    if (m === undefined) return undefined;
    mods.add(m);
  }
  const named = key.length === 1 ? key : key.toLowerCase() === 'space' ? ' ' : key;
  return keyOf({
    key: named.length > 1 ? namedKeyCase(named) : named,
    ctrlKey: mods.has('Ctrl'),
    metaKey: mods.has('Meta'),
    altKey: mods.has('Alt'),
    shiftKey: mods.has('Shift'),
  });
}

/** `escape` → `Escape`, `arrowup` → `ArrowUp`, `f1` → `F1`, `pagedown` → `PageDown`. */
function namedKeyCase(key: string): string {
  if (key.toLowerCase() === 'esc') return 'Escape';
  if (key.toLowerCase() === 'del') return 'Delete';
  const known = NAMED_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
  if (known !== undefined) return known;
  if (/^f\d{1,2}$/i.test(key)) return key.toUpperCase();
  return key;
}

const NAMED_KEYS = [
  'Escape',
  'Enter',
  'Tab',
  'Backspace',
  'Delete',
  'Insert',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
] as const;

/** How a binding reads on screen: `Ctrl+K` stays, arrows become glyphs (`Alt+↑`). */
export function bindingText(binding: string): string {
  return binding
    .replace(/ArrowUp$/, '↑')
    .replace(/ArrowDown$/, '↓')
    .replace(/ArrowLeft$/, '←')
    .replace(/ArrowRight$/, '→');
}

/** The parts of an element the focus rules read (an Element in the window; plain objects in tests). */
export interface ElementLike {
  readonly tagName?: unknown;
  readonly type?: unknown;
  readonly isContentEditable?: unknown;
  readonly parentElement?: unknown;
  getAttribute?(name: string): string | null;
}

/** Input types that take typed characters (a checkbox, radio or button does not). */
const TEXT_INPUT_TYPES = new Set([
  'text',
  'search',
  'number',
  'email',
  'password',
  'tel',
  'url',
  'date',
  'datetime-local',
  'time',
  'month',
  'week',
  '',
]);

/** True when `target` takes typed characters: a text input, a textarea, a select, or editable content. */
export function isTextField(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as ElementLike;
  if (el.isContentEditable === true) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = typeof el.type === 'string' ? el.type.toLowerCase() : '';
  return TEXT_INPUT_TYPES.has(type);
}
