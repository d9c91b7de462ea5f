import { describe, expect, it } from 'vitest';
import { AlgoSpecSchema } from '../../../shared/services/algos';
import { instrument } from '../market/fakeMarket';
import {
  DEFAULT_ALGO_FIELDS,
  gttBlocked,
  hotkeyOrder,
  nextIstMoment,
  readIstClock,
  submitLabel,
  ticketAlgo,
} from './ticketOrder';
import type { TicketAlgo, TicketFields } from './ticketOrder';

const infy = instrument(408065, 'INFY', { tickSize: 5, lastPrice: 154_490 });

const fields = (more: Partial<TicketFields> = {}): TicketFields => ({
  side: 'BUY',
  quantityText: '10',
  orderType: 'LIMIT',
  priceText: '1550.00',
  triggerText: '',
  product: 'MIS',
  validity: 'DAY',
  ttlText: '',
  disclosedText: '',
  variety: 'regular',
  ...DEFAULT_ALGO_FIELDS,
  kind: 'conditional',
  conditionText: '1549.50',
  ...more,
});

// 2026-12-03 10:00:00 IST.
const NOW = Date.UTC(2026, 11, 3, 4, 30);

function specOf(made: TicketAlgo) {
  if (!made.ok) throw new Error(made.refusal.message);
  // Every spec the ticket makes is one the engine's schema takes.
  expect(AlgoSpecSchema.safeParse(made.spec).success).toBe(true);
  return made.spec;
}
function refusalOf(made: TicketAlgo): string {
  if (made.ok) throw new Error('expected a refusal');
  return made.refusal.message;
}

