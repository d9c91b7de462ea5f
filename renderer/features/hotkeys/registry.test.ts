import { describe, expect, it, vi } from 'vitest';
import type { Command } from './command';
import { createHotkeyRegistry, focusContextOf, NO_FOCUS } from './registry';
import type { FocusContext, KeyPress } from './registry';

const command = (id: string, keys: readonly string[], more: Partial<Command> = {}): Command => ({
  id,
  label: id,
  category: 'Window',
  keys,
  run: vi.fn(),
  ...more,
});

const key = (k: string, more: Partial<KeyPress> = {}): KeyPress & { preventDefault: () => void } => ({
  key: k,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  target: null,
  preventDefault: vi.fn(),
  ...more,
});

const inScope = (...scopes: string[]): FocusContext => ({
  scopes,
  scopeInstrument: undefined,
  inTextField: false,
});
const typing: FocusContext = { scopes: [], scopeInstrument: undefined, inTextField: true };

describe('the hotkey registry', () => {
  it('registers a list and disposing it removes exactly that list', () => {
    const r = createHotkeyRegistry();
    const a = r.register([command('a', ['A'])]);
    r.register([command('b', ['B'])]);
    expect(r.store.getState().commands.map((c) => c.id)).toEqual(['a', 'b']);
    a.dispose();
    a.dispose();
    expect(r.store.getState().commands.map((c) => c.id)).toEqual(['b']);
  });

  it('a second registration of an id shadows the first until disposed (StrictMode mounts twice)', () => {
    const r = createHotkeyRegistry();
    const first = command('x', ['X']);
    const second = command('x', ['X']);
    r.register([first]);
    const again = r.register([second]);
    expect(r.store.getState().commands).toEqual([second]);
    expect(r.conflicts()).toEqual([]);
    again.dispose();
    expect(r.store.getState().commands).toEqual([first]);
  });

  it('resolves a key by where focus is: the innermost scope, then window-wide', () => {
    const r = createHotkeyRegistry();
    const global = command('orders.buy', ['B'], { when: { inTextField: false } });
    const ladder = command('ladder.buy', ['B'], { when: { scope: 'ladder' } });
    const watch = command('watchlist.up', ['ArrowUp'], { when: { scope: 'watchlist' } });
    r.register([global, ladder, watch]);
    expect(r.resolve('B', NO_FOCUS)).toEqual({ kind: 'command', command: global });
    expect(r.resolve('B', inScope('ladder', 'workspace'))).toEqual({ kind: 'command', command: ladder });
    expect(r.resolve('B', inScope('watchlist'))).toEqual({ kind: 'command', command: global });
    expect(r.resolve('ArrowUp', NO_FOCUS)).toEqual({ kind: 'none' });
    expect(r.resolve('ArrowUp', inScope('watchlist'))).toEqual({ kind: 'command', command: watch });
    expect(r.conflicts()).toEqual([]); // a scoped command shadowing a window-wide one is no clash
  });

  it('while typing: never for inTextField false, always for true, else only keys that type nothing', () => {
    const r = createHotkeyRegistry();
    const buy = command('buy', ['B', 'F9'], { when: { inTextField: false } });
    const search = command('search', ['/', 'Ctrl+K']);
    const open = command('open', ['F1']);
    const any = command('any', ['Q'], { when: { inTextField: true } });
    r.register([buy, search, open, any]);
    expect(r.resolve('B', typing).kind).toBe('none');
    expect(r.resolve('F9', typing).kind).toBe('none');
    expect(r.resolve('/', typing).kind).toBe('none');
    expect(r.resolve('Ctrl+K', typing)).toEqual({ kind: 'command', command: search });
    expect(r.resolve('F1', typing)).toEqual({ kind: 'command', command: open });
    expect(r.resolve('Q', typing)).toEqual({ kind: 'command', command: any });
    expect(r.resolve('/', NO_FOCUS)).toEqual({ kind: 'command', command: search });
  });

  it('detects two commands on one key in one scope; the key then runs neither and says why', () => {
    const r = createHotkeyRegistry();
    const a = command('a', ['X']);
    const b = command('b', ['X', 'Y']);
    const c = command('c', ['X'], { when: { scope: 'ladder' } });
    r.register([a, b, c]);
    expect(r.conflicts()).toEqual([{ binding: 'X', scope: undefined, commandIds: ['a', 'b'] }]);
    const e = key('x');
    expect(r.dispatch(e)).toBe(true);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(a.run).not.toHaveBeenCalled();
    expect(b.run).not.toHaveBeenCalled();
    expect(r.store.getState().notice).toMatchObject({ kind: 'refused' });
    expect(r.store.getState().notice?.text).toContain('X is bound to');
    // Rebinding one of them clears the clash.
    r.rebind('b', ['Y']);
    expect(r.conflicts()).toEqual([]);
    r.dispatch(key('x'));
    expect(a.run).toHaveBeenCalledTimes(1);
  });

  it('dispatch: runs the command with the focus it was pressed in; skips handled, composing and unbound keys', () => {
    const r = createHotkeyRegistry({
      focusOf: () => ({ scopes: ['ladder'], scopeInstrument: 408065, inTextField: false }),
    });
    const run = vi.fn();
    r.register([command('go', ['G'], { run })]);
    expect(r.dispatch(key('g', { defaultPrevented: true }))).toBe(false);
    expect(r.dispatch(key('g', { isComposing: true }))).toBe(false);
    expect(r.dispatch(key('h'))).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(r.dispatch(key('g'))).toBe(true);
    expect(run).toHaveBeenCalledWith(
      expect.objectContaining({
        binding: 'G',
        scopes: ['ladder'],
        scopeInstrument: 408065,
        inTextField: false,
      }),
    );
  });

  it('auto-repeat runs only commands that opt in (holding B never sends twice)', () => {
    const r = createHotkeyRegistry();
    const buy = command('buy', ['B']);
    const down = command('down', ['ArrowDown'], { repeats: true });
    r.register([buy, down]);
    expect(r.dispatch(key('b', { repeat: true }))).toBe(true); // still swallowed: no browser default
    expect(buy.run).not.toHaveBeenCalled();
    r.dispatch(key('ArrowDown', { repeat: true }));
    expect(down.run).toHaveBeenCalledTimes(1);
  });

  it('a refusal or a thrown error in run becomes the notice', async () => {
    const r = createHotkeyRegistry();
    r.register([
      command('no', ['N'], {
        run: (i) => {
          i.refuse('No instrument selected.');
        },
      }),
      command('boom', ['M'], { label: 'Boom', run: () => Promise.reject(new Error('engine away')) }),
    ]);
    r.dispatch(key('n'));
    expect(r.store.getState().notice).toMatchObject({
      kind: 'refused',
      text: 'No instrument selected.',
      commandId: 'no',
    });
    await r.execute('boom');
    expect(r.store.getState().notice).toMatchObject({ kind: 'refused', text: 'Boom: engine away' });
  });

  it('confirm: resolves with the answer; a second question withdraws the first', async () => {
    const r = createHotkeyRegistry();
    const answers: boolean[] = [];
    r.register([
      command('ask', ['A'], {
        run: async (i) => {
          answers.push(await i.confirm({ title: 'Sure?', confirmLabel: 'Yes' }));
        },
      }),
    ]);
    const first = r.execute('ask');
    expect(r.store.getState().confirmation).toMatchObject({ title: 'Sure?', commandId: 'ask' });
    const second = r.execute('ask');
    await first;
    expect(answers).toEqual([false]);
    r.answer(true);
    await second;
    expect(answers).toEqual([false, true]);
    expect(r.store.getState().confirmation).toBeUndefined();
  });

  it('overrides replace the defaults; rebinding to the defaults drops the override; reset restores', () => {
    const changes: unknown[] = [];
    const r = createHotkeyRegistry({ onOverridesChanged: (o) => changes.push(o) });
    const buy = command('orders.buy', ['B']);
    r.register([buy, command('orders.sell', ['S'])]);
    expect(r.rebind('orders.buy', ['ctrl+b', 'Ctrl+B', 'space', ''])).toEqual({
      'orders.buy': ['Ctrl+B', 'Space'],
    });
    expect(r.bindingsOf('orders.buy')).toEqual(['Ctrl+B', 'Space']);
    expect(r.resolve('B').kind).toBe('none');
    expect(r.resolve('Ctrl+B')).toEqual({ kind: 'command', command: buy });
    expect(r.rebind('orders.sell', [])).toEqual({ 'orders.buy': ['Ctrl+B', 'Space'], 'orders.sell': [] });
    expect(r.resolve('S').kind).toBe('none'); // an empty list unbinds
    expect(r.rebind('orders.buy', ['B'])).toEqual({ 'orders.sell': [] });
    expect(r.isOverridden('orders.buy')).toBe(false);
    expect(r.reset('orders.sell')).toEqual({});
    expect(r.bindingsOf('orders.sell')).toEqual(['S']);
    expect(changes).toHaveLength(4);
  });

  it('keeps overrides of commands not registered (the ladder may mount later)', () => {
    const r = createHotkeyRegistry();
    r.setOverrides({ 'ladder.buy': ['shift+b'] });
    expect(r.bindingsOf('ladder.buy')).toEqual(['Shift+B']);
    const ladderBuy = command('ladder.buy', ['B'], { when: { scope: 'ladder' } });
    r.register([ladderBuy]);
    expect(r.resolve('Shift+B', inScope('ladder'))).toEqual({ kind: 'command', command: ladderBuy });
    expect(r.rebind('other', ['O'])).toEqual({ 'ladder.buy': ['Shift+B'], other: ['O'] });
  });
});

describe('focusContextOf', () => {
  const el = (attrs: Record<string, string>, parent: unknown = null, more: Record<string, unknown> = {}) => ({
    getAttribute: (name: string) => attrs[name] ?? null,
    parentElement: parent,
    ...more,
  });
  it('collects scopes innermost first and the innermost declared instrument', () => {
    const root = el({ 'data-hotkey-scope': 'workspace' });
    const ladder = el({ 'data-hotkey-scope': 'ladder', 'data-hotkey-instrument': '408065' }, root);
    const cell = el({}, ladder, { tagName: 'DIV' });
    expect(focusContextOf(cell)).toEqual({
      scopes: ['ladder', 'workspace'],
      scopeInstrument: 408065,
      inTextField: false,
    });
    const input = el({}, ladder, { tagName: 'INPUT', type: 'text' });
    expect(focusContextOf(input).inTextField).toBe(true);
    expect(focusContextOf(null)).toEqual(NO_FOCUS);
  });
});
