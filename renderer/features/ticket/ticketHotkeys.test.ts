import { describe, expect, it, vi } from 'vitest';
import { orderCharges } from '../../../shared/domain/charges';
import { createHotkeyRegistry, findConflicts, normaliseBinding } from '../hotkeys';
import type { Command, CommandInvocation } from '../hotkeys';
import { fakeLink, instrument } from '../market/fakeMarket';
import { createOrdersStore, startOrders } from '../orders';
import { fakeTrading } from '../orders/fakeTrading';
import { createPositionsStore } from '../positions';
import { searchHotkeys } from '../instrumentSearch/searchHotkeys';
import { watchlistHotkeys } from '../watchlist/watchlistCommands';
import { createWatchlistStore } from '../watchlist';
import { ticketHotkeys } from './ticketCommands';
import { marginRequestOf, startTicketMargin } from './ticketMargin';
import { DEFAULT_ALGO_FIELDS, hotkeyOrder, orderText, ticketCharges, ticketOrder } from './ticketOrder';
import type { TicketFields } from './ticketOrder';
import { createTicketStore } from './ticketStore';

const infy = instrument(408065, 'INFY', { tickSize: 5, lastPrice: 154_000 });
const niftyFut = instrument(13238786, 'NIFTY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  segment: 'NFO-FUT',
  lotSize: 75,
  tickSize: 10,
  lastPrice: 2_400_000,
});
const nifty = instrument(256265, 'NIFTY 50', { instrumentType: 'INDEX', tickSize: 0, lotSize: 0 });

const fields = (more: Partial<TicketFields> = {}): TicketFields => ({
  side: 'BUY',
  quantityText: '1',
  orderType: 'LIMIT',
  priceText: '1500.00',
  triggerText: '',
  product: 'CNC',
  validity: 'DAY',
  ttlText: '',
  disclosedText: '',
  variety: 'regular',
  ...DEFAULT_ALGO_FIELDS,
  ...more,
});

const input = (more: Partial<Parameters<typeof hotkeyOrder>[0]> = {}) => ({
  side: 'BUY' as const,
  fields: fields(),
  instrument: infy,
  focusedInstrument: undefined,
  inTextField: false,
  blocked: '',
  ...more,
});

describe('the order hotkeys’ ambiguity rules', () => {
  it('sends the ticket’s order on the selected instrument when nothing is ambiguous', () => {
    expect(hotkeyOrder(input())).toEqual({
      ok: true,
      order: {
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 1,
        orderType: 'LIMIT',
        product: 'CNC',
        validity: 'DAY',
        price: 150_000,
      },
    });
    // The focused panel showing the same instrument is one candidate, not two.
    expect(hotkeyOrder(input({ focusedInstrument: infy.instrumentToken, side: 'SELL' }))).toMatchObject({
      ok: true,
      order: { side: 'SELL' },
    });
  });

  it.each([
    ['focus in a text field', { inTextField: true }, 'text field'],
    ['no instrument selected', { instrument: undefined }, 'no instrument selected'],
    [
      'a focused panel with another instrument',
      { focusedInstrument: niftyFut.instrumentToken },
      'another instrument',
    ],
    ['an index', { instrument: nifty }, 'index'],
    ['an empty quantity', { fields: fields({ quantityText: ' ' }) }, 'quantity is empty'],
    ['quantity 0', { fields: fields({ quantityText: '0' }) }, 'quantity is 0'],
    ['a fractional quantity', { fields: fields({ quantityText: '1.5' }) }, 'whole number of shares'],
    ['a derivative without a lot size', { instrument: { ...niftyFut, lotSize: 0 } }, 'lot size'],
    ['a limit without a price', { fields: fields({ priceText: '' }) }, 'needs a price'],
    ['a blocked ticket', { blocked: 'new orders wait for the reconciliation.' }, 'reconciliation'],
  ] as const)('refuses with %s, and says why', (_name, more, why) => {
    const made = hotkeyOrder(input(more));
    expect(made.ok).toBe(false);
    if (!made.ok) {
      expect(made.why).toMatch(/^Buy not sent: /);
      expect(made.why).toContain(why);
    }
  });

  it('counts F&O in lots: 2 lots of 75 are 150 units (always a lot multiple)', () => {
    const made = hotkeyOrder(
      input({
        instrument: niftyFut,
        fields: fields({ quantityText: '2', priceText: '24000', product: 'NRML' }),
      }),
    );
    expect(made).toMatchObject({ ok: true, order: { quantity: 150, price: 2_400_000 } });
    if (made.ok)
      expect(orderText(made.order, niftyFut)).toBe('BUY 2 × 75 NIFTY26DECFUT LIMIT @ 24000.00 NRML DAY');
  });
});

