import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RiskLimitsSchema } from '../../../shared/services/risk';
import type { RiskLimits } from '../../../shared/services/risk';
import { fakeLink, settle } from '../market/fakeMarket';
import { fakeTrading } from '../orders/fakeTrading';
import { startRisk } from './riskBridge';
import type { RiskService } from './riskBridge';
import { RiskContext } from './riskContext';
import { RiskPanel } from './RiskPanel';
import { createRiskStore } from './riskStore';

/** The fake's risk service with limits (the shared fake has none). */
function withLimits(risk: RiskService) {
  let limits: RiskLimits = RiskLimitsSchema.parse({});
  const patches: unknown[] = [];
  const service: RiskService = {
    ...risk,
    limits: () => Promise.resolve(limits),
    setLimits: (patch) => {
      patches.push(patch);
      limits = RiskLimitsSchema.parse({ ...limits, ...patch });
      return Promise.resolve(limits);
    },
  };
  return { service, patches };
}

describe('the risk panel', () => {
  it('shows the state, the usage bars and the limits; saving a limit goes to risk.setLimits', async () => {
    const trading = fakeTrading([]);
    const { service, patches } = withLimits(trading.risk);
    const store = createRiskStore();
    const handle = startRisk(service, fakeLink(), store);
    await settle();
    expect(store.getState().limits?.maxOpenOrders).toBe(50);
    const html = renderToStaticMarkup(
      <RiskContext
        value={{ ...handle, store: createRiskStore(store.getState().status, store.getState().limits) }}
      >
        <RiskPanel confirm={() => true} />
      </RiskContext>,
    );
    expect(html).toContain('data-testid="risk-panel-state">ACTIVE');
    expect(html).toContain('data-testid="risk-usage-open-orders"');
    expect(html).toContain('0 of 50');
    expect(html).toContain('0 of 400');
    expect(html).toMatch(/data-testid="risk-limit-maxOpenOrders"[^>]*value="50"/);
    expect(html).toContain('data-testid="risk-panel-kill"');

    expect(await handle.actions.setLimits({ maxOpenOrders: 20 })).toBe(true);
    expect(patches).toEqual([{ maxOpenOrders: 20 }]);
    expect(store.getState().limits?.maxOpenOrders).toBe(20);
    await handle.actions.reduceOnly();
    expect(store.getState().status?.state).toBe('REDUCING');
  });
});
