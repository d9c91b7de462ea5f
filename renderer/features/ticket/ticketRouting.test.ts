import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RouteRequest } from '../../../shared/services/algos';
import { localRefusal } from '../orders';
import { fakeLink, instrument } from '../market/fakeMarket';
import { createAlgosStore, startAlgos } from '../algos';
import type { RouteOutcome } from '../algos';
import { fakeAlgos } from '../algos/fakeAlgos';
import { startTicketRouting } from './ticketRouting';
import type { RouteSource } from './ticketRouting';
import { createTicketStore } from './ticketStore';

// The ticket's live routing decision against the fake algos service (its fixed books: INFY shows
// 40 on BSE a tick better than NSE's 60), with the test's clock.

const infy = instrument(408065, 'INFY', { tickSize: 5, lastPrice: 154_000 });
const niftyFut = instrument(13238786, 'NIFTY26DECFUT', {
  exchange: 'NFO',
  instrumentType: 'FUT',
  segment: 'NFO-FUT',
  lotSize: 75,
  tickSize: 10,
});

function ticket() {
  const store = createTicketStore({
    actions: { place: () => Promise.reject(new Error('not here')) },
    lastPrice: () => 154_000,
  });
  store.getState().instrumentChanged(infy);
  store.getState().setOrderType('MARKET');
  return store;
}

/** The fake algos service's routing, counting the questions asked. */
function fakeSource() {
  const fake = fakeAlgos();
  const actions = startAlgos(fake.service, fakeLink(false), createAlgosStore()).actions;
  const asked: RouteRequest[] = [];
  const source: RouteSource = (r) => {
    asked.push(r);
    return actions.route(r);
  };
  return { source, asked };
}

