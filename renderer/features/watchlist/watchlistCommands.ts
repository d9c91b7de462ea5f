import type { Command } from '../hotkeys';
import type { WatchlistState, WatchlistStore } from './watchlistStore';

/** A keyboard command of the watchlist, on its state (the registry's `Command`s wrap these). */
export interface WatchlistCommand {
  readonly id: string;
  readonly label: string;
  /** Default bindings, as `keyOf` names them: `Alt+ArrowUp`, `Delete`. */
  readonly keys: readonly string[];
  /** A held key repeats it (moving the selection does; removing a row does not). */
  readonly repeats: boolean;
  readonly run: (state: WatchlistState) => void;
}

// Key names are the hotkey registry's (`keyOf` moved there); re-exported for the watchlist's callers.
export { keyOf } from '../hotkeys';
export type { KeyLike } from '../hotkeys';

const withSelected = (s: WatchlistState, run: (token: number) => void): void => {
  if (s.selectedToken !== undefined) run(s.selectedToken);
};

export const WATCHLIST_COMMANDS: readonly WatchlistCommand[] = [
  {
    id: 'watchlist.selectPrevious',
    repeats: true,
    label: 'Select the row above',
    keys: ['ArrowUp'],
    run: (s) => {
      s.selectRelative(-1);
    },
  },
  {
    id: 'watchlist.selectNext',
    repeats: true,
    label: 'Select the row below',
    keys: ['ArrowDown'],
    run: (s) => {
      s.selectRelative(1);
    },
  },
  {
    id: 'watchlist.selectFirst',
    repeats: false,
    label: 'Select the first row',
    keys: ['Home'],
    run: (s) => {
      s.selectRelative(-s.instruments.length);
    },
  },
  {
    id: 'watchlist.selectLast',
    repeats: false,
    label: 'Select the last row',
    keys: ['End'],
    run: (s) => {
      s.selectRelative(s.instruments.length);
    },
  },
  {
    id: 'watchlist.moveUp',
    repeats: true,
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
    repeats: true,
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
    repeats: false,
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

/** The scope the watchlist's grid declares: its keys work while focus is in it. */
export const WATCHLIST_SCOPE = 'watchlist';

/** The watchlist's commands for the window's hotkey registry, on `store`, while the watchlist has focus. */
export function watchlistHotkeys(
  store: WatchlistStore,
  commands: readonly WatchlistCommand[] = WATCHLIST_COMMANDS,
): readonly Command[] {
  return commands.map((c) => ({
    id: c.id,
    label: c.label,
    category: 'Watchlist',
    keys: c.keys,
    when: { scope: WATCHLIST_SCOPE },
    repeats: c.repeats,
    run: () => {
      c.run(store.getState());
    },
  }));
}
