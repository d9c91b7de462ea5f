import type { OrderView, Product, Side } from '../../../shared/services/orders';
import type { Command, CommandInvocation } from '../hotkeys';
import type { OrderActions, OrdersStore } from '../orders';
import type { PositionsStore } from '../positions';
import type { RiskActions } from '../risk';
import { hotkeyOrder } from './ticketOrder';
import type { TicketState, TicketStore } from './ticketStore';

/** F1/F2 on the ticket's state (the registry's `Command`s in `ticketHotkeys` wrap these). */
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

/** What the ticket's registry commands act on (the window's stores and actions, read when run). */
export interface TicketHotkeyDeps {
  readonly ticket: TicketStore;
  /** settings.confirmOrders now. */
  readonly confirmOrders: () => boolean;
  readonly setConfirmOrders: (on: boolean) => void;
  /** Why the ticket cannot send now (no orders service, reconciliation), or ''. */
  readonly blocked: () => string;
  /** Puts the cursor in the quantity field (F1, F2). */
  readonly focusQuantity: () => void;
  readonly orders: { readonly store: OrdersStore; readonly actions: OrderActions } | undefined;
  readonly positions: PositionsStore | undefined;
  readonly risk: Pick<RiskActions, 'killSwitch'> | undefined;
}

/** Orders the trader may cancel with X: working, and placed by hand from ShrivenQ. */
function lastManualWorking(orders: OrdersStore): OrderView | undefined {
  const { rows, workingCount } = orders.getState();
  let last: OrderView | undefined;
  for (const o of rows.slice(0, workingCount)) {
    if (o.source !== 'manual') continue;
    if (last === undefined || o.createdAt > last.createdAt) last = o;
  }
  return last;
}

const sideWord = (side: Side) => (side === 'BUY' ? 'Buy' : 'Sell');

/**
 * The ticket's commands for the window's hotkey registry. Defaults follow Kite: F1/F2 open the
 * ticket (Kite Pi), B/S trade the ticket's order on the selected instrument (Kite web's marketwatch;
 * a focused ladder's own B/S shadow these), and the DOM terminals' cancel / flatten keys:
 * X cancels the last order, Shift+X all (asks), Shift+F flattens the selected instrument, Ctrl+Shift+F
 * everything (asks), Ctrl+Shift+X is the kill switch (asks). + and - step the quantity by a lot.
 */
