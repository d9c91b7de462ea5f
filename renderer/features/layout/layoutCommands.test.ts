import { describe, expect, it } from 'vitest';
import { commandForBinding, layoutCommands } from './layoutCommands';
import { split, stack, visiblePanelIds } from './layoutModel';
import { createLayoutStore } from './layoutStore';

const known = new Set(['a', 'b', 'c', 'd']);
function setup(focused?: string) {
  const store = createLayoutStore(known);
  store.getState().change(
    split('row', [
      [1, stack(['a', 'b'])],
      [1, stack(['c'])],
      [1, stack(['d'])],
    ]),
  );
  let focus = focused;
  const popped: string[] = [];
  const commands = layoutCommands({
    store,
    focusedPanel: () => focus,
    popOut: (p) => popped.push(p),
  });
  const run = (binding: string) => {
    const c = commandForBinding(commands, binding);
    if (c === undefined) throw new Error(`nothing on ${binding}`);
    c.run();
    focus = store.getState().focusRequest?.panel;
  };
  return { store, commands, run, popped, focusOn: (id: string) => (focus = id) };
}

describe('layout commands', () => {
  it('are data with unique ids and default keys', () => {
    const { commands } = setup();
    const ids = commands.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(commands.find((c) => c.id === 'layout.focusPanel1')?.keys).toEqual(['Ctrl+1']);
    expect(commands.find((c) => c.id === 'layout.nextPanel')?.keys).toEqual(['F6']);
    expect(commands.find((c) => c.id === 'layout.previousPanel')?.keys).toEqual(['Shift+F6']);
    expect(commands.find((c) => c.id === 'layout.nextTab')?.keys).toContain('Ctrl+Tab');
    expect(ids).toContain('layout.preset.scalper');
    for (const c of commands) expect(c.label).not.toBe('');
  });

  it('Ctrl+N focuses the Nth panel on screen', () => {
    const { run, store } = setup();
    run('Ctrl+3');
    expect(store.getState().focusRequest?.panel).toBe('d');
    run('Ctrl+1');
    expect(store.getState().focusRequest?.panel).toBe('a');
    const before = store.getState().focusRequest;
    run('Ctrl+9'); // there is no 9th: nothing happens
    expect(store.getState().focusRequest).toBe(before);
  });

  it('F6 and Shift+F6 go round the panels on screen', () => {
    const { run, store } = setup();
    run('F6');
    expect(store.getState().focusRequest?.panel).toBe('a');
    run('F6');
    run('F6');
    expect(store.getState().focusRequest?.panel).toBe('d');
    run('F6');
    expect(store.getState().focusRequest?.panel).toBe('a');
    run('Shift+F6');
    expect(store.getState().focusRequest?.panel).toBe('d');
  });

  it('Ctrl+Tab shows and focuses the next tab of the focused panel’s stack', () => {
    const { run, store, focusOn } = setup();
    focusOn('a');
    run('Ctrl+Tab');
    expect(store.getState().focusRequest?.panel).toBe('b');
    expect(visiblePanelIds(store.getState().tree)).toEqual(['b', 'c', 'd']);
    run('Ctrl+Shift+Tab');
    expect(visiblePanelIds(store.getState().tree)).toEqual(['a', 'c', 'd']);
    run('Alt+PageDown');
    expect(visiblePanelIds(store.getState().tree)).toEqual(['b', 'c', 'd']);
  });

  it('chooses a preset, resets, and pops out the focused panel', () => {
    const { commands, store, popped, focusOn } = setup();
    commands.find((c) => c.id === 'layout.preset.charts')?.run();
    expect(store.getState().name).toBe('charts');
    focusOn('chart');
    commands.find((c) => c.id === 'layout.popOut')?.run();
    expect(popped).toEqual(['chart']);
  });
});
