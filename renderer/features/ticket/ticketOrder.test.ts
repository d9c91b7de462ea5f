import { describe, expect, it } from 'vitest';
import type { InstrumentInfo } from '../../../shared/services/market';
import { instrument } from '../market/fakeMarket';
import {
  DEFAULT_ALGO_FIELDS,
  freezeProposal,
  hotkeyOrder,
  ticketAlgo,
  readWindowSeconds,
  defaultProduct,
  productsFor,
  quantityHint,
  submitLabel,
  tickText,
  ticketOrder,
  unitsPerStep,
  untradable,
  asSent,
  sorBlocked,
  sorOn,
  ticketRoute,
} from './ticketOrder';
import type { TicketFields } from './ticketOrder';

const infy = instrument(408065, 'INFY', { tickSize: 5, lastPrice: 154_490 });
const niftyFut = instrument(13238786, 'NIFTY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  segment: 'NFO-FUT',
  expiry: '2026-12-29',
  lotSize: 75,
  tickSize: 10,
});
const nifty = instrument(256265, 'NIFTY 50', { instrumentType: 'INDEX', tickSize: 0, lotSize: 0 });

const fields = (more: Partial<TicketFields> = {}): TicketFields => ({
  side: 'BUY',
  quantityText: '1',
  orderType: 'LIMIT',
  priceText: '1544.90',
  triggerText: '',
  product: 'CNC',
  validity: 'DAY',
  ttlText: '',
  disclosedText: '',
  variety: 'regular',
  ...DEFAULT_ALGO_FIELDS,
  ...more,
});

describe('the ticket’s rules', () => {
  it('counts equities in shares and derivatives in lots', () => {
    expect(unitsPerStep(infy)).toBe(1);
    expect(unitsPerStep(niftyFut)).toBe(75);
    expect(quantityHint(fields(), infy)).toBe('shares');
    expect(quantityHint(fields({ quantityText: '20' }), niftyFut)).toBe('lot 75 · 1,500 units');
    expect(quantityHint(fields({ quantityText: 'x' }), niftyFut)).toBe('lot 75 · — units');
    expect(tickText(infy)).toBe('tick 0.05');
    expect(tickText(niftyFut)).toBe('tick 0.10');
  });

  it('offers CNC for equity, NRML for derivatives, MIS for both', () => {
    expect(productsFor(infy)).toEqual(['CNC', 'MIS']);
    expect(productsFor(niftyFut)).toEqual(['MIS', 'NRML']);
    expect(defaultProduct(infy)).toBe('CNC');
    expect(defaultProduct(niftyFut)).toBe('NRML');
  });

  it('makes the order in units and wire prices', () => {
    expect(
      ticketOrder(fields({ quantityText: '2', priceText: '24010.5', product: 'NRML' }), niftyFut),
    ).toEqual({
      ok: true,
      order: {
        instrumentToken: 13238786,
        side: 'BUY',
        quantity: 150,
        orderType: 'LIMIT',
        product: 'NRML',
        validity: 'DAY',
        price: 2_401_050,
      },
    });
    const slm = ticketOrder(
      fields({ side: 'SELL', orderType: 'SL-M', triggerText: '1530', validity: 'IOC' }),
      infy,
    );
    expect(slm).toEqual({
      ok: true,
      order: {
        instrumentToken: 408065,
        side: 'SELL',
        quantity: 1,
        orderType: 'SL-M',
        product: 'CNC',
        validity: 'IOC',
        triggerPrice: 153_000,
      },
    });
    expect(ticketOrder(fields({ orderType: 'MARKET' }), infy)).toMatchObject({
      ok: true,
      order: { orderType: 'MARKET' },
    });
    expect(ticketOrder(fields({ orderType: 'MARKET' }), infy)).not.toHaveProperty('order.price');
  });

  it("sends what parses, even a quantity of 0 or an off-tick price: those are the engine's to refuse", () => {
    expect(ticketOrder(fields({ quantityText: '0' }), infy)).toMatchObject({
      ok: true,
      order: { quantity: 0 },
    });
    expect(ticketOrder(fields({ priceText: '1544.93' }), infy)).toMatchObject({
      ok: true,
      order: { price: 154_493 },
    });
  });

  it('refuses here only what cannot be sent', () => {
    const refused = (f: TicketFields, i: InstrumentInfo | undefined = infy) => {
      const made = ticketOrder(f, i);
      return made.ok ? '' : made.refusal.message;
    };
    expect(ticketOrder(fields(), undefined)).toMatchObject({ ok: false, refusal: { code: 'LOCAL' } });
    expect(refused(fields(), nifty)).not.toBe('');
    expect(untradable(undefined)).toBe('Pick an instrument in the watchlist.');
    expect(refused(fields(), nifty)).toBe('NIFTY 50 is an index: it cannot be traded.');
    expect(untradable(nifty)).not.toBe('');
    expect(refused(fields({ quantityText: '' }))).toBe('Quantity must be a whole number of shares.');
    expect(refused(fields({ quantityText: '1.5' }), niftyFut)).toBe(
      'Quantity must be a whole number of lots.',
    );
    expect(refused(fields({ priceText: '' }))).toBe('A LIMIT order needs a price.');
    expect(refused(fields({ priceText: '1544.925' }))).toMatch(/^Price: .*more than 2 decimal places\.$/);
    expect(refused(fields({ orderType: 'SL', triggerText: '' }))).toBe('A SL order needs a trigger price.');
  });

  it('labels the submit button with side, quantity and symbol', () => {
    expect(submitLabel(fields({ quantityText: '10' }), infy)).toBe('BUY 10 INFY');
    expect(submitLabel(fields({ side: 'SELL', quantityText: '2' }), niftyFut)).toBe(
      'SELL 2 × 75 NIFTY26DECFUT',
    );
    expect(submitLabel(fields({ quantityText: '' }), infy)).toBe('BUY — INFY');
    expect(submitLabel(fields(), undefined)).toBe('BUY');
  });
});

