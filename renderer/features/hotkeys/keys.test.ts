import { describe, expect, it } from 'vitest';
import { isTextField, keyOf, normaliseBinding, typesNothing } from './keys';

const press = (
  key: string,
  mods: Partial<{
    ctrlKey: boolean;
    altKey: boolean;
    shiftKey: boolean;
    metaKey: boolean;
    code: string;
  }> = {},
) => keyOf({ key, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('keyOf', () => {
  it('names modifiers in one order, letters upper case', () => {
    expect(press('k', { ctrlKey: true })).toBe('Ctrl+K');
    expect(press('K', { ctrlKey: true, shiftKey: true, altKey: true, metaKey: true })).toBe(
      'Ctrl+Alt+Shift+Meta+K',
    );
    expect(press('ArrowUp', { altKey: true })).toBe('Alt+ArrowUp');
    expect(press('b')).toBe('B');
  });

  it('names Shift for letters, digits and named keys, not for shifted punctuation', () => {
    expect(press('B', { shiftKey: true })).toBe('Shift+B');
    expect(press('F1', { shiftKey: true })).toBe('Shift+F1');
    expect(press('Tab', { ctrlKey: true, shiftKey: true })).toBe('Ctrl+Shift+Tab');
    expect(press('?', { shiftKey: true })).toBe('?');
    expect(press('+', { shiftKey: true })).toBe('+');
  });

  it('reads digits from the physical key', () => {
    expect(press('!', { ctrlKey: true, shiftKey: true, code: 'Digit1' })).toBe('Ctrl+Shift+1');
    expect(press('&', { code: 'Digit1' })).toBe('1'); // AZERTY: the 1 key types & unshifted
  });

  it('is empty for a modifier alone; Space has a name', () => {
    expect(press('Shift', { shiftKey: true })).toBe('');
    expect(press('Control', { ctrlKey: true })).toBe('');
    expect(press(' ')).toBe('Space');
  });
});

describe('normaliseBinding', () => {
  it('reads hand-written bindings into keyOf’s form', () => {
    expect(normaliseBinding('ctrl+shift+k')).toBe('Ctrl+Shift+K');
    expect(normaliseBinding('Shift + F1')).toBe('Shift+F1');
    expect(normaliseBinding('shift+ctrl+arrowup')).toBe('Ctrl+Shift+ArrowUp');
    expect(normaliseBinding('esc')).toBe('Escape');
    expect(normaliseBinding('Ctrl++')).toBe('Ctrl++');
    expect(normaliseBinding('?')).toBe('?');
    expect(normaliseBinding('space')).toBe('Space');
  });
  it('refuses blanks and unknown modifiers', () => {
    expect(normaliseBinding('')).toBeUndefined();
    expect(normaliseBinding('Hyper+K')).toBeUndefined();
  });
  it('is idempotent', () => {
    for (const b of ['Ctrl+K', 'Shift+B', '?', 'Alt+ArrowUp', 'F1', 'Ctrl++', 'Space', 'Delete']) {
      expect(normaliseBinding(b)).toBe(b);
    }
  });
});

describe('text fields', () => {
  it('knows which targets take typed characters', () => {
    expect(isTextField({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextField({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextField({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTextField({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
  it('knows which bindings type nothing', () => {
    expect(typesNothing('Ctrl+K')).toBe(true);
    expect(typesNothing('F1')).toBe(true);
    expect(typesNothing('Shift+F1')).toBe(true);
    expect(typesNothing('Escape')).toBe(true);
    expect(typesNothing('B')).toBe(false);
    expect(typesNothing('/')).toBe(false);
    expect(typesNothing('Alt+ArrowUp')).toBe(false);
  });
});
