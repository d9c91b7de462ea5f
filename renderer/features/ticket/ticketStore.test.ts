import { describe, expect, it } from 'vitest';
import type { AlgoSpecInput, AlgoView } from '../../../shared/services/algos';
import { instrument } from '../market/fakeMarket';
import { createOrdersStore, startOrders } from '../orders';
import { fakeLink } from '../market/fakeMarket';
import { fakeTrading } from '../orders/fakeTrading';
import { createTicketStore } from './ticketStore';
import { createAlgosStore, startAlgos } from '../algos';
import { fakeAlgos } from '../algos/fakeAlgos';
import type { RouteRequest } from '../../../shared/services/algos';

// The ticket against an in-memory fake of the engine's orders service (orders/fakeTrading.ts): the
// engine's own service is being written elsewhere. The fake refuses like the contract says.

const infy = instrument(408065, 'INFY', { tickSize: 5, lastPrice: 154_000 });
const niftyFut = instrument(13238786, 'NIFTY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  segment: 'NFO-FUT',
  lotSize: 75,
  tickSize: 10,
  lastPrice: 2_400_000,
});

function setup(last = 154_490) {
  const trading = fakeTrading([
    { ...infy, lastPrice: last },
    { ...niftyFut, lastPrice: 2_401_000 },
  ]);
  const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
  const prices = new Map<number, number>([[infy.instrumentToken, last]]);
  const ticket = createTicketStore({ actions: orders.actions, lastPrice: (t) => prices.get(t) ?? 0 });
  ticket.getState().instrumentChanged(infy);
  return { trading, orders, ticket, prices };
}

