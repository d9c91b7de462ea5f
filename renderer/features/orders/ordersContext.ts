import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { OrderActions, OrdersHandle } from './ordersBridge';
import type { OrdersState } from './ordersStore';

/** The window's orders (store and commands), provided once at the root of the window. */
export const OrdersContext = createContext<OrdersHandle | null>(null);

export function useOrdersHandle(): OrdersHandle {
  const handle = useContext(OrdersContext);
  if (handle === null) throw new Error('useOrders needs an OrdersContext provider');
  return handle;
}

/** Reads one value of the orders store (pass an atomic selector). */
export function useOrders<T>(selector: (state: OrdersState) => T): T {
  return useStore(useOrdersHandle().store, selector);
}

/** The order commands (place, cancel, modify, cancel all, exit). */
export function useOrderActions(): OrderActions {
  return useOrdersHandle().actions;
}