describe('the ticket’s brackets and icebergs', () => {
  it('a bracket: the order is its entry, target and stop in ticks, trail and break-even when given', () => {
    const made = ticketAlgo(
      fields({
        kind: 'bracket',
        quantityText: '10',
        product: 'MIS',
        targetText: '40',
        stopText: '20',
        trailText: '6',
      }),
      infy,
    );
    expect(made).toEqual({
      ok: true,
      spec: {
        kind: 'bracket',
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 10,
        product: 'MIS',
        entry: { orderType: 'LIMIT', price: 154_490 },
        target: { ticks: 40 },
        stop: { ticks: 20 },
        trail: { ticks: 6 },
      },
    });
    const market = ticketAlgo(fields({ kind: 'bracket', orderType: 'MARKET', breakEvenText: '8' }), infy);
    expect(market.ok && market.spec).toMatchObject({ entry: { orderType: 'MARKET' }, breakEvenTicks: 8 });
    expect(market.ok && 'trail' in market.spec).toBe(false);
  });

  it('refuses what cannot be sent: no target, a fractional stop, an iceberg that is not a limit or has 1 leg', () => {
    const why = (f: Partial<TicketFields>) => {
      const made = ticketAlgo(fields(f), infy);
      return made.ok ? '' : made.refusal.message;
    };
    expect(why({ kind: 'bracket', targetText: '' })).toBe('Target: a whole number of ticks above 0.');
    expect(why({ kind: 'bracket', stopText: '2.5' })).toBe('Stop: a whole number of ticks above 0.');
    expect(why({ kind: 'bracket', trailText: '0' })).toBe('Trail: a whole number of ticks above 0.');
    expect(why({ kind: 'iceberg', orderType: 'MARKET' })).toBe(
      'An iceberg is a limit order: choose LIMIT and a price.',
    );
    expect(why({ kind: 'iceberg', legsText: '1' })).toBe('Legs: a whole number, 2 to 50.');
    expect(why({ kind: 'iceberg', quantityText: '' })).toMatch(/^Quantity must be/);
  });

  it('an iceberg: its total at the limit, in legs', () => {
    const made = ticketAlgo(
      fields({ kind: 'iceberg', quantityText: '30', legsText: '3', randomise: true }),
      infy,
    );
    expect(made.ok && made.spec).toEqual({
      kind: 'iceberg',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 30,
      product: 'CNC',
      price: 154_490,
      legs: 3,
      randomise: true,
    });
  });

  it('proposes an iceberg when a plain order is above the freeze quantity, with legs of at most it', () => {
    const fut = { ...niftyFut, freezeQuantity: 1_800 };
    // 30 lots x 75 = 2,250 units over a freeze of 1,800: 2 legs.
    expect(freezeProposal(fields({ quantityText: '30' }), fut)).toEqual({ freeze: 1_800, legs: 2 });
    // 24 lots = 1,800 units: at the freeze quantity, a plain order.
    expect(freezeProposal(fields({ quantityText: '24' }), fut)).toBeUndefined();
    // 80 lots = 6,000 units: ceil(6000 / 1800) = 4 legs.
    expect(freezeProposal(fields({ quantityText: '80' }), fut)?.legs).toBe(4);
    expect(freezeProposal(fields({ quantityText: '80', kind: 'iceberg' }), fut)).toBeUndefined();
    expect(freezeProposal(fields({ quantityText: '80' }), niftyFut)).toBeUndefined();
  });

  it('an order hotkey sends nothing while the ticket is set to a bracket or an iceberg', () => {
    const input = {
      side: 'BUY' as const,
      instrument: infy,
      focusedInstrument: undefined,
      inTextField: false,
      blocked: '',
    };
    expect(hotkeyOrder({ ...input, fields: fields() }).ok).toBe(true);
    expect(hotkeyOrder({ ...input, fields: fields({ kind: 'bracket' }) })).toEqual({
      ok: false,
      why: 'Buy not sent: the ticket is set to a bracket; Enter on the ticket sends it.',
    });
    expect(submitLabel(fields({ kind: 'iceberg', quantityText: '30' }), infy)).toBe('BUY 30 INFY · Iceberg');
  });
});

