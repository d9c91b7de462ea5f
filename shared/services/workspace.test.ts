import { describe, expect, it } from 'vitest';
import { SettingsPatchSchema, SettingsSchema } from './settings';
import { LayoutNodeSchema } from './workspace';

describe('workspace settings', () => {
  it('defaults to no hotkey overrides and the built-in layout', () => {
    const s = SettingsSchema.parse({});
    expect(s.hotkeys).toEqual({});
    expect(s.layouts).toEqual({ active: 'default', saved: {} });
  });

  it('accepts a nested layout and rejects a stack whose active tab is out of range', () => {
    const layout = {
      kind: 'split',
      direction: 'row',
      children: [
        { size: 0.3, node: { kind: 'stack', panels: ['watchlist'], active: 0 } },
        {
          size: 0.7,
          node: {
            kind: 'split',
            direction: 'column',
            children: [{ size: 1, node: { kind: 'stack', panels: ['chart', 'ladder'], active: 1 } }],
          },
        },
      ],
    };
    expect(LayoutNodeSchema.safeParse(layout).success).toBe(true);
    expect(LayoutNodeSchema.safeParse({ kind: 'stack', panels: ['chart'], active: 1 }).success).toBe(false);
    expect(LayoutNodeSchema.safeParse({ kind: 'split', direction: 'row', children: [] }).success).toBe(false);
  });

  it('takes hotkeys in a patch and refuses unknown fields', () => {
    expect(SettingsPatchSchema.safeParse({ hotkeys: { 'order.buy': ['F1'] } }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ hotkeys: { 'order.buy': [''] } }).success).toBe(false);
    expect(SettingsPatchSchema.safeParse({ hotkey: {} }).success).toBe(false);
  });
});
