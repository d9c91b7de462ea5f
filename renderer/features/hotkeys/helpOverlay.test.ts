import { describe, expect, it } from 'vitest';
import type { Command } from './command';
import { commandsByCategory } from './HelpOverlay';

const command = (
  id: string,
  category: Command['category'],
  keys: readonly string[],
  label = id,
): Command => ({
  id,
  label,
  category,
  keys,
  run: () => undefined,
});

describe('the help overlay', () => {
  it('groups commands by category in the overlay’s order, by label within one', () => {
    const groups = commandsByCategory([
      command('w', 'Window', ['?']),
      command('b', 'Orders', ['B'], 'Buy'),
      command('a', 'Orders', ['X'], 'Cancel'),
    ]);
    expect(groups.map((g) => [g.category, g.commands.map((c) => c.id)])).toEqual([
      ['Orders', ['b', 'a']],
      ['Window', ['w']],
    ]);
  });
  // What the overlay shows of live state (rows, overrides, conflicts) is checked in e2e/web/hotkeys.spec.ts:
  // server rendering reads a zustand store's initial state, not its current one.
});