describe('the ticket’s TWAPs and VWAPs', () => {
  it('a TWAP: the ticket’s total over a window in minutes (15 by default), its LIMIT price as the limit', () => {
    expect(ticketAlgo(fields({ kind: 'twap', quantityText: '10', product: 'MIS' }), infy)).toEqual({
      ok: true,
      spec: {
        kind: 'twap',
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 10,
        product: 'MIS',
        durationSeconds: 900,
        limitPrice: 154_490,
        slices: 10,
      },
    });
  });

  it('MKT means no limit (each slice at the touch); half a minute is 30 s; the cap in percent is a fraction', () => {
    const made = ticketAlgo(
      fields({
        kind: 'twap',
        side: 'SELL',
        orderType: 'MARKET',
        windowText: '0.5',
        slicesText: '3',
        capText: '12.5',
      }),
      infy,
    );
    expect(made.ok && made.spec).toEqual({
      kind: 'twap',
      instrumentToken: 408065,
      side: 'SELL',
      quantity: 1,
      product: 'CNC',
      durationSeconds: 30,
      participation: 0.125,
      slices: 3,
    });
    expect(made.ok && 'limitPrice' in made.spec).toBe(false);
  });

  it('a VWAP: the same window, cap and limit, no slices; in lots for a future', () => {
    const made = ticketAlgo(
      fields({
        kind: 'vwap',
        quantityText: '2',
        product: 'NRML',
        priceText: '24010',
        windowText: '60',
        capText: '100',
      }),
      niftyFut,
    );
    expect(made.ok && made.spec).toEqual({
      kind: 'vwap',
      instrumentToken: 13238786,
      side: 'BUY',
      quantity: 150,
      product: 'NRML',
      durationSeconds: 3600,
      limitPrice: 2_401_000,
      participation: 1,
    });
  });

  it('takes no validity, TTL or disclosed quantity from the ticket (the engine sets its orders’)', () => {
    const made = ticketAlgo(fields({ kind: 'twap', validity: 'TTL', ttlText: '', disclosedText: 'x' }), infy);
    expect(made.ok).toBe(true);
    const bracket = ticketAlgo(fields({ kind: 'bracket', validity: 'TTL', ttlText: 'abc' }), infy);
    expect(bracket.ok).toBe(true);
  });

  it('reads a window in minutes as whole seconds', () => {
    expect(readWindowSeconds('15')).toBe(900);
    expect(readWindowSeconds(' 0.5 ')).toBe(30);
    expect(readWindowSeconds('.25')).toBe(15);
    expect(readWindowSeconds('0.17')).toBe(10);
    expect(readWindowSeconds('375')).toBe(22_500);
    for (const bad of ['', 'abc', '-1', '1e2', '1:30', '1.2.3', '0.1234'])
      expect(readWindowSeconds(bad)).toBeUndefined();
  });

  it('refuses what cannot be sent, saying why, and sends nothing', () => {
    const why = (f: Partial<TicketFields>) => {
      const made = ticketAlgo(fields(f), infy);
      return made.ok ? '' : made.refusal.message;
    };
    expect(why({ kind: 'twap', orderType: 'SL', triggerText: '' })).toBe(
      'A TWAP takes no stop order: choose LIMIT (its limit price) or MKT (each slice at the touch).',
    );
    expect(why({ kind: 'vwap', orderType: 'SL-M', triggerText: '1530' })).toBe(
      'A VWAP takes no stop order: choose LIMIT (its limit price) or MKT (each slice at the touch).',
    );
    expect(why({ kind: 'twap', variety: 'amo' })).toBe(
      'A TWAP works in the session from now: choose REG, not AMO.',
    );
    const window = 'Window: minutes, 0.17 (10 s) to 375; 0.5 is 30 s.';
    expect(why({ kind: 'twap', windowText: '' })).toBe(window);
    expect(why({ kind: 'twap', windowText: '0.1' })).toBe(window);
    expect(why({ kind: 'twap', windowText: '376' })).toBe(window);
    expect(why({ kind: 'vwap', windowText: 'ten' })).toBe(window);
    const slices = 'Slices: a whole number, 2 to 500.';
    expect(why({ kind: 'twap', slicesText: '1' })).toBe(slices);
    expect(why({ kind: 'twap', slicesText: '501' })).toBe(slices);
    expect(why({ kind: 'twap', slicesText: '2.5' })).toBe(slices);
    // A VWAP has no slices: the TWAP's field does not matter to it.
    expect(why({ kind: 'vwap', slicesText: '' })).toBe('');
    const cap = "Cap: a percentage of the market's volume, 1 to 100 (blank: no cap).";
    expect(why({ kind: 'twap', capText: '0.5' })).toBe(cap);
    expect(why({ kind: 'twap', capText: '101' })).toBe(cap);
    expect(why({ kind: 'vwap', capText: '25%' })).toBe(cap);
    expect(why({ kind: 'twap', priceText: '' })).toBe('A LIMIT order needs a price.');
    expect(why({ kind: 'twap', quantityText: '' })).toBe('Quantity must be a whole number of shares.');
    expect(ticketAlgo(fields({ kind: 'twap' }), undefined)).toMatchObject({
      ok: false,
      refusal: { message: 'Pick an instrument in the watchlist.' },
    });
  });

  it('an order hotkey sends nothing while the ticket is set to a TWAP or a VWAP', () => {
    const input = {
      side: 'SELL' as const,
      instrument: infy,
      focusedInstrument: undefined,
      inTextField: false,
      blocked: '',
    };
    expect(hotkeyOrder({ ...input, fields: fields({ kind: 'twap' }) })).toEqual({
      ok: false,
      why: 'Sell not sent: the ticket is set to a TWAP; Enter on the ticket sends it.',
    });
    expect(hotkeyOrder({ ...input, fields: fields({ kind: 'vwap' }) })).toMatchObject({
      ok: false,
      why: expect.stringContaining('set to a VWAP') as unknown,
    });
    expect(submitLabel(fields({ kind: 'twap', quantityText: '10' }), infy)).toBe('BUY 10 INFY · TWAP');
    expect(submitLabel(fields({ kind: 'vwap', quantityText: '10' }), infy)).toBe('BUY 10 INFY · VWAP');
  });
});

