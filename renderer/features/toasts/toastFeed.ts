import type { Disposable } from '../../../shared/disposable';
import { watchOrders } from '../log';
import type { OrdersStore } from '../orders';
import { tradeSentence } from '../trades';
import type { TradesHandle } from '../trades';
import type { Toasts } from './toastStore';

/**
 * Toasts for what the trader must not miss: every new fill (from `orders.onTrades`) and every order
 * rejected (from `orders.onOrders`, with its reason). A refusal by the engine before anything was
 * sent is told by the ticket where it was placed, not here.
 */
export function startToastFeed(
  toasts: Toasts,
  sources: { readonly orders: OrdersStore; readonly trades: TradesHandle; readonly startedAt: number },
): Disposable {
  const trades = sources.trades.onNewTrade((t) => {
    toasts.show({
      kind: 'fill',
      side: t.side,
      title: tradeSentence(t),
      detail: `${t.exchange} · ${t.product} · ${t.clientOrderId}`,
    });
  });
  const stop = watchOrders(
    sources.orders,
    (e) => {
      if (e.kind !== 'rejected') return;
      const o = e.order;
      toasts.show({
        kind: 'rejected',
        side: o.side,
        title: `Rejected: ${o.side} ${o.quantity} ${o.tradingsymbol}`,
        detail: o.reason === '' ? 'No reason given' : o.reason,
      });
    },
    sources.startedAt,
  );
  return {
    dispose: () => {
      trades.dispose();
      stop();
    },
  };
}