describe('the order ticket', () => {
  it('starts as one share, LIMIT at the last price, CNC, DAY', () => {
    const { ticket } = setup();
    expect(ticket.getState()).toMatchObject({
      side: 'BUY',
      quantityText: '1',
      orderType: 'LIMIT',
      priceText: '1544.90',
      product: 'CNC',
      validity: 'DAY',
    });
  });

  it('places a limit buy and shows it placed; a market buy fills', async () => {
    const { ticket, orders } = setup();
    ticket.getState().setQuantityText('5');
    ticket.getState().setPriceText('1500');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'placed',
      order: { state: 'OPEN', quantity: 5, price: 150_000 },
    });
    ticket.getState().setOrderType('MARKET');
    expect(ticket.getState().outcome).toBeUndefined();
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({ kind: 'placed', order: { state: 'COMPLETE' } });
    expect(orders.store.getState().rows.map((o) => o.state)).toEqual(['OPEN', 'COMPLETE']);
  });

  it("shows the engine's refusal of an off-tick price with its suggestion, and of quantity 0", async () => {
    const { ticket } = setup();
    ticket.getState().setPriceText('1544.93');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'TICK_SIZE', suggestion: 'Use 1544.9 or 1544.95' },
    });
    ticket.getState().setPriceText('1544.90');
    ticket.getState().setQuantityText('0');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: {
        code: 'INVALID_PARAMS',
        message: 'Not a valid order. Quantity: Too small: expected number to be >0',
      },
    });
  });

  it('sends once: a second Enter while the first is in flight does nothing', async () => {
    const { ticket, trading } = setup();
    const first = ticket.getState().submit();
    const second = ticket.getState().submit();
    await Promise.all([first, second]);
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(1);
  });

  it('steps prices by the tick and quantities by one, never below one', () => {
    const { ticket } = setup();
    ticket.getState().stepPrice('price', 1);
    expect(ticket.getState().priceText).toBe('1544.95');
    ticket.getState().stepPrice('price', -1, 10);
    expect(ticket.getState().priceText).toBe('1544.45');
    ticket.getState().setPriceText('1544.47');
    ticket.getState().stepPrice('price', 1);
    expect(ticket.getState().priceText).toBe('1544.50');
    // An empty trigger starts at the last price.
    ticket.getState().stepPrice('trigger', -1);
    expect(ticket.getState().triggerText).toBe('1544.90');
    ticket.getState().stepQuantity(1, 10);
    expect(ticket.getState().quantityText).toBe('11');
    ticket.getState().stepQuantity(-1, 20);
    expect(ticket.getState().quantityText).toBe('1');
  });

  it('prefills the price when the last price comes, without overwriting what was typed', () => {
    const { ticket, prices } = setup();
    prices.delete(niftyFut.instrumentToken);
    ticket.getState().instrumentChanged(niftyFut);
    expect(ticket.getState().priceText).toBe('');
    expect(ticket.getState().product).toBe('NRML');
    prices.set(niftyFut.instrumentToken, 2_401_037);
    ticket.getState().prefill();
    expect(ticket.getState().priceText).toBe('24010.40');
    ticket.getState().setPriceText('24000');
    ticket.getState().prefill();
    expect(ticket.getState().priceText).toBe('24000');
  });

  it('F1/F2 open it on a side; Escape clears it back to a fresh ticket', async () => {
    const { ticket } = setup();
    ticket.getState().open('SELL');
    expect(ticket.getState().side).toBe('SELL');
    ticket.getState().setQuantityText('7');
    ticket.getState().setOrderType('SL');
    ticket.getState().setTriggerText('1540');
    ticket.getState().setPriceText('1544.93');
    await ticket.getState().submit();
    expect(ticket.getState().outcome?.kind).toBe('refused');
    ticket.getState().clear();
    expect(ticket.getState()).toMatchObject({
      side: 'SELL',
      quantityText: '1',
      orderType: 'LIMIT',
      priceText: '1544.90',
      triggerText: '',
      outcome: undefined,
    });
  });

  it('refuses a product the instrument does not take, and resets it for a new instrument', () => {
    const { ticket } = setup();
    ticket.getState().setProduct('NRML');
    expect(ticket.getState().product).toBe('CNC');
    ticket.getState().setProduct('MIS');
    expect(ticket.getState().product).toBe('MIS');
    ticket.getState().instrumentChanged(niftyFut);
    expect(ticket.getState().product).toBe('NRML');
    // The same instrument again (a new object from the watchlist) keeps what was typed.
    ticket.getState().setQuantityText('3');
    ticket.getState().instrumentChanged({ ...niftyFut });
    expect(ticket.getState().quantityText).toBe('3');
  });

  it('says why nothing can be sent for an index, locally', async () => {
    const { ticket, trading } = setup();
    ticket
      .getState()
      .instrumentChanged(instrument(256265, 'NIFTY 50', { instrumentType: 'INDEX', tickSize: 0 }));
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({ kind: 'refused', refusal: { code: 'LOCAL' } });
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(0);
  });
});

