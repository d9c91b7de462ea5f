import { describe, expect, it } from 'vitest';
import { locate, panelIds, resizeSplit, sameLayout, stack, visiblePanelIds } from './layoutModel';
import { createLayoutStore, layoutNames, layoutsOf } from './layoutStore';
import { PANEL_IDS, presetNamed } from './presets';

const known = new Set<string>(PANEL_IDS);
const preset = (name: string) => {
  const tree = presetNamed(name)?.tree;
  if (tree === undefined) throw new Error(`no preset ${name}`);
  return tree;
};

describe('the layout store', () => {
  it('starts on Default, or on the layout this browser showed last when it is still valid', () => {
    expect(createLayoutStore(known).getState()).toMatchObject({ name: 'default', tree: preset('default') });
    const last = createLayoutStore(known, { name: 'scalper', tree: preset('scalper') }).getState();
    expect(last.name).toBe('scalper');
    expect(sameLayout(last.tree, preset('scalper'))).toBe(true);
    expect(createLayoutStore(known, { name: 'x', tree: { kind: 'nope' } }).getState().name).toBe('default');
  });

  it('keeps a change under the layout’s name, shows it again when chosen, and resets to the preset', () => {
    const store = createLayoutStore(known);
    const s = () => store.getState();
    const resized = resizeSplit(s().tree, [], 0, 0.1);
    s().change(resized);
    expect(s().saved['default']).toBe(resized);
    expect(s().revision).toBe(1);
    s().choose('scalper');
    expect(s().tree).toBe(preset('scalper'));
    s().choose('default');
    expect(s().tree).toBe(resized);
    s().reset();
    expect(s().tree).toBe(preset('default'));
    expect(s().saved['default']).toBeUndefined();
    expect(s().revision).toBe(4);
    s().choose('no-such-layout');
    expect(s().name).toBe('default');
  });

  it('saves a layout under a new name, listed after the presets', () => {
    const store = createLayoutStore(known);
    store.getState().saveAs('  My desk ');
    expect(store.getState().name).toBe('My desk');
    expect(layoutNames(store.getState()).map((n) => n.name)).toEqual([
      'default',
      'scalper',
      'charts',
      'My desk',
    ]);
    expect(layoutsOf(store.getState())).toEqual({
      active: 'My desk',
      saved: { 'My desk': preset('default') },
    });
  });

  it('adopts settings without counting a change, cleaned of panels this build lacks', () => {
    const store = createLayoutStore(known);
    store.getState().adopt({
      active: 'mine',
      saved: {
        mine: { kind: 'stack', panels: ['chart', 'from-the-future'], active: 0 },
        broken: 'x' as never,
      },
    });
    expect(store.getState()).toMatchObject({ name: 'mine', tree: stack(['chart']), revision: 0 });
    expect(Object.keys(store.getState().saved)).toEqual(['mine']);
    // An active name settings do not have falls back to Default.
    store.getState().adopt({ active: 'gone', saved: {} });
    expect(store.getState().name).toBe('default');
    // The same layouts again change nothing (no new state object).
    const before = store.getState();
    store.getState().adopt({ active: 'default', saved: {} });
    expect(store.getState()).toBe(before);
  });

  it('merges settings’ saved layouts under local edits', () => {
    const store = createLayoutStore(known);
    const edited = resizeSplit(store.getState().tree, [], 0, 0.05);
    store.getState().change(edited);
    store
      .getState()
      .merge({ active: 'scalper', saved: { default: preset('charts'), scalper: preset('charts') } });
    expect(store.getState().name).toBe('default');
    expect(store.getState().tree).toBe(edited);
    expect(store.getState().saved['default']).toBe(edited);
    expect(sameLayout(store.getState().saved['scalper'], preset('charts'))).toBe(true);
  });

  it('asked to focus a hidden tab shows it; a panel the layout lacks is added', () => {
    const store = createLayoutStore(known);
    store.getState().requestFocus('ladder');
    expect(visiblePanelIds(store.getState().tree)).toContain('ladder');
    expect(store.getState().focusRequest).toMatchObject({ panel: 'ladder', seq: 1 });
    store.getState().change(stack(['chart']));
    store.getState().requestFocus('orders');
    expect(panelIds(store.getState().tree)).toEqual(['chart', 'orders']);
    expect(locate(store.getState().tree, 'orders')?.path).toEqual([1]);
    expect(store.getState().focusRequest?.seq).toBe(2);
  });
});