describe('a conditional order from the ticket', () => {
  it('places the ticket’s own order when the last price reaches the level, in the engine by default', () => {
    expect(specOf(ticketAlgo(fields(), infy, NOW))).toEqual({
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      condition: { on: 'price', direction: 'above', price: 154_950 },
      then: { type: 'order', orderType: 'LIMIT', price: 155_000 },
    });
    const sl = fields({ side: 'SELL', orderType: 'SL', triggerText: '1540.00', condition: 'priceBelow' });
    expect(specOf(ticketAlgo(sl, infy, NOW))).toMatchObject({
      side: 'SELL',
      condition: { on: 'price', direction: 'below' },
      then: { type: 'order', orderType: 'SL', price: 155_000, triggerPrice: 154_000 },
    });
  });

  it('sends a price condition with a LIMIT order as a GTT when asked, and refuses GTT otherwise with why', () => {
    expect(specOf(ticketAlgo(fields({ where: 'GTT' }), infy, NOW))).toMatchObject({ gtt: true });
    expect(gttBlocked(fields({ orderType: 'MARKET' }))).toMatch(/LIMIT/);
    expect(gttBlocked(fields({ condition: 'closeAbove' }))).toMatch(/price condition/);
    expect(gttBlocked(fields())).toBe('');
    expect(refusalOf(ticketAlgo(fields({ where: 'GTT', orderType: 'MARKET' }), infy, NOW))).toMatch(
      /GTT places a LIMIT order only/,
    );
    expect(refusalOf(ticketAlgo(fields({ where: 'GTT', condition: 'rsiAbove' }), infy, NOW))).toMatch(
      /GTT takes a price condition/,
    );
  });

  it('starts a bracket when met with BKT: the order as its entry, the target and stop in ticks; never as a GTT', () => {
    const bkt = fields({ thenBracket: true, targetText: '30', stopText: '15' });
    expect(specOf(ticketAlgo(bkt, infy, NOW))).toEqual({
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'BUY',
      quantity: 10,
      product: 'MIS',
      condition: { on: 'price', direction: 'above', price: 154_950 },
      then: {
        type: 'bracket',
        entry: { orderType: 'LIMIT', price: 155_000 },
        target: { ticks: 30 },
        stop: { ticks: 15 },
      },
    });
    // An indicator's condition, a stop-market entry.
    const sma = fields({
      thenBracket: true,
      condition: 'smaAbove',
      orderType: 'SL-M',
      triggerText: '1551.00',
    });
    expect(specOf(ticketAlgo(sma, infy, NOW))).toMatchObject({
      condition: { on: 'indicator', indicator: 'sma', period: 20, interval: '5m' },
      then: { type: 'bracket', entry: { orderType: 'SL-M', triggerPrice: 155_100 }, target: { ticks: 20 } },
    });
    expect(submitLabel(bkt, infy)).toBe('BUY 10 INFY · IF → Bracket');
    expect(gttBlocked(bkt)).toMatch(/A bracket waits in the engine/);
    expect(refusalOf(ticketAlgo({ ...bkt, where: 'GTT' }, infy, NOW))).toMatch(/a GTT places one order/);
    expect(refusalOf(ticketAlgo({ ...bkt, targetText: '0' }, infy, NOW))).toBe(
      'Target: a whole number of ticks above 0.',
    );
    expect(refusalOf(ticketAlgo({ ...bkt, stopText: '' }, infy, NOW))).toBe(
      'Stop: a whole number of ticks above 0.',
    );
    expect(
      refusalOf(ticketAlgo({ ...bkt, condition: 'range', rangeAboveText: '1560.00' }, infy, NOW)),
    ).toMatch(/not a bracket/);
  });

  it('makes a range an OCO: the stop and the target levels, each leg a LIMIT at its level or MARKET', () => {
    const oco = fields({
      side: 'SELL',
      condition: 'range',
      conditionText: '1480.00',
      rangeAboveText: '1560.50',
      // The ticket's own price is not a leg's: each is priced at its level.
      priceText: '',
    });
    expect(specOf(ticketAlgo(oco, infy, NOW))).toEqual({
      kind: 'conditional',
      instrumentToken: 408065,
      side: 'SELL',
      quantity: 10,
      product: 'MIS',
      condition: { on: 'range', below: 148_000, above: 156_050 },
      then: { type: 'oco', orderType: 'LIMIT', belowPrice: 148_000, abovePrice: 156_050 },
    });
    expect(specOf(ticketAlgo({ ...oco, orderType: 'MARKET' }, infy, NOW))).toMatchObject({
      then: { type: 'oco', orderType: 'MARKET' },
    });
    // A two-leg GTT with LIMIT legs; a MARKET range waits in the engine only.
    expect(gttBlocked(oco)).toBe('');
    expect(specOf(ticketAlgo({ ...oco, where: 'GTT' }, infy, NOW))).toMatchObject({ gtt: true });
    expect(refusalOf(ticketAlgo({ ...oco, where: 'GTT', orderType: 'MARKET' }, infy, NOW))).toMatch(/LIMIT/);
    expect(refusalOf(ticketAlgo({ ...oco, orderType: 'SL', triggerText: '1479' }, infy, NOW))).toMatch(
      /LIMIT .* or MARKET/,
    );
    expect(refusalOf(ticketAlgo({ ...oco, rangeAboveText: '' }, infy, NOW))).toMatch(/the target/);
    expect(refusalOf(ticketAlgo({ ...oco, conditionText: 'x' }, infy, NOW))).toMatch(/IF range stop/);
    expect(refusalOf(ticketAlgo({ ...oco, rangeAboveText: '1470' }, infy, NOW))).toMatch(/below the target/);
  });

  it('reads a bar close, an SMA/EMA level in wire units and an RSI value with their interval and period', () => {
    expect(specOf(ticketAlgo(fields({ condition: 'closeBelow', interval: '15m' }), infy, NOW))).toMatchObject(
      {
        condition: { on: 'barClose', interval: '15m', direction: 'below', price: 154_950 },
      },
    );
    const ema = fields({ condition: 'emaAbove', periodText: '9', interval: '1m' });
    expect(specOf(ticketAlgo(ema, infy, NOW))).toMatchObject({
      condition: {
        on: 'indicator',
        indicator: 'ema',
        period: 9,
        interval: '1m',
        direction: 'above',
        value: 154_950,
      },
    });
    const rsi = fields({ condition: 'rsiBelow', conditionText: '30', periodText: '14' });
    expect(specOf(ticketAlgo(rsi, infy, NOW))).toMatchObject({
      condition: {
        on: 'indicator',
        indicator: 'rsi',
        period: 14,
        interval: '5m',
        direction: 'below',
        value: 30,
      },
    });
  });

  it('reads a time as the next HH:MM IST: today, or tomorrow once past', () => {
    expect(readIstClock('14:30')).toBe(870);
    expect(readIstClock('9:05')).toBe(545);
    expect(readIstClock('24:00')).toBeUndefined();
    expect(readIstClock('1430')).toBeUndefined();
    expect(nextIstMoment(870, NOW)).toBe(Date.UTC(2026, 11, 3, 9, 0));
    expect(nextIstMoment(9 * 60, NOW)).toBe(Date.UTC(2026, 11, 4, 3, 30));
    const at = specOf(ticketAlgo(fields({ condition: 'time', conditionText: '14:30' }), infy, NOW));
    expect(at).toMatchObject({ condition: { on: 'time', at: Date.UTC(2026, 11, 3, 9, 0) } });
  });

  it('refuses what cannot be sent, with a typed message, and sends nothing', () => {
    const cases: readonly [Partial<TicketFields>, RegExp][] = [
      [{ conditionText: '' }, /IF price: the level, a price/],
      [{ conditionText: 'abc' }, /IF price:/],
      [{ condition: 'closeAbove', conditionText: '' }, /IF bar close/],
      [{ condition: 'smaAbove', periodText: '1' }, /IF period: whole bars, 2 to 200/],
      [{ condition: 'rsiAbove', conditionText: '120' }, /IF RSI: a value above 0 and below 100/],
      [{ condition: 'time', conditionText: '25:00' }, /IF time: HH:MM, IST/],
      [{ variety: 'amo' }, /choose REG, not AMO/],
      [{ priceText: '' }, /A LIMIT order needs a price/],
      [{ quantityText: '1.5' }, /Quantity must be a whole number/],
    ];
    for (const [more, message] of cases)
      expect(refusalOf(ticketAlgo(fields(more), infy, NOW))).toMatch(message);
  });

  it('names itself IF on the submit button, and the order hotkeys refuse while it is chosen', () => {
    expect(submitLabel(fields(), infy)).toBe('BUY 10 INFY · IF');
    const press = hotkeyOrder({
      side: 'BUY',
      fields: fields(),
      instrument: infy,
      focusedInstrument: undefined,
      inTextField: false,
      blocked: '',
    });
    expect(press).toEqual({
      ok: false,
      why: 'Buy not sent: the ticket is set to a conditional (IF); Enter on the ticket sends it.',
    });
  });
});
