import type { OrderIntent } from '../store/orderJournal';

/**
 * TEST SUPPORT. An order intent as the OMS journals it: an NSE limit buy of 1 INFY at 1500.00 (CNC)
 * with client order id `clientOrderId`; `more` overrides what a test or bench is about.
 */
export function sampleIntent(clientOrderId: string, more: Partial<OrderIntent> = {}): OrderIntent {
  return {
    clientOrderId,
    account: 'sim:AB1234',
    source: 'manual',
    strategyId: null,
    instrumentToken: 408065,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    priceDivisor: 100,
    side: 'BUY',
    orderType: 'LIMIT',
    product: 'CNC',
    variety: 'regular',
    validity: 'DAY',
    validityTtl: null,
    disclosedQuantity: 0,
    marketProtection: null,
    algoId: null,
    tradingDate: '2026-12-03',
    createdAt: 0,
    quantity: 1,
    price: 150_000,
    triggerPrice: 0,
    ...more,
  };
}
