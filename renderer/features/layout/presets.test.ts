import { describe, expect, it } from 'vitest';
import { layoutBoxes, toastCorner, visibleRectOf } from './layoutGeometry';
import { isValidLayout, panelIds, stacksOf, visiblePanelIds } from './layoutModel';
import { DEFAULT_PRESET, LAYOUT_PRESETS, PANEL_IDS, presetNamed } from './presets';

describe('the built-in layouts', () => {
  it('are valid and hold every panel once (the ones not in view as tabs)', () => {
    expect(LAYOUT_PRESETS.map((p) => p.name)).toEqual(['default', 'scalper', 'charts']);
    for (const p of LAYOUT_PRESETS) {
      expect(isValidLayout(p.tree), p.name).toBe(true);
      expect([...panelIds(p.tree)].sort(), p.name).toEqual([...PANEL_IDS].sort());
    }
    expect(presetNamed(DEFAULT_PRESET)?.label).toBe('Default');
    expect(presetNamed('nope')).toBeUndefined();
  });

  it('Default shows what the window showed before layouts: watchlist, chart, depth, ticket, orders, positions, engine', () => {
    const tree = presetNamed('default')?.tree;
    if (tree === undefined) throw new Error('no default');
    expect(new Set(visiblePanelIds(tree))).toEqual(
      new Set(['watchlist', 'chart', 'depth', 'ticket', 'orders', 'positions', 'engine']),
    );
  });

  it('keeps the algos a tab beside the orders in every layout, behind them', () => {
    for (const p of LAYOUT_PRESETS) {
      const at = stacksOf(p.tree).find(({ stack }) => stack.panels.includes('orders'))?.stack;
      expect(at?.panels, p.name).toContain('algos');
      expect(at?.panels.indexOf('algos'), p.name).toBe((at?.panels.indexOf('orders') ?? -2) + 1);
      expect(visiblePanelIds(p.tree), p.name).not.toContain('algos');
    }
  });

  it('Scalper shows the ladder tallest of all, and its toasts do not cover it', () => {
    const tree = presetNamed('scalper')?.tree;
    if (tree === undefined) throw new Error('no scalper');
    const boxes = layoutBoxes(tree);
    const ladder = visibleRectOf(boxes, 'ladder');
    expect(ladder?.h).toBe(1);
    // 340 x 220 px of a 1600 x 850 dock.
    expect(toastCorner(boxes, { w: 340 / 1600, h: 220 / 850 }, ['ladder'])).toBe('bottom-right');
  });

  it('Charts gives the chart more than half the dock', () => {
    const tree = presetNamed('charts')?.tree;
    if (tree === undefined) throw new Error('no charts');
    const chart = visibleRectOf(layoutBoxes(tree), 'chart');
    expect((chart?.w ?? 0) * (chart?.h ?? 0)).toBeGreaterThan(0.5);
  });
});
