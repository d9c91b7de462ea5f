import { isValidElement } from 'react';
import { describe, expect, it } from 'vitest';
import { PANEL_IDS } from '../../features/layout';
import { KNOWN_PANELS, PANELS, dockPanelsFor, panelDefinition } from './panels';
import type { PanelEnvironment } from './panels';

const env: PanelEnvironment = {
  instrument: undefined,
  theme: 'dark',
  confirm: () => false,
  onPick: () => undefined,
  onDismissSearch: () => undefined,
};

describe('the panel registry', () => {
  it('defines every panel the layouts name, once, with a title', () => {
    expect(PANELS.map((p) => p.id).sort()).toEqual([...PANEL_IDS].sort());
    expect([...KNOWN_PANELS].sort()).toEqual([...PANEL_IDS].sort());
    const titles = PANELS.map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const p of PANELS) expect(p.title, p.id).not.toBe('');
    expect(panelDefinition('ladder')?.title).toBe('Ladder');
    expect(panelDefinition('algos')?.title).toBe('Algos');
    expect(panelDefinition('nope')).toBeUndefined();
  });

  it('renders each panel once into the dock’s list; pop-out only where the window can', () => {
    const withPopOut = dockPanelsFor(env, true);
    expect([...withPopOut.keys()]).toEqual(PANELS.map((p) => p.id));
    for (const p of withPopOut.values()) expect(isValidElement(p.element), p.id).toBe(true);
    expect(withPopOut.get('ladder')?.canPopOut).toBe(true);
    expect(withPopOut.get('chart')?.canPopOut).toBe(true);
    expect(withPopOut.get('ticket')?.canPopOut).toBe(false);
    for (const p of dockPanelsFor(env, false).values()) expect(p.canPopOut).toBe(false);
    // The grids fill their box; the depth and the ticket keep their own height.
    expect(withPopOut.get('orders')?.fill).toBe('stretch');
    expect(withPopOut.get('algos')?.fill).toBe('stretch');
    expect(withPopOut.get('algos')?.canPopOut).toBe(true);
    expect(withPopOut.get('ticket')?.fill).toBe('content');
  });
});
