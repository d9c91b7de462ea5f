import type { LadderSide } from './ladderModel';

/** What a ladder command acts on: the ladder that has focus. */
export interface LadderCommandTarget {
  /** Moves the selected row by `ticks` (positive: up, to higher prices). */
  moveSelection(ticks: number): void;
  /** Scrolls the rows by about a page (positive: up). */
  page(direction: 1 | -1): void;
  /** Puts the last price back on the middle row. */
  recentre(): void;
  /**
   * An order at the selected row, as a click on that side would place it (`stop`: as a Shift+click).
   * Refuses through `refuse` when the instrument or quantity is ambiguous, or the stop is on the
   * wrong side of the market: nothing is sent then.
   */
  orderAtSelection(side: LadderSide, stop: boolean, refuse: (why: string) => void): void;
  /** Cancels the trader's working orders at the selected row. */
  cancelAtSelection(refuse: (why: string) => void): void;
}

/**
 * A command of the focused ladder, as data (STYLE.md: `{id, label, keys, run}`), so the window's
 * hotkey registry can list and rebind it. Keys are spelt as the registry's `keyOf` spells a press:
 * `B`, `Shift+B`, `ArrowUp`, `Space`.
 */
export interface LadderCommand {
  readonly id: string;
  readonly label: string;
  readonly keys: readonly string[];
  /** Whether a held key's auto-repeat runs it again (selection moves do; orders never). */
  readonly repeats: boolean;
  readonly run: (target: LadderCommandTarget, refuse: (why: string) => void) => void;
}

/**
 * The ladder's keys, while focus is in it. B and S trade as Sierra Chart's and Jigsaw's DOMs do
 * (B buys at the selected row); Shift adds the stop as Shift adds it to a click. C and Space
 * recentre (nothing else in the window takes them: the ticket has F1/F2, search `/` and Ctrl+K, the
 * watchlist its arrows only while it has focus). Enter and Escape belong to the inline confirmation.
 */
export const LADDER_COMMANDS: readonly LadderCommand[] = [
  {
    id: 'ladder.selectUp',
    label: 'Ladder: select the row a tick higher',
    keys: ['ArrowUp'],
    repeats: true,
    run: (t) => {
      t.moveSelection(1);
    },
  },
  {
    id: 'ladder.selectDown',
    label: 'Ladder: select the row a tick lower',
    keys: ['ArrowDown'],
    repeats: true,
    run: (t) => {
      t.moveSelection(-1);
    },
  },
  {
    id: 'ladder.selectUpFast',
    label: 'Ladder: select the row ten ticks higher',
    keys: ['Shift+ArrowUp'],
    repeats: true,
    run: (t) => {
      t.moveSelection(10);
    },
  },
  {
    id: 'ladder.selectDownFast',
    label: 'Ladder: select the row ten ticks lower',
    keys: ['Shift+ArrowDown'],
    repeats: true,
    run: (t) => {
      t.moveSelection(-10);
    },
  },
  {
    id: 'ladder.pageUp',
    label: 'Ladder: scroll a page up',
    keys: ['PageUp'],
    repeats: true,
    run: (t) => {
      t.page(1);
    },
  },
  {
    id: 'ladder.pageDown',
    label: 'Ladder: scroll a page down',
    keys: ['PageDown'],
    repeats: true,
    run: (t) => {
      t.page(-1);
    },
  },
  {
    id: 'ladder.recentre',
    label: 'Ladder: centre on the last price',
    keys: ['C', 'Space'],
    repeats: false,
    run: (t) => {
      t.recentre();
    },
  },
  {
    id: 'ladder.buy',
    label: 'Ladder: buy LIMIT at the selected row',
    keys: ['B'],
    repeats: false,
    run: (t, refuse) => {
      t.orderAtSelection('bid', false, refuse);
    },
  },
  {
    id: 'ladder.sell',
    label: 'Ladder: sell LIMIT at the selected row',
    keys: ['S'],
    repeats: false,
    run: (t, refuse) => {
      t.orderAtSelection('ask', false, refuse);
    },
  },
  {
    id: 'ladder.buyStop',
    label: 'Ladder: buy stop (SL-M) at the selected row, above the market',
    keys: ['Shift+B'],
    repeats: false,
    run: (t, refuse) => {
      t.orderAtSelection('ask', true, refuse);
    },
  },
  {
    id: 'ladder.sellStop',
    label: 'Ladder: sell stop (SL-M) at the selected row, below the market',
    keys: ['Shift+S'],
    repeats: false,
    run: (t, refuse) => {
      t.orderAtSelection('bid', true, refuse);
    },
  },
  {
    id: 'ladder.cancelAtRow',
    label: 'Ladder: cancel my orders at the selected row',
    keys: ['Delete'],
    repeats: false,
    run: (t, refuse) => {
      t.cancelAtSelection(refuse);
    },
  },
];

/** The parts of a keydown event a binding reads. */
export interface LadderKey {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** A press as a binding (`Shift+B`, `ArrowUp`, `Space`), spelt as the hotkey registry spells it; '' for a modifier alone. */
export function ladderKeyOf(e: LadderKey): string {
  if (
    ['Control', 'Meta', 'Alt', 'Shift', 'AltGraph', 'CapsLock', 'OS', 'Dead', '', 'Unidentified'].includes(
      e.key,
    )
  ) {
    return '';
  }
  const letter = e.key.length === 1 && e.key.toLowerCase() !== e.key.toUpperCase();
  const name = e.key === ' ' ? 'Space' : e.key.length === 1 ? e.key.toUpperCase() : e.key;
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('Ctrl');
  if (e.metaKey) parts.push('Meta');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && (e.key.length > 1 || letter)) parts.push('Shift');
  parts.push(name);
  return parts.join('+');
}

/** The ladder command bound to a press, if any. */
export function ladderCommandForKey(
  e: LadderKey,
  commands: readonly LadderCommand[] = LADDER_COMMANDS,
): LadderCommand | undefined {
  const binding = ladderKeyOf(e);
  if (binding === '') return undefined;
  return commands.find((c) => c.keys.includes(binding));
}
