import type { WatchlistState } from './watchlistStore';

/** A keyboard command of the watchlist: data, so a later hotkey registry can list and rebind it. */
export interface WatchlistCommand {
  readonly id: string;
  readonly label: string;
  /** Default bindings, as `keyOf` names them: `Alt+ArrowUp`, `Delete`. */
  readonly keys: readonly string[];
  readonly run: (state: WatchlistState) => void;
}

/** The parts of a KeyboardEvent a binding reads. */
export interface KeyLike {
  readonly key: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
}

/** A key press as a binding string: modifiers in a fixed order, then the key (`Ctrl+Alt+K`). */
export function keyOf(e: KeyLike): string {
  const parts: string[] = [];
  if (e.ctrlKey) parts.push('Ctrl');
  if (e.metaKey) parts.push('Meta');
  if (e.altKey) parts.push('Alt');
  if (e.shiftKey && e.key.length > 1) parts.push('Shift');
  parts.push(e.key.length === 1 ? e.key.toUpperCase() : e.key);
  return parts.join('+');
}

const withSelected = (s: WatchlistState, run: (token: number) => void): void => {
  if (s.selectedToken !== undefined) run(s.selectedToken);
};

export const WATCHLIST_COMMANDS: readonly WatchlistCommand[] = [
  {
    id: 'watchlist.selectPrevious',
    label: 'Select the row above',
    keys: ['ArrowUp'],
    run: (s) => {
      s.selectRelative(-1);
    },
  },
  {
    id: 'watchlist.selectNext',
    label: 'Select the row below',
    keys: ['ArrowDown'],
    run: (s) => {
      s.selectRelative(1);
    },
  },
  {
    id: 'watchlist.selectFirst',
    label: 'Select the first row',
    keys: ['Home'],
    run: (s) => {
      s.selectRelative(-s.instruments.length);
    },
  },
  {
    id: 'watchlist.selectLast',
    label: 'Select the last row',
    keys: ['End'],
    run: (s) => {
      s.selectRelative(s.instruments.length);
    },
  },
  {
    id: 'watchlist.moveUp',
    label: 'Move the selected row up',
    keys: ['Alt+ArrowUp'],
    run: (s) => {
      withSelected(s, (t) => {
        s.move(t, -1);
      });
    },
  },
  {
    id: 'watchlist.moveDown',
    label: 'Move the selected row down',
    keys: ['Alt+ArrowDown'],
    run: (s) => {
      withSelected(s, (t) => {
        s.move(t, 1);
      });
    },
  },
  {
    id: 'watchlist.remove',
    label: 'Remove the selected instrument',
    keys: ['Delete'],
    run: (s) => {
      withSelected(s, (t) => {
        s.remove(t);
      });
    },
  },
];

/** The command bound to a key press, if any. */
export function commandForKey(
  key: string,
  commands: readonly WatchlistCommand[] = WATCHLIST_COMMANDS,
): WatchlistCommand | undefined {
  return commands.find((c) => c.keys.includes(key));
}