describe('smart order routing from the ticket', () => {
  const bseInfy = instrument(5_000_209, 'INFY', { exchange: 'BSE', segment: 'BSE', tickSize: 5 });

  it('takes a plain LIMIT or MKT order on a share of NSE or BSE, in the session', () => {
    expect(sorBlocked(fields(), infy)).toBe('');
    expect(sorBlocked(fields({ orderType: 'MARKET' }), bseInfy)).toBe('');
    expect(sorBlocked(fields(), undefined)).toBe('Pick an instrument in the watchlist.');
    expect(sorBlocked(fields(), niftyFut)).toBe('SOR routes shares (NSE and BSE cash equity) only.');
    expect(sorBlocked(fields(), nifty)).toBe('SOR routes shares (NSE and BSE cash equity) only.');
    expect(sorBlocked(fields({ orderType: 'SL' }), infy)).toBe('SOR routes LIMIT and MKT orders only.');
    expect(sorBlocked(fields({ orderType: 'SL-M' }), infy)).toBe('SOR routes LIMIT and MKT orders only.');
    expect(sorBlocked(fields({ kind: 'twap' }), infy)).toBe(
      'SOR routes a plain order (ORD), not an algorithm.',
    );
    expect(sorBlocked(fields({ variety: 'amo' }), infy)).toBe(
      'SOR routes on the books now: choose REG, not AMO.',
    );
  });

  it('is on only where chosen and nothing stands against it', () => {
    expect(sorOn(fields(), infy)).toBe(false);
    expect(sorOn(fields({ sor: true }), infy)).toBe(true);
    // Chosen, but an SL (or an algorithm, a future) is not routed: the ticket sends it as it is.
    expect(sorOn(fields({ sor: true, orderType: 'SL' }), infy)).toBe(false);
    expect(sorOn(fields({ sor: true, kind: 'iceberg' }), infy)).toBe(false);
    expect(sorOn(fields({ sor: true }), niftyFut)).toBe(false);
  });

  it('builds the route request: a LIMIT with its price, a MARKET without', () => {
    expect(ticketRoute(fields({ sor: true, quantityText: '40', product: 'MIS' }), infy)).toEqual({
      ok: true,
      request: {
        instrumentToken: 408065,
        side: 'BUY',
        quantity: 40,
        product: 'MIS',
        orderType: 'LIMIT',
        price: 154_490,
      },
    });
    expect(
      ticketRoute(fields({ sor: true, side: 'SELL', orderType: 'MARKET', priceText: '1500' }), bseInfy),
    ).toEqual({
      ok: true,
      request: { instrumentToken: 5_000_209, side: 'SELL', quantity: 1, product: 'CNC', orderType: 'MARKET' },
    });
  });

  it('ignores the hidden validity fields, and refuses what cannot be sent', () => {
    // Validity, TTL and disclosed quantity are hidden while SOR is on: a blank TTL is not the reason.
    const hidden = fields({ sor: true, validity: 'TTL', ttlText: '', disclosedText: 'x' });
    expect(ticketRoute(hidden, infy)).toMatchObject({ ok: true, request: { quantity: 1 } });
    expect(asSent(hidden, infy)).toMatchObject({ validity: 'DAY', ttlText: '', disclosedText: '' });
    expect(asSent({ ...hidden, sor: false }, infy)).toMatchObject({ validity: 'TTL', disclosedText: 'x' });
    expect(ticketRoute(fields({ sor: true, quantityText: '1.5' }), infy)).toMatchObject({
      ok: false,
      refusal: { code: 'LOCAL', message: 'Quantity must be a whole number of shares.' },
    });
    expect(ticketRoute(fields({ sor: true, priceText: '' }), infy)).toMatchObject({
      ok: false,
      refusal: { message: 'A LIMIT order needs a price.' },
    });
    expect(ticketRoute(fields({ sor: true, orderType: 'SL' }), infy)).toMatchObject({
      ok: false,
      refusal: { message: 'SOR routes LIMIT and MKT orders only.' },
    });
  });

  it('says SOR on the submit button, and an order hotkey sends nothing while it is on', () => {
    expect(submitLabel(fields({ sor: true, quantityText: '40' }), infy)).toBe('BUY 40 INFY · SOR');
    expect(submitLabel(fields({ sor: true, orderType: 'SL' }), infy)).toBe('BUY 1 INFY');
    expect(
      hotkeyOrder({
        side: 'SELL',
        fields: fields({ sor: true }),
        instrument: infy,
        focusedInstrument: undefined,
        inTextField: false,
        blocked: '',
      }),
    ).toEqual({
      ok: false,
      why: 'Sell not sent: the ticket routes with SOR (NSE/BSE); Enter on the ticket sends it, or turn SOR off.',
    });
    // Where SOR does not apply, the hotkey sends the order as the ticket shows it.
    expect(
      hotkeyOrder({
        side: 'BUY',
        fields: fields({ sor: true, orderType: 'SL', triggerText: '1540' }),
        instrument: infy,
        focusedInstrument: undefined,
        inTextField: false,
        blocked: '',
      }),
    ).toMatchObject({ ok: true, order: { orderType: 'SL' } });
  });
});
