import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { RpcError } from '../../../shared/rpc/errors';
import { fakeLink, settle } from '../market/fakeMarket';
import { fakeTrading } from '../orders/fakeTrading';
import { startRisk } from './riskBridge';
import type { RiskService } from './riskBridge';
import { RiskContext } from './riskContext';
import { RiskStatusItem, riskTitle } from './RiskStatusItem';
import { createRiskStore } from './riskStore';

// The trading state and the kill switch against an in-memory fake of the engine's risk service
// (orders/fakeTrading.ts): the engine's own service is being written elsewhere.

function setup() {
  const trading = fakeTrading([]);
  const store = createRiskStore();
  const handle = startRisk(trading.risk, fakeLink(), store);
  return { trading, store, handle };
}

const render = (handle: ReturnType<typeof setup>['handle']) =>
  renderToStaticMarkup(
    <RiskContext value={handle}>
      <RiskStatusItem confirm={() => true} />
    </RiskContext>,
  );

describe('the trading state', () => {
  it('shows ACTIVE with the kill switch; the kill switch halts, Resume resets', async () => {
    const { store, handle, trading } = setup();
    await settle();
    expect(store.getState().status?.state).toBe('ACTIVE');
    expect(render(handle)).toContain('data-testid="kill-switch"');

    await handle.actions.killSwitch();
    expect(store.getState().status).toMatchObject({ state: 'HALTED', reason: 'kill switch (terminal)' });
    const halted = createRiskStore(store.getState().status);
    const html = render({ ...handle, store: halted });
    expect(html).toContain('data-testid="risk-resume"');
    expect(html).toContain('kill switch (terminal)');

    await handle.actions.reset();
    expect(store.getState().status?.state).toBe('ACTIVE');
    expect(trading.calls.map((c) => c.method)).toEqual([
      'risk.limits',
      'risk.status',
      'risk.killSwitch',
      'risk.reset',
    ]);
  });

  it('explains itself in the tooltip: P&L against the limit, orders against the rate limits', () => {
    expect(
      riskTitle({
        state: 'REDUCING',
        reason: 'reduce only',
        since: 0,
        dayNetPaise: -1_250_050,
        dailyLossLimitPaise: 2_500_000,
        openOrders: 2,
        ordersLastSecond: 1,
        ordersLastMinute: 7,
        ordersToday: 31,
      }),
    ).toBe(
      'Trading: REDUCING — reduce only\nDay net -12,500.50 (loss limit 25,000.00)\nOpen orders 2 · sent 1/s of 10, 7/min of 400, 31 today of 5000',
    );
  });

  it('keeps a failed kill switch in view', async () => {
    const { store, trading } = setup();
    const failing: RiskService = {
      ...trading.risk,
      killSwitch: () => Promise.reject(new RpcError('TIMEOUT', 'no answer in 15000 ms')),
    };
    const handle = startRisk(failing, fakeLink(), store);
    await handle.actions.killSwitch();
    expect(store.getState().problem).toMatchObject({ code: 'TIMEOUT', uncertain: true });
    expect(store.getState().busy).toBe(false);
  });

  it('records an engine without the risk service (the item then shows nothing)', async () => {
    const missing = () => Promise.reject(new RpcError('UNKNOWN_METHOD', 'no service risk'));
    const service = { ...fakeTrading([]).risk, status: missing } as RiskService;
    const store = createRiskStore();
    const handle = startRisk(service, fakeLink(), store);
    await settle();
    expect(store.getState().served).toBe('no');
    handle.dispose();
  });
});