describe('the ticket’s order: every parameter of the contract', () => {
  it('adds TTL minutes, disclosed quantity (in lots) and AMO only when set', () => {
    const made = ticketOrder(
      fields({
        validity: 'TTL',
        ttlText: '15',
        disclosedText: '1',
        variety: 'amo',
        quantityText: '4',
        priceText: '24000',
        product: 'NRML',
      }),
      niftyFut,
    );
    expect(made).toEqual({
      ok: true,
      order: {
        instrumentToken: niftyFut.instrumentToken,
        side: 'BUY',
        quantity: 300,
        orderType: 'LIMIT',
        product: 'NRML',
        validity: 'TTL',
        variety: 'amo',
        validityTtl: 15,
        price: 2_400_000,
        disclosedQuantity: 75,
      },
    });
  });
  it('refuses TTL minutes outside 1..375 and a disclosed quantity that is not whole', () => {
    expect(ticketOrder(fields({ validity: 'TTL', ttlText: '0' }), infy)).toMatchObject({ ok: false });
    expect(ticketOrder(fields({ validity: 'TTL', ttlText: '376' }), infy)).toMatchObject({ ok: false });
    expect(ticketOrder(fields({ disclosedText: 'x' }), infy)).toMatchObject({ ok: false });
    expect(ticketOrder(fields({ disclosedText: '0' }), infy)).toMatchObject({ ok: true });
  });
  it('a store edit withdraws a pending confirmation; new fields start blank', () => {
    const t = createTicketStore({ actions: { place: vi.fn() }, lastPrice: () => 0, instrument: infy });
    expect(t.getState()).toMatchObject({
      ttlText: '',
      disclosedText: '',
      variety: 'regular',
      ...DEFAULT_ALGO_FIELDS,
      confirming: undefined,
    });
    const made = ticketOrder(fields(), infy);
    if (!made.ok) throw new Error('fixture');
    t.getState().askConfirm(made.order);
    expect(t.getState().confirming).toEqual(made.order);
    t.getState().setValidity('TTL');
    expect(t.getState()).toMatchObject({ confirming: undefined, ttlText: '5' });
  });
});