export function ticketHotkeys(deps: TicketHotkeyDeps): readonly Command[] {
  const { ticket } = deps;
  const open = (side: Side): void => {
    ticket.getState().open(side);
    deps.focusQuantity();
  };
  const trade = (side: Side) => (inv: CommandInvocation) => {
    const t = ticket.getState();
    const made = hotkeyOrder({
      side,
      fields: t,
      instrument: t.instrument,
      focusedInstrument: inv.scopeInstrument,
      inTextField: inv.inTextField,
      blocked: deps.blocked(),
    });
    if (!made.ok) {
      inv.refuse(made.why);
      return;
    }
    if (deps.confirmOrders()) {
      t.askConfirm(made.order);
      return;
    }
    t.setSide(side);
    return ticket.getState().send(made.order);
  };
  const withOrders = (
    inv: CommandInvocation,
    run: (orders: NonNullable<TicketHotkeyDeps['orders']>) => Promise<void> | undefined,
  ) => {
    if (deps.orders === undefined) {
      inv.refuse('Orders are not available in this window.');
      return undefined;
    }
    return run(deps.orders);
  };
  const exitAll = async (
    inv: CommandInvocation,
    actions: OrderActions,
    rows: readonly {
      readonly instrumentToken: number;
      readonly product: Product;
      readonly tradingsymbol: string;
    }[],
  ) => {
    const outcomes = await Promise.all(
      rows.map((r) => actions.exit(r.instrumentToken, r.product, `${r.tradingsymbol} ${r.product}`)),
    );
    const refusal = outcomes.flatMap((o) => (o.ok ? [] : [o.refusal]))[0];
    if (refusal !== undefined) inv.refuse(`Exit: ${refusal.message}`);
    else inv.inform(`Exit sent for ${rows.map((r) => `${r.tradingsymbol} ${r.product}`).join(', ')}.`);
  };

  return [
    ...TICKET_COMMANDS.map((c): Command => ({
      id: c.id,
      label: c.label,
      category: 'Ticket',
      keys: c.keys,
      run: () => {
        open(c.id === 'ticket.buy' ? 'BUY' : 'SELL');
      },
    })),
    ...(['BUY', 'SELL'] as const).map((side): Command => ({
      id: side === 'BUY' ? 'orders.buy' : 'orders.sell',
      label: `${sideWord(side)} the ticket’s quantity of the selected instrument (asks first when confirmation is on)`,
      category: 'Orders',
      keys: [side === 'BUY' ? 'B' : 'S'],
      when: { inTextField: false },
      run: trade(side),
    })),
    {
      id: 'orders.cancelLast',
      label: 'Cancel the last working order placed here',
      category: 'Orders',
      keys: ['X'],
      when: { inTextField: false },
      run: (inv) =>
        withOrders(inv, async ({ store, actions }) => {
          const last = lastManualWorking(store);
          if (last === undefined) {
            inv.refuse('No working order to cancel.');
            return;
          }
          const outcome = await actions.cancel(last.clientOrderId);
          if (!outcome.ok) inv.refuse(`Cancel ${last.tradingsymbol}: ${outcome.refusal.message}`);
          else inv.inform(`Cancel sent: ${last.side} ${last.quantity} ${last.tradingsymbol}.`);
        }),
    },
    {
      id: 'orders.cancelAll',
      label: 'Cancel all working orders (asks first)',
      category: 'Orders',
      keys: ['Shift+X'],
      when: { inTextField: false },
      run: (inv) =>
        withOrders(inv, async ({ store, actions }) => {
          const n = store.getState().workingCount;
          if (n === 0) {
            inv.refuse('No working orders to cancel.');
            return;
          }
          const yes = await inv.confirm({
            title: `Cancel all ${n} working order${n === 1 ? '' : 's'}?`,
            detail: 'Every working order, of every instrument and strategy.',
            confirmLabel: 'Cancel all',
            danger: true,
          });
          if (!yes) return;
          const outcome = await actions.cancelAll();
          if (!outcome.ok) inv.refuse(`Cancel all: ${outcome.refusal.message}`);
          else inv.inform('Cancel all sent.');
        }),
    },
    {
      id: 'orders.flatten',
      label: 'Flatten: exit the selected instrument’s positions at market',
      category: 'Orders',
      keys: ['Shift+F'],
      when: { inTextField: false },
      run: (inv) =>
        withOrders(inv, async ({ actions }) => {
          const i = ticket.getState().instrument;
          if (i === undefined) {
            inv.refuse('Flatten not sent: no instrument selected.');
            return;
          }
          if (inv.scopeInstrument !== undefined && inv.scopeInstrument !== i.instrumentToken) {
            inv.refuse(
              `Flatten not sent: the focused panel shows another instrument than the selected ${i.tradingsymbol}.`,
            );
            return;
          }
          const rows = (deps.positions?.getState().rows ?? []).filter(
            (r) => r.open && r.instrumentToken === i.instrumentToken,
          );
          if (rows.length === 0) {
            inv.refuse(`No open position in ${i.tradingsymbol} to flatten.`);
            return;
          }
          if (deps.confirmOrders()) {
            const yes = await inv.confirm({
              title: `Exit ${i.tradingsymbol} at market?`,
              detail: `Closes ${rows.map((r) => r.product).join(' and ')} with market orders; working orders on it are cancelled first.`,
              confirmLabel: 'Exit',
              danger: true,
            });
            if (!yes) return;
          }
          await exitAll(inv, actions, rows);
        }),
    },
    {
      id: 'orders.flattenAll',
      label: 'Flatten all: exit every open position at market (asks first)',
      category: 'Orders',
      keys: ['Ctrl+Shift+F'],
      when: { inTextField: false },
      run: (inv) =>
        withOrders(inv, async ({ actions }) => {
          const rows = (deps.positions?.getState().rows ?? []).filter((r) => r.open);
          if (rows.length === 0) {
            inv.refuse('No open positions to flatten.');
            return;
          }
          const yes = await inv.confirm({
            title: `Exit all ${rows.length} open position${rows.length === 1 ? '' : 's'} at market?`,
            detail: rows.map((r) => `${r.tradingsymbol} ${r.product}`).join(' · '),
            confirmLabel: 'Exit all',
            danger: true,
          });
          if (yes) await exitAll(inv, actions, rows);
        }),
    },
    {
      id: 'risk.killSwitch',
      label: 'Kill switch: halt trading and cancel every working order (asks first)',
      category: 'Risk',
      keys: ['Ctrl+Shift+X'],
      run: async (inv) => {
        if (deps.risk === undefined) {
          inv.refuse('The kill switch is not available in this window.');
          return;
        }
        const yes = await inv.confirm({
          title: 'Kill switch: halt all trading?',
          detail: 'Every working order is cancelled and new orders are refused until you resume.',
          confirmLabel: 'Halt trading',
          danger: true,
        });
        if (!yes) return;
        await deps.risk.killSwitch();
        inv.inform('Kill switch: trading halted.');
      },
    },
    ...([1, -1] as const).map((direction): Command => ({
      id: direction === 1 ? 'ticket.quantityUp' : 'ticket.quantityDown',
      label: `Ticket quantity ${direction === 1 ? 'up' : 'down'} by one lot (or share)`,
      category: 'Ticket',
      keys: direction === 1 ? ['+', '='] : ['-'],
      when: { inTextField: false },
      repeats: true,
      run: (inv) => {
        if (ticket.getState().instrument === undefined) {
          inv.refuse('No instrument selected.');
          return;
        }
        ticket.getState().stepQuantity(direction);
      },
    })),
    {
      id: 'orders.toggleConfirm',
      label: 'Turn order confirmation on or off (settings.confirmOrders)',
      category: 'Orders',
      keys: [],
      run: (inv) => {
        const on = !deps.confirmOrders();
        deps.setConfirmOrders(on);
        inv.inform(on ? 'Orders sent by hotkey now ask first.' : 'Orders sent by hotkey now go at once.');
      },
    },
  ];
}
