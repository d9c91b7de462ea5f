import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceFromUnits } from '../../../shared/domain/money';
import {
  KITE_ORDER_STATUSES,
  KITE_STATUS_STATE,
  ORDER_STATES,
  ORDER_TRIGGERS,
  TRANSITIONS,
  applyOrderEvent,
  applyOrderEvents,
  isTerminal,
  newOrder,
  parseKiteOrderStatus,
  triggerOf,
} from './orderLifecycle';
import type { KiteOrderStatus, LifecycleOrder, OrderEvent, OrderState, OrderTrigger } from './orderLifecycle';

const ORDER_ID = '250101000000001';
const QTY = 10;

const fill = (tradeId: string, quantity: number, price = 10_000): OrderEvent => ({
  type: 'Filled',
  tradeId,
  quantity,
  price: priceFromUnits(price),
});
const report = (status: KiteOrderStatus, filledQuantity = 0, quantity = QTY): OrderEvent => ({
  type: 'Reported',
  orderId: ORDER_ID,
  status,
  quantity,
  filledQuantity,
  reason: status === 'REJECTED' ? 'RMS: margin' : null,
});

/** Applies events that must all be accepted. */
function run(events: readonly OrderEvent[], order: LifecycleOrder = newOrder('qtest', QTY)): LifecycleOrder {
  const result = applyOrderEvents(order, events);
  expect(result.error).toBeNull();
  return result.order;
}

const open = (): LifecycleOrder =>
  run([{ type: 'Submitted' }, { type: 'Acknowledged', orderId: ORDER_ID }, report('OPEN')]);

/** Every event kind, with data generated around the order's quantity so fills both fit and overflow. */
const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
  fc.constantFrom<OrderEvent>(
    { type: 'Submitted' },
    { type: 'TimedOut' },
    { type: 'Interrupted' },
    { type: 'Rejected', reason: 'local' },
    { type: 'ResolvedAbsent' },
    { type: 'Abandoned' },
    { type: 'ModifyRequested' },
    { type: 'ModifyAcknowledged' },
    { type: 'ModifyRejected', reason: 'x' },
    { type: 'CancelRequested' },
    { type: 'CancelAcknowledged' },
    { type: 'CancelRejected', reason: 'x' },
  ),
  fc
    .constantFrom(ORDER_ID, '250101000000002')
    .map((orderId): OrderEvent => ({ type: 'Acknowledged', orderId })),
  fc
    .record({
      tradeId: fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6'),
      quantity: fc.integer({ min: 1, max: QTY }),
      price: fc.integer({ min: 1, max: 1_000_000 }),
    })
    .map(({ tradeId, quantity, price }) => fill(tradeId, quantity, price)),
  fc
    .record({
      status: fc.constantFrom(...KITE_ORDER_STATUSES),
      quantity: fc.integer({ min: 1, max: QTY + 5 }),
      filled: fc.integer({ min: 0, max: QTY + 5 }),
    })
    .map(({ status, quantity, filled }) => report(status, Math.min(filled, quantity), quantity)),
);

describe('the transition table', () => {
  it('has a row for every state, and only known triggers and states in it', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ORDER_STATES].sort());
    for (const state of ORDER_STATES) {
      for (const [trigger, target] of Object.entries(TRANSITIONS[state])) {
        expect(ORDER_TRIGGERS).toContain(trigger);
        expect([...ORDER_STATES, 'RESUME']).toContain(target);
      }
    }
  });

  it('is exhaustive: every state x trigger either maps to a state or is refused with IllegalTransition', () => {
    let listed = 0;
    let refused = 0;
    for (const state of ORDER_STATES) {
      for (const trigger of ORDER_TRIGGERS) {
        if (TRANSITIONS[state][trigger] !== undefined) listed += 1;
        else refused += 1;
      }
    }
    expect(listed + refused).toBe(ORDER_STATES.length * ORDER_TRIGGERS.length);
    // A refused pair really is refused by applyOrderEvent, with the order unchanged.
    const order = { ...newOrder('qtest', QTY), state: 'REJECTED' as const };
    const result = applyOrderEvent(order, { type: 'Submitted' });
    expect(result).toEqual({
      ok: false,
      error: { kind: 'IllegalTransition', state: 'REJECTED', trigger: 'Submitted', clientOrderId: 'qtest' },
    });
  });

  it('ORDER_TRIGGERS lists every trigger once, and every report trigger corresponds to a Kite status', () => {
    expect(new Set(ORDER_TRIGGERS).size).toBe(ORDER_TRIGGERS.length);
    const reportTriggers = ORDER_TRIGGERS.filter((t) => t.startsWith('Reported:'));
    const mapped = new Set(Object.values(KITE_STATUS_STATE).map((s): OrderTrigger => `Reported:${s}`));
    expect(new Set(reportTriggers)).toEqual(mapped);
  });

  it('terminal states absorb: no listed edge leaves them', () => {
    for (const state of ORDER_STATES.filter(isTerminal)) {
      for (const target of Object.values(TRANSITIONS[state])) expect(target).toBe(state);
    }
  });

  it('every non-terminal state can reach a terminal state (no dead ends)', () => {
    for (const start of ORDER_STATES) {
      const seen = new Set<OrderState>([start]);
      const queue: OrderState[] = [start];
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        for (const target of Object.values(TRANSITIONS[s])) {
          const next = target === 'RESUME' ? 'OPEN' : target;
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect([...seen].some(isTerminal), start).toBe(true);
    }
  });
});