/** A source whose answers the test gives, one by one. */
function heldSource() {
  const pending: { request: RouteRequest; answer: (o: RouteOutcome) => void }[] = [];
  const source: RouteSource = (request) =>
    new Promise((answer) => {
      pending.push({ request, answer });
    });
  return { source, pending };
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-24T04:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the ticket’s live routing decision', () => {
  it('asks nothing and keeps no timer while SOR is off', async () => {
    const t = ticket();
    const { source, asked } = fakeSource();
    const feed = startTicketRouting(source, t);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(asked).toEqual([]);
    expect(feed.store.getState().status).toBe('off');
    expect(vi.getTimerCount()).toBe(0);
    feed.dispose();
  });

  it('asks 150 ms after a change, then every second while SOR is on', async () => {
    const t = ticket();
    const { source, asked } = fakeSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    expect(feed.store.getState().status).toBe('asking');
    await vi.advanceTimersByTimeAsync(149);
    expect(asked).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual([
      { instrumentToken: 408065, side: 'BUY', quantity: 1, product: 'CNC', orderType: 'MARKET' },
    ]);
    expect(feed.store.getState()).toMatchObject({
      status: 'ok',
      current: true,
      stale: false,
      decision: { legs: [{ exchange: 'BSE', quantity: 1 }], reason: expect.stringMatching(/^BSE: /) },
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(asked.length).toBe(4);
    expect(feed.store.getState().stale).toBe(false);
    // Off again: no more questions, nothing shown, no timer left.
    t.getState().setSor(false);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(asked.length).toBe(4);
    expect(feed.store.getState()).toMatchObject({ status: 'off', decision: undefined });
    expect(vi.getTimerCount()).toBe(0);
    feed.dispose();
  });

  it('asks once for a burst of typing, the old decision dimmed until the new answer', async () => {
    const t = ticket();
    const { source, asked } = fakeSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    await vi.advanceTimersByTimeAsync(150);
    for (const q of ['1', '10', '100']) {
      t.getState().setQuantityText(q);
      await vi.advanceTimersByTimeAsync(50);
    }
    expect(feed.store.getState()).toMatchObject({ status: 'ok', current: false });
    expect(feed.store.getState().decision?.legs.map((l) => l.quantity)).toEqual([1]);
    await vi.advanceTimersByTimeAsync(100);
    expect(asked.map((r) => r.quantity)).toEqual([1, 100]);
    expect(feed.store.getState().current).toBe(true);
    expect(feed.store.getState().decision?.legs.map((l) => `${l.exchange} ${l.quantity}`)).toEqual([
      'NSE 60',
      'BSE 40',
    ]);
    feed.dispose();
  });

  it('drops an answer to an older question than the last', async () => {
    const t = ticket();
    const { source, pending } = heldSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    await vi.advanceTimersByTimeAsync(150);
    t.getState().setQuantityText('7');
    await vi.advanceTimersByTimeAsync(150);
    expect(pending.map((p) => p.request.quantity)).toEqual([1, 7]);
    const decision = (quantity: number) => ({
      legs: [
        {
          exchange: 'NSE' as const,
          instrumentToken: 408065,
          tradingsymbol: 'INFY',
          quantity,
          expectedAveragePrice: 154_000,
          expectedCostPaise: 0,
          fromVisibleDepth: quantity,
        },
      ],
      reason: `NSE: for ${quantity}.`,
      venues: [],
      fallback: false,
      listedOn: ['NSE' as const, 'BSE' as const],
      decidedAt: 1,
    });
    pending[1]?.answer({ ok: true, decision: decision(7) });
    pending[0]?.answer({ ok: true, decision: decision(1) });
    await vi.advanceTimersByTimeAsync(0);
    expect(feed.store.getState().decision?.reason).toBe('NSE: for 7.');
    feed.dispose();
  });

  it('shows a refused question as failed, keeps the last decision, and marks it stale after 3 s', async () => {
    const t = ticket();
    let fail = false;
    const { source: fine } = fakeSource();
    const source: RouteSource = (r) =>
      fail ? Promise.resolve({ ok: false, refusal: localRefusal('The engine is busy.') }) : fine(r);
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    await vi.advanceTimersByTimeAsync(150);
    expect(feed.store.getState().status).toBe('ok');
    fail = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(feed.store.getState()).toMatchObject({
      status: 'failed',
      refusal: { message: 'The engine is busy.' },
      decision: { legs: [{ exchange: 'BSE' }] },
      stale: false,
    });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(feed.store.getState().stale).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    const s = feed.store.getState();
    expect(s.stale).toBe(true);
    expect(s.checkedAt - s.receivedAt).toBeGreaterThan(3_000);
    // The engine answers again: fresh.
    fail = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(feed.store.getState()).toMatchObject({ status: 'ok', stale: false, refusal: undefined });
    feed.dispose();
  });

  it('marks a decision stale while the engine does not answer, and asks no second question meanwhile', async () => {
    const t = ticket();
    const { source, pending } = heldSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    await vi.advanceTimersByTimeAsync(150);
    pending[0]?.answer({
      ok: true,
      decision: {
        legs: [],
        reason: 'No book on NSE or BSE: there is nothing to route to.',
        venues: [],
        fallback: true,
        listedOn: ['NSE', 'BSE'],
        decidedAt: 1,
      },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(pending).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(pending).toHaveLength(2);
    expect(feed.store.getState()).toMatchObject({ status: 'ok', stale: true });
    feed.dispose();
  });

  it('says why it cannot ask: an incomplete order, no routing in this window, an instrument it does not route', async () => {
    const t = ticket();
    const { source, asked } = fakeSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    t.getState().setQuantityText('');
    await vi.advanceTimersByTimeAsync(2_000);
    expect(asked).toEqual([]);
    expect(feed.store.getState()).toMatchObject({
      status: 'idle',
      why: 'Quantity must be a whole number of shares.',
      decision: undefined,
    });
    expect(vi.getTimerCount()).toBe(0);
    t.getState().instrumentChanged(niftyFut);
    expect(feed.store.getState().status).toBe('off');
    feed.dispose();

    const u = ticket();
    u.getState().setSor(true);
    const none = startTicketRouting(undefined, u);
    expect(none.store.getState().status).toBe('unavailable');
    none.dispose();
  });

  it('stops asking when disposed', async () => {
    const t = ticket();
    const { source, asked } = fakeSource();
    const feed = startTicketRouting(source, t);
    t.getState().setSor(true);
    await vi.advanceTimersByTimeAsync(150);
    feed.dispose();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(asked).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
