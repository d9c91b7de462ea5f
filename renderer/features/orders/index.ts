// The orders feature's public surface: the store of the window's orders and its feed from the
// engine, the order commands (place, cancel, modify, cancel all, exit), how a refusal reads, typed
// prices, the orders grid and the reconciliation line.
export { createOrdersStore, selectOrderEntryBlocked } from './ordersStore';
export type { OrderNotice, OrdersState, OrdersStore, RoutedMark, Served } from './ordersStore';
export { startOrders } from './ordersBridge';
export type { OrderActions, OrderOutcome, OrdersHandle, OrdersService } from './ordersBridge';
export { OrdersContext, useOrderActions, useOrders, useOrdersHandle } from './ordersContext';
export { localRefusal, refusalOf } from './refusal';
export type { Refusal } from './refusal';
export { priceInputText, readPrice, stepPrice } from './priceEntry';
export type { PriceRead } from './priceEntry';
export { OrdersGrid } from './OrdersGrid';
export { ReconciliationNotice } from './ReconciliationNotice';
export { canCancel, canModify, isWorking, orderPriceStyle, restingPriceOf } from './orderView';
export { createTickSizes } from './tickSizes';