describe('Kite statuses', () => {
  it('every Kite status, the transient ones included, maps to one of our states', () => {
    for (const status of KITE_ORDER_STATUSES) {
      expect(ORDER_STATES).toContain(KITE_STATUS_STATE[status]);
      expect(parseKiteOrderStatus(status)).toBe(status);
    }
    expect(KITE_STATUS_STATE['PUT ORDER REQ RECEIVED']).toBe('ACCEPTED');
    expect(KITE_STATUS_STATE['VALIDATION PENDING']).toBe('ACCEPTED');
    expect(KITE_STATUS_STATE['OPEN PENDING']).toBe('ACCEPTED');
    expect(KITE_STATUS_STATE['MODIFY VALIDATION PENDING']).toBe('MODIFY_PENDING');
    expect(KITE_STATUS_STATE['AMO REQ RECEIVED']).toBe('AMO_QUEUED');
    expect(KITE_STATUS_STATE['TRIGGER PENDING']).toBe('TRIGGER_PENDING');
  });

  it('anything else is not a Kite status (UPDATE is postback-only; prototype names are not statuses)', () => {
    for (const s of ['UPDATE', 'open', '', 'toString', '__proto__', 'COMPLETED'])
      expect(parseKiteOrderStatus(s)).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const parsed = parseKiteOrderStatus(s);
        expect(parsed === null || (KITE_ORDER_STATUSES as readonly string[]).includes(parsed)).toBe(true);
      }),
    );
  });

  it('a report of each status from SENT lands in that status’s state', () => {
    const sent = run([{ type: 'Submitted' }]);
    for (const status of KITE_ORDER_STATUSES) {
      const filled = status === 'COMPLETE' ? QTY : 0;
      const result = applyOrderEvent(sent, report(status, filled));
      expect(result.ok && result.order.state, status).toBe(KITE_STATUS_STATE[status]);
    }
  });
});