describe('the order ticket as a bracket or an iceberg', () => {
  it('sends its bracket to the algos service and shows what it started; keeps the kind across a clear', async () => {
    const trading = fakeTrading([{ ...infy, lastPrice: 154_490 }]);
    const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
    const started: AlgoSpecInput[] = [];
    const ticket = createTicketStore({
      actions: orders.actions,
      lastPrice: () => 154_490,
      startAlgo: (spec) => {
        started.push(spec);
        return Promise.resolve({ ok: true, algo: { algoId: 'A1', status: 'WORKING' } as AlgoView });
      },
    });
    ticket.getState().instrumentChanged(infy);
    ticket.getState().setKind('bracket');
    ticket.getState().setAlgoText('stopText', '15');
    await ticket.getState().submit();
    expect(started).toEqual([
      expect.objectContaining({
        kind: 'bracket',
        quantity: 1,
        entry: { orderType: 'LIMIT', price: 154_490 },
        target: { ticks: 20 },
        stop: { ticks: 15 },
      }),
    ]);
    expect(ticket.getState().outcome).toMatchObject({ kind: 'started', algo: { algoId: 'A1' } });
    // No plain order went out.
    expect(orders.store.getState().rows).toEqual([]);
    ticket.getState().clear();
    expect(ticket.getState()).toMatchObject({ kind: 'bracket', stopText: '15' });
    // An iceberg switches the ticket to LIMIT; the freeze proposal's legs are taken.
    ticket.getState().setOrderType('MARKET');
    ticket.getState().takeIceberg(4);
    expect(ticket.getState()).toMatchObject({ kind: 'iceberg', orderType: 'LIMIT', legsText: '4' });
  });

  it('BKT on a conditional waits in the engine: a GTT chosen before turns to ENGINE', () => {
    const trading = fakeTrading([{ ...infy, lastPrice: 154_490 }]);
    const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
    const ticket = createTicketStore({ actions: orders.actions, lastPrice: () => 154_490 });
    ticket.getState().setKind('conditional');
    ticket.getState().setWhere('GTT');
    ticket.getState().setThenBracket(true);
    expect(ticket.getState()).toMatchObject({ thenBracket: true, where: 'ENGINE' });
    ticket.getState().setThenBracket(false);
    expect(ticket.getState()).toMatchObject({ thenBracket: false, where: 'ENGINE' });
    ticket.getState().clear();
    ticket.getState().setThenBracket(true);
    ticket.getState().clear();
    expect(ticket.getState().thenBracket).toBe(true); // kept across a clear, as the kind is
  });

  it("shows the engine's refusal, and says so where no engine runs algorithms", async () => {
    const trading = fakeTrading([{ ...infy, lastPrice: 154_490 }]);
    const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
    const refusing = createTicketStore({
      actions: orders.actions,
      lastPrice: () => 154_490,
      startAlgo: () =>
        Promise.resolve({
          ok: false,
          refusal: {
            code: 'INVALID_ALGO',
            message: 'The stop must be below the entry.',
            suggestion: '',
            uncertain: false,
          },
        }),
    });
    refusing.getState().instrumentChanged(infy);
    refusing.getState().setKind('iceberg');
    await refusing.getState().submit();
    expect(refusing.getState().outcome).toMatchObject({ kind: 'refused', refusal: { code: 'INVALID_ALGO' } });
    const none = createTicketStore({ actions: orders.actions, lastPrice: () => 154_490 });
    none.getState().instrumentChanged(infy);
    none.getState().setKind('bracket');
    await none.getState().submit();
    expect(none.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { message: 'This engine does not run algorithms (brackets, icebergs, TWAP, VWAP).' },
    });
  });
});

describe('the order ticket as a TWAP or a VWAP', () => {
  function algoTicket() {
    const trading = fakeTrading([{ ...infy, lastPrice: 154_490 }]);
    const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
    const started: AlgoSpecInput[] = [];
    const ticket = createTicketStore({
      actions: orders.actions,
      lastPrice: () => 154_490,
      startAlgo: (spec) => {
        started.push(spec);
        return Promise.resolve({ ok: true, algo: { algoId: 'T1', status: 'WORKING' } as AlgoView });
      },
    });
    ticket.getState().instrumentChanged(infy);
    return { ticket, started, orders, trading };
  }

  it('sends a TWAP from its window, slices and cap; keeps them across a clear', async () => {
    const { ticket, started, orders } = algoTicket();
    const s = ticket.getState();
    s.setKind('twap');
    s.setQuantityText('10');
    s.setProduct('MIS');
    s.setOrderType('MARKET');
    s.setAlgoText('windowText', '0.5');
    s.setAlgoText('slicesText', '3');
    s.setAlgoText('capText', '20');
    await ticket.getState().submit();
    expect(started).toEqual([
      {
        kind: 'twap',
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 10,
        product: 'MIS',
        durationSeconds: 30,
        participation: 0.2,
        slices: 3,
      },
    ]);
    expect(ticket.getState().outcome).toMatchObject({ kind: 'started', algo: { algoId: 'T1' } });
    expect(orders.store.getState().rows).toEqual([]);
    ticket.getState().clear();
    expect(ticket.getState()).toMatchObject({
      kind: 'twap',
      windowText: '0.5',
      slicesText: '3',
      capText: '20',
    });
  });

  it('sends nothing for a stop order or a bad window, and says why', async () => {
    const { ticket, started, trading } = algoTicket();
    ticket.getState().setKind('vwap');
    ticket.getState().setOrderType('SL-M');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'LOCAL', message: expect.stringMatching(/^A VWAP takes no stop order/) as unknown },
    });
    ticket.getState().setOrderType('LIMIT');
    ticket.getState().setAlgoText('windowText', '0');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { message: 'Window: minutes, 0.17 (10 s) to 375; 0.5 is 30 s.' },
    });
    expect(started).toEqual([]);
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(0);
  });
});

