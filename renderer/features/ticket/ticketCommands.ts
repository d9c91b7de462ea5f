import type { TicketState } from './ticketStore';

/** A window-wide command of the ticket: data, so a later hotkey registry can list and rebind it. */
export interface TicketCommand {
  readonly id: string;
  readonly label: string;
  /** Default bindings: a key name with no modifier (`F1`). */
  readonly keys: readonly string[];
  readonly run: (ticket: TicketState) => void;
}

/** The parts of a keydown event a binding reads. */
export interface TicketKey {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/**
 * F1 buys and F2 sells, as on Kite's terminals. They are free here: search takes `/` and Ctrl+K,
 * the watchlist arrows, Home, End, Alt+arrows and Delete, and the app's menus bind no F-key.
 */
export const TICKET_COMMANDS: readonly TicketCommand[] = [
  {
    id: 'ticket.buy',
    label: 'Open the order ticket to buy the selected instrument',
    keys: ['F1'],
    run: (t) => {
      t.open('BUY');
    },
  },
  {
    id: 'ticket.sell',
    label: 'Open the order ticket to sell the selected instrument',
    keys: ['F2'],
    run: (t) => {
      t.open('SELL');
    },
  },
];

/** The command bound to a key press, if any (a bare key: Shift, Ctrl, Alt or Meta with it is not it). */
export function ticketCommandForKey(
  e: TicketKey,
  commands: readonly TicketCommand[] = TICKET_COMMANDS,
): TicketCommand | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return undefined;
  return commands.find((c) => c.keys.includes(e.key));
}