describe('the happy paths', () => {
  it('place, acknowledge, open, fill in two trades', () => {
    const order = run([fill('t1', 4), fill('t2', 6)], open());
    expect(order.state).toBe('COMPLETE');
    expect(order.filledQuantity).toBe(QTY);
    expect(order.fills.map((f) => f.tradeId)).toEqual(['t1', 't2']);
  });

  it('an order update that beats the HTTP answer, then the answer is a duplicate', () => {
    const sent = run([{ type: 'Submitted' }]);
    const opened = run([report('OPEN')], sent);
    const ack = applyOrderEvent(opened, { type: 'Acknowledged', orderId: ORDER_ID });
    expect(ack).toEqual({ ok: true, order: opened, changed: false });
  });

  it('a timeout leaves the order UNKNOWN; resolving by tag finds it, or proves it absent', () => {
    const unknown = run([{ type: 'Submitted' }, { type: 'TimedOut' }]);
    expect(unknown.state).toBe('UNKNOWN');
    expect(applyOrderEvent(unknown, { type: 'Submitted' }).ok).toBe(false); // never re-sent
    expect(run([report('OPEN', 3)], unknown)).toMatchObject({
      state: 'OPEN',
      orderId: ORDER_ID,
      brokerFilledQuantity: 3,
    });
    expect(run([{ type: 'ResolvedAbsent' }], unknown).state).toBe('REJECTED');
    expect(run([{ type: 'Interrupted' }]).state).toBe('UNKNOWN');
  });

  it('a refused modify of a stop order returns to TRIGGER_PENDING; a refused cancel after it too', () => {
    const stop = run([{ type: 'Submitted' }, report('TRIGGER PENDING')]);
    const modifying = run([{ type: 'ModifyRequested' }], stop);
    expect(modifying).toMatchObject({ state: 'MODIFY_PENDING', resumeState: 'TRIGGER_PENDING' });
    const back = run([{ type: 'ModifyRejected', reason: 'price band' }], modifying);
    expect(back).toMatchObject({ state: 'TRIGGER_PENDING', resumeState: null, reason: 'price band' });
    const cancelWhileModifying = run(
      [{ type: 'CancelRequested' }, { type: 'CancelRejected', reason: 'x' }],
      modifying,
    );
    expect(cancelWhileModifying.state).toBe('TRIGGER_PENDING');
  });

  it('a modify goes through Kite’s modify statuses and ends at the broker’s report; the late HTTP answer is a self-loop', () => {
    const o = run(
      [
        { type: 'ModifyRequested' },
        report('MODIFY VALIDATION PENDING'),
        report('MODIFY PENDING'),
        report('MODIFIED'),
        report('OPEN', 0, 8),
        { type: 'ModifyAcknowledged' },
      ],
      open(),
    );
    expect(o).toMatchObject({ state: 'OPEN', quantity: 8 });
  });

  it('a cancel that loses the race to a fill ends COMPLETE, and its late rejection is ignored', () => {
    const o = run([{ type: 'CancelRequested' }, fill('t1', QTY)], open());
    expect(o.state).toBe('COMPLETE');
    expect(applyOrderEvent(o, { type: 'CancelRejected', reason: 'already complete' })).toEqual({
      ok: true,
      order: o,
      changed: false,
    });
  });

  it('the broker reports COMPLETE before the trades arrive; the trades it counted are still recorded', () => {
    const done = run([report('COMPLETE', QTY)], open());
    const o = run([fill('t1', 7), fill('t2', 3)], done);
    expect(o).toMatchObject({ state: 'COMPLETE', filledQuantity: QTY });
    expect(applyOrderEvent(o, fill('t3', 1))).toMatchObject({ ok: false, error: { kind: 'Overfill' } });
  });

  it('a cancelled order takes only the trades the broker counted before the cancel', () => {
    const cancelled = run([report('OPEN', 4), report('CANCELLED', 4)], open());
    const o = run([fill('t1', 4)], cancelled);
    expect(o).toMatchObject({ state: 'CANCELLED', filledQuantity: 4 });
    expect(applyOrderEvent(o, fill('t2', 1))).toMatchObject({
      ok: false,
      error: { kind: 'Overfill', limit: 4 },
    });
  });
});

describe('refusals change nothing', () => {
  it('malformed events are InvalidEvent', () => {
    const o = open();
    for (const e of [
      fill('t1', 0),
      fill('t1', 1.5),
      fill('', 1),
      report('OPEN', 11, 10),
      report('COMPLETE', 3),
    ]) {
      expect(applyOrderEvent(o, e)).toMatchObject({ ok: false, error: { kind: 'InvalidEvent' } });
    }
    const filled = run([fill('t1', 5)], o);
    expect(applyOrderEvent(filled, report('OPEN', 5, 4))).toMatchObject({
      ok: false,
      error: { kind: 'InvalidEvent' },
    });
  });

  it('a different order id is OrderIdMismatch', () => {
    const o = open();
    expect(applyOrderEvent(o, { type: 'Acknowledged', orderId: 'other' })).toMatchObject({
      ok: false,
      error: { kind: 'OrderIdMismatch', expected: ORDER_ID, received: 'other' },
    });
  });

  it('an overfill is refused', () => {
    const o = run([fill('t1', 8)], open());
    expect(applyOrderEvent(o, fill('t2', 3))).toMatchObject({
      ok: false,
      error: { kind: 'Overfill', filledQuantity: 11, limit: QTY },
    });
  });
});

/**
 * One step of a walk: either a random event, or (guided) an event built for one of the triggers the
 * table lists for the order's current state, so that walks reach every edge and not only the first few.
 */
interface Step {
  readonly guided: boolean;
  readonly pick: number;
  readonly event: OrderEvent;
}
const stepArb: fc.Arbitrary<Step> = fc.record({ guided: fc.boolean(), pick: fc.nat(), event: eventArb });

function eventFor(order: LifecycleOrder, step: Step): OrderEvent {
  if (!step.guided) return step.event;
  const listed = Object.keys(TRANSITIONS[order.state]) as OrderTrigger[];
  const trigger = listed[step.pick % Math.max(listed.length, 1)];
  if (trigger === undefined) return step.event;
  const tradeId = `g${order.fills.length}`;
  const limit = isTerminal(order.state) ? order.brokerFilledQuantity : order.quantity;
  const remaining = limit - order.filledQuantity;
  if (trigger === 'Filled') return fill(tradeId, Math.max(remaining, 1));
  if (trigger === 'PartFilled')
    return fill(tradeId, Math.max(1, Math.min(remaining - 1, 1 + (step.pick % QTY))));
  if (trigger.startsWith('Reported:')) {
    const statuses = KITE_ORDER_STATUSES.filter((k) => `Reported:${KITE_STATUS_STATE[k]}` === trigger);
    const status = statuses[step.pick % statuses.length] ?? 'OPEN';
    const filled = status === 'COMPLETE' ? order.quantity : order.brokerFilledQuantity;
    return report(status, filled, order.quantity);
  }
  if (trigger === 'Acknowledged') return { type: 'Acknowledged', orderId: ORDER_ID };
  if (trigger === 'Rejected' || trigger === 'ModifyRejected' || trigger === 'CancelRejected') {
    return { type: trigger, reason: 'refused' };
  }
  return { type: trigger } as OrderEvent;
}