describe('charges and margin before sending', () => {
  it('charges are shared/domain/charges.ts’s for the order’s segment, side and turnover', () => {
    const made = ticketOrder(fields({ quantityText: '10', priceText: '1500' }), infy);
    if (!made.ok) throw new Error('fixture');
    // 10 x 1500.00 = Rs 15,000 of equity delivery, on 2 December 2026.
    const at = Date.parse('2026-12-02T10:00:00+05:30');
    expect(ticketCharges(made.order, infy, 0, at)).toEqual(
      orderCharges('equityDelivery', 'NSE', 'BUY', 1_500_000, at),
    );
    const intraday = ticketOrder(
      fields({ quantityText: '10', priceText: '1500', product: 'MIS', side: 'SELL' }),
      infy,
    );
    if (!intraday.ok) throw new Error('fixture');
    expect(ticketCharges(intraday.order, infy, 0, at)).toEqual(
      orderCharges('equityIntraday', 'NSE', 'SELL', 1_500_000, at),
    );
    // A market order is charged at the last price; without one there is nothing to show.
    const market = ticketOrder(fields({ orderType: 'MARKET' }), infy);
    if (!market.ok) throw new Error('fixture');
    expect(ticketCharges(market.order, infy, 0, at)).toBeUndefined();
    expect(ticketCharges(market.order, infy, 154_500, at)).toEqual(
      orderCharges('equityDelivery', 'NSE', 'BUY', 154_500, at),
    );
  });

  it('asks portfolio.orderMargin once the ticket is still, once per order, and drops stale answers', async () => {
    vi.useFakeTimers();
    try {
      const t = createTicketStore({ actions: { place: vi.fn() }, lastPrice: () => 0, instrument: infy });
      t.getState().setPriceText('1500');
      const answers: ((v: unknown) => void)[] = [];
      const source = vi.fn(
        () =>
          new Promise((resolve) => {
            answers.push(resolve);
          }),
      );
      const view = (required: number) => ({
        required,
        charges: {
          brokerage: 0,
          transactionTax: 0,
          transactionTaxType: 'stt',
          exchangeTurnoverCharge: 0,
          sebiTurnoverCharge: 0,
          stampDuty: 0,
          gst: 0,
          total: 0,
        },
        available: 1_000_000,
        segment: 'equity',
        price: 150_000,
        lowerCircuit: null,
        upperCircuit: null,
        at: 1,
      });
      const feed = startTicketMargin(source as never, t, undefined, 300);
      // Typing: nothing is asked until the ticket has been still for 300 ms.
      t.getState().setQuantityText('2');
      vi.advanceTimersByTime(200);
      t.getState().setQuantityText('3');
      vi.advanceTimersByTime(200);
      expect(source).not.toHaveBeenCalled();
      vi.advanceTimersByTime(100);
      expect(source).toHaveBeenCalledTimes(1);
      expect(source).toHaveBeenLastCalledWith(marginRequestOf(ticketOrder(t.getState(), infy)));
      expect(feed.store.getState().kind).toBe('loading');
      // Another order before the first answer: the first answer arrives late and is dropped.
      t.getState().setQuantityText('4');
      vi.advanceTimersByTime(300);
      expect(source).toHaveBeenCalledTimes(2);
      answers[1]?.(view(600_000));
      await vi.runAllTimersAsync();
      answers[0]?.(view(450_000));
      await vi.runAllTimersAsync();
      expect(feed.store.getState()).toMatchObject({ kind: 'ok', view: { required: 600_000 } });
      // The same order again asks nothing; an incomplete one clears the line.
      t.getState().setPriceText('');
      expect(feed.store.getState().kind).toBe('idle');
      feed.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('without a margin source the line says margin is unavailable', () => {
    const t = createTicketStore({ actions: { place: vi.fn() }, lastPrice: () => 0, instrument: infy });
    expect(startTicketMargin(undefined, t).store.getState()).toEqual({ kind: 'unavailable' });
  });
});

/** An invocation as the registry makes one, recording what the command said. */
function invocation(more: Partial<CommandInvocation> = {}) {
  const said: { refused: string[]; informed: string[]; asked: string[] } = {
    refused: [],
    informed: [],
    asked: [],
  };
  let answer = true;
  const inv: CommandInvocation = {
    binding: 'B',
    scopes: [],
    scopeInstrument: undefined,
    inTextField: false,
    refuse: (why) => said.refused.push(why),
    inform: (text) => said.informed.push(text),
    confirm: (q) => {
      said.asked.push(q.title);
      return Promise.resolve(answer);
    },
    ...more,
  };
  return { inv, said, answerNo: () => (answer = false) };
}

function setup(confirmOrders: boolean) {
  const trading = fakeTrading([{ ...infy, lastPrice: 154_490 }]);
  const orders = startOrders(trading.orders, fakeLink(), createOrdersStore());
  const ticket = createTicketStore({ actions: orders.actions, lastPrice: () => 154_490, instrument: infy });
  ticket.getState().setPriceText('1500');
  const killSwitch = vi.fn(() => Promise.resolve());
  let confirm = confirmOrders;
  const commands = ticketHotkeys({
    ticket,
    confirmOrders: () => confirm,
    setConfirmOrders: (on) => {
      confirm = on;
    },
    blocked: () => '',
    focusQuantity: vi.fn(),
    orders,
    positions: createPositionsStore(),
    risk: { killSwitch },
  });
  const byId = (id: string): Command => {
    const c = commands.find((x) => x.id === id);
    if (c === undefined) throw new Error(`no ${id}`);
    return c;
  };
  return { trading, orders, ticket, commands, byId, killSwitch, confirm: () => confirm };
}

describe('the ticket’s commands', () => {
  it('B with confirmation on opens the confirm step; nothing is sent until Enter', async () => {
    const { byId, ticket, orders } = setup(true);
    const { inv, said } = invocation();
    await byId('orders.buy').run(inv);
    expect(said.refused).toEqual([]);
    expect(ticket.getState().confirming).toMatchObject({ side: 'BUY', quantity: 1, price: 150_000 });
    expect(orders.store.getState().rows).toHaveLength(0);
    await ticket.getState().confirm();
    expect(ticket.getState().outcome).toMatchObject({
      kind: 'placed',
      order: { side: 'BUY', state: 'OPEN' },
    });
    expect(orders.store.getState().rows).toHaveLength(1);
  });

  it('S with confirmation off sends at once; Escape on a confirm step sends nothing', async () => {
    const { byId, ticket, orders } = setup(false);
    await byId('orders.sell').run(invocation().inv);
    expect(ticket.getState()).toMatchObject({
      side: 'SELL',
      outcome: { kind: 'placed', order: { side: 'SELL' } },
    });
    expect(orders.store.getState().rows).toHaveLength(1);
    const made = ticketOrder(ticket.getState(), infy);
    if (!made.ok) throw new Error('fixture');
    ticket.getState().askConfirm(made.order);
    ticket.getState().cancelConfirm();
    expect(ticket.getState().confirming).toBeUndefined();
    expect(orders.store.getState().rows).toHaveLength(1);
  });

  it('an ambiguous press refuses and sends nothing (the ladder shows another instrument)', async () => {
    const { byId, orders } = setup(false);
    const { inv, said } = invocation({ scopeInstrument: niftyFut.instrumentToken });
    await byId('orders.buy').run(inv);
    expect(said.refused[0]).toContain('another instrument');
    expect(orders.store.getState().rows).toHaveLength(0);
  });

  it.each([true, false])(
    'B and S with SOR on send nothing and ask nothing (confirmation %s): the ticket sends a route',
    async (confirmOn) => {
      const { byId, ticket, orders } = setup(confirmOn);
      ticket.getState().setSor(true);
      for (const id of ['orders.buy', 'orders.sell']) {
        const { inv, said } = invocation();
        await byId(id).run(inv);
        expect(said.refused[0]).toMatch(/not sent: the ticket routes with SOR \(NSE\/BSE\)/);
        expect(said.asked).toEqual([]);
      }
      expect(ticket.getState().confirming).toBeUndefined();
      expect(orders.store.getState().rows).toHaveLength(0);
      // SOR off again: B sends the ticket's order as before.
      ticket.getState().setSor(false);
      await byId('orders.buy').run(invocation().inv);
      expect(ticket.getState().confirming ?? ticket.getState().outcome).toBeDefined();
    },
  );

  it('X cancels the last working order; Shift+X asks before cancelling all', async () => {
    const { byId, ticket, orders } = setup(false);
    await byId('orders.buy').run(invocation().inv);
    ticket.getState().setPriceText('1490');
    await byId('orders.buy').run(invocation().inv);
    const [newest] = orders.store.getState().rows;
    const x = invocation();
    await byId('orders.cancelLast').run(x.inv);
    expect(x.said.refused).toEqual([]);
    expect(orders.store.getState().rows.find((o) => o.clientOrderId === newest?.clientOrderId)?.state).toBe(
      'CANCELLED',
    );
    expect(orders.store.getState().workingCount).toBe(1);

    const no = invocation();
    no.answerNo();
    await byId('orders.cancelAll').run(no.inv);
    expect(no.said.asked).toEqual(['Cancel all 1 working order?']);
    expect(orders.store.getState().workingCount).toBe(1);
    const yes = invocation();
    await byId('orders.cancelAll').run(yes.inv);
    expect(orders.store.getState().workingCount).toBe(0);
    const none = invocation();
    await byId('orders.cancelLast').run(none.inv);
    expect(none.said.refused).toEqual(['No working order to cancel.']);
  });

  it('the kill switch always asks; flatten with no position says so', async () => {
    const { byId, killSwitch } = setup(false);
    const no = invocation();
    no.answerNo();
    await byId('risk.killSwitch').run(no.inv);
    expect(no.said.asked).toHaveLength(1);
    expect(killSwitch).not.toHaveBeenCalled();
    await byId('risk.killSwitch').run(invocation().inv);
    expect(killSwitch).toHaveBeenCalledTimes(1);
    const flat = invocation();
    await byId('orders.flatten').run(flat.inv);
    expect(flat.said.refused).toEqual(['No open position in INFY to flatten.']);
  });

  it('+ and - step the quantity by one lot; the confirm toggle flips settings.confirmOrders', async () => {
    const { byId, ticket, confirm } = setup(true);
    await byId('ticket.quantityUp').run(invocation().inv);
    await byId('ticket.quantityUp').run(invocation().inv);
    await byId('ticket.quantityDown').run(invocation().inv);
    expect(ticket.getState().quantityText).toBe('2');
    await byId('orders.toggleConfirm').run(invocation().inv);
    expect(confirm()).toBe(false);
  });
});

describe('the default bindings of the window', () => {
  it('are normalised, clash nowhere, and order hotkeys never fire in a text field', () => {
    const { commands } = setup(true);
    const all = [...commands, ...watchlistHotkeys(createWatchlistStore()), ...searchHotkeys(() => undefined)];
    for (const c of all) for (const k of c.keys) expect(normaliseBinding(k)).toBe(k);
    expect(findConflicts(all, {})).toEqual([]);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const registry = createHotkeyRegistry();
    registry.register(all);
    const typing = { scopes: [], scopeInstrument: undefined, inTextField: true };
    for (const id of [
      'orders.buy',
      'orders.sell',
      'orders.cancelLast',
      'orders.flatten',
      'orders.flattenAll',
    ]) {
      for (const k of registry.bindingsOf(id)) expect(registry.resolve(k, typing).kind).toBe('none');
    }
    // F1/F2 still open the ticket from its own quantity field, as before.
    expect(registry.resolve('F1', typing)).toMatchObject({ kind: 'command', command: { id: 'ticket.buy' } });
  });
});