describe('the order ticket with smart order routing (SOR)', () => {
  function sorTicket(options: Parameters<typeof fakeAlgos>[0] = {}, routing = true) {
    const trading = fakeTrading([infy]);
    const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
    const algos = startAlgos(fakeAlgos(options).service, fakeLink(false), createAlgosStore());
    const routed: RouteRequest[] = [];
    const ticket = createTicketStore({
      actions: orders.actions,
      placeRouted: routing
        ? (r) => {
            routed.push(r);
            return algos.actions.placeRouted(r);
          }
        : undefined,
      lastPrice: () => 154_000,
    });
    ticket.getState().instrumentChanged(infy);
    ticket.getState().setProduct('MIS');
    return { ticket, trading, routed };
  }

  it('sends a routed order to placeRouted, not as one order, and shows the legs placed per exchange', async () => {
    const { ticket, trading, routed } = sorTicket();
    ticket.getState().setSor(true);
    ticket.getState().setOrderType('MARKET');
    ticket.getState().setQuantityText('100');
    await ticket.getState().submit();
    expect(routed).toEqual([
      { instrumentToken: 408065, side: 'BUY', quantity: 100, product: 'MIS', orderType: 'MARKET' },
    ]);
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(0);
    const outcome = ticket.getState().outcome;
    expect(outcome).toMatchObject({
      kind: 'routed',
      decision: { reason: 'Split: 60 on NSE, 40 on BSE: neither book shows 100.' },
      orders: [
        { exchange: 'NSE', quantity: 60, state: 'COMPLETE' },
        { exchange: 'BSE', quantity: 40, state: 'COMPLETE' },
      ],
      refused: [],
    });
    // A change clears the outcome line, as for any order; SOR stays chosen across a clear.
    ticket.getState().clear();
    expect(ticket.getState()).toMatchObject({ outcome: undefined, sor: true, orderType: 'LIMIT' });
  });

  it('shows a later leg refused beside the legs placed, and a first leg refused as a refusal', async () => {
    const { ticket } = sorTicket({ refuseLegs: ['BSE'] });
    ticket.getState().setSor(true);
    ticket.getState().setPriceText('1540.00');
    ticket.getState().setQuantityText('100');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'routed',
      orders: [{ exchange: 'NSE', quantity: 60, state: 'OPEN', price: 154_000 }],
      refused: [{ exchange: 'BSE', quantity: 40, message: 'BSE is not taking orders (fake).' }],
    });
    ticket.getState().setQuantityText('10');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'NOT_TRADABLE', message: 'BSE is not taking orders (fake).' },
    });
  });

  it('refuses locally what cannot be routed, and says so where no engine routes', async () => {
    const { ticket, routed } = sorTicket();
    ticket.getState().setSor(true);
    ticket.getState().setPriceText('');
    await ticket.getState().submit();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'LOCAL', message: 'A LIMIT order needs a price.' },
    });
    expect(routed).toEqual([]);
    const { ticket: none, trading } = sorTicket({}, false);
    none.getState().setSor(true);
    await none.getState().submit();
    expect(none.getState().outcome).toMatchObject({
      kind: 'refused',
      refusal: { message: expect.stringMatching(/^This engine does not route orders/) as unknown },
    });
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(0);
  });

  it('sends an order SOR cannot take (an SL) as the one order the ticket shows', async () => {
    const { ticket, trading, routed } = sorTicket();
    ticket.getState().setSor(true);
    ticket.getState().setOrderType('SL');
    ticket.getState().setTriggerText('1540.00');
    await ticket.getState().submit();
    expect(routed).toEqual([]);
    expect(trading.calls.filter((c) => c.method === 'orders.place')).toHaveLength(1);
    expect(ticket.getState().outcome).toMatchObject({ kind: 'placed', order: { orderType: 'SL' } });
  });
});