describe('properties over random event sequences', () => {
  const sequences = fc.array(stepArb, { maxLength: 40 });

  it('guided walks take every edge of the table', () => {
    const taken = new Set<string>();
    for (const steps of fc.sample(sequences, { numRuns: 3000, seed: 42 })) {
      let order = newOrder('qtest', QTY);
      for (const step of steps) {
        const event = eventFor(order, step);
        const result = applyOrderEvent(order, event);
        if (!result.ok || !result.changed) continue;
        taken.add(`${order.state} ${triggerOf(order, event)}`);
        order = result.order;
      }
    }
    const edges = ORDER_STATES.flatMap((s) => Object.keys(TRANSITIONS[s]).map((t) => `${s} ${t}`));
    expect(edges.filter((e) => !taken.has(e))).toEqual([]);
  });

  it('every accepted event follows the table (or is a no-op); a refused one leaves the order as it was', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        let order = newOrder('qtest', QTY);
        for (const step of steps) {
          const event = eventFor(order, step);
          const before = structuredClone(order);
          const result = applyOrderEvent(order, event);
          expect(order).toEqual(before); // never mutated
          if (!result.ok) continue;
          const next = result.order;
          expect(ORDER_STATES).toContain(next.state);
          if (!result.changed) {
            expect(next).toBe(order);
            continue;
          }
          const target = TRANSITIONS[order.state][triggerOf(order, event)];
          expect(target).toBeDefined();
          expect(next.state).toBe(target === 'RESUME' ? order.resumeState : target);
          order = next;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('filled quantity never exceeds the order quantity, and equals the sum of distinct trades', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        let order = newOrder('qtest', QTY);
        for (const step of steps) {
          const event = eventFor(order, step);
          const result = applyOrderEvent(order, event);
          if (result.ok) order = result.order;
          expect(order.filledQuantity).toBeLessThanOrEqual(order.quantity);
          expect(order.brokerFilledQuantity).toBeLessThanOrEqual(order.quantity);
          expect(order.filledQuantity).toBe(order.fills.reduce((sum, f) => sum + f.quantity, 0));
          expect(new Set(order.fills.map((f) => f.tradeId)).size).toBe(order.fills.length);
          if (order.state === 'MODIFY_PENDING' || order.state === 'CANCEL_PENDING') {
            expect(order.resumeState).not.toBeNull();
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a duplicate trade id is ignored, whatever the state', () => {
    fc.assert(
      fc.property(sequences, fc.integer({ min: 1, max: QTY }), (steps, q) => {
        let order = run([fill('dup', 1)], open());
        for (const step of steps) {
          const result = applyOrderEvent(order, eventFor(order, step));
          if (result.ok) order = result.order;
        }
        const result = applyOrderEvent(order, fill('dup', q, 123));
        expect(result).toEqual({ ok: true, order, changed: false });
      }),
    );
  });

  it('re-delivering any accepted event changes nothing or is refused, and never moves a terminal order', () => {
    fc.assert(
      fc.property(sequences, (steps) => {
        let order = newOrder('qtest', QTY);
        for (const step of steps) {
          const event = eventFor(order, step);
          const result = applyOrderEvent(order, event);
          if (!result.ok) continue;
          order = result.order;
          if (isTerminal(order.state)) {
            const again = applyOrderEvent(order, event);
            if (again.ok) expect(again.order.state).toBe(order.state);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('terminal states absorb: from a terminal order no event sequence reaches another state', () => {
    const terminals: LifecycleOrder[] = [
      run([fill('t1', QTY)], open()),
      run([report('COMPLETE', QTY)], open()),
      run([report('CANCELLED', 2)], open()),
      run([{ type: 'Rejected', reason: 'risk' }]),
      run([{ type: 'Submitted' }, { type: 'TimedOut' }, { type: 'ResolvedAbsent' }]),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...terminals), sequences, (start, steps) => {
        let order = start;
        for (const step of steps) {
          const result = applyOrderEvent(order, eventFor(order, step));
          if (result.ok) order = result.order;
          expect(order.state).toBe(start.state);
        }
      }),
    );
  });
});
