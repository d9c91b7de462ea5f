import type { Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { RpcClient, toService } from '../../shared/rpc/client';
import { openWebSocketPort } from '../../shared/rpc/transports/webSocket';
import { algosService } from '../../shared/services/algos';
import { marketService } from '../../shared/services/market';
import { ordersService } from '../../shared/services/orders';
import { portfolioService } from '../../shared/services/portfolio';
import { expect } from './fixtures';

// What the specs that trade share: the engine's services over web mode's WebSocket (as a script
// would use them), choosing an instrument in the watchlist, and leaving the shared engine as the
// next spec expects it (nothing working, flat).

const PRICE = /^\d+\.\d{2}$/;

export type EngineServices = {
  market: ReturnType<typeof toService<typeof marketService>>;
  algos: ReturnType<typeof toService<typeof algosService>>;
  orders: ReturnType<typeof toService<typeof ordersService>>;
  portfolio: ReturnType<typeof toService<typeof portfolioService>>;
};

/** The engine's services over the web-mode WebSocket `rpc`, for the time of `use`. */
export async function withEngine<T>(rpc: string, use: (s: EngineServices) => Promise<T>): Promise<T> {
  const client = new RpcClient(await openWebSocketPort(new WebSocket(rpc)));
  try {
    return await use({
      market: toService(client, marketService),
      algos: toService(client, algosService),
      orders: toService(client, ordersService),
      portfolio: toService(client, portfolioService),
    });
  } finally {
    client.dispose();
  }
}

/** Selects NSE `symbol` in the watchlist (the ticket follows it) and waits until it can trade. */
export async function select(page: Page, symbol: string): Promise<void> {
  await page.locator(`tr.wl-row[data-symbol="${symbol}"]`).click();
  await expect(page.getByTestId('ticket-symbol')).toHaveText(`NSE:${symbol}`);
  await expect(page.getByTestId('ticket-ltp')).toHaveText(PRICE, { timeout: 10_000 });
  await expect(page.getByTestId('ticket-submit')).toBeEnabled({ timeout: 20_000 });
}

/** Cancels every working algorithm on `instrumentToken` and flattens its MIS position, through the engine. */
export async function cleanUp(rpc: string, instrumentToken: number): Promise<void> {
  await withEngine(rpc, async ({ algos, orders, portfolio }) => {
    for (const a of (await algos.list()).algos)
      if (a.status === 'WORKING' && a.instrumentToken === instrumentToken)
        await algos.cancel({ algoId: a.algoId }).catch(() => undefined);
    await expect
      .poll(async () => (await algos.list()).algos.filter((a) => a.status === 'WORKING').length)
      .toBe(0);
    // Flat on it for the specs after this one: asked again until the position reads 0 (an exit
    // waits for cancelled orders to end, and can be refused or rejected).
    const open = async () =>
      (await portfolio.positions()).positions.find(
        (p) => p.instrumentToken === instrumentToken && p.product === 'MIS',
      )?.quantity ?? 0;
    // What the last exit answered, for the failure's message: a position left open says why.
    let answer = 'no exit was asked';
    try {
      await expect
        .poll(
          async () => {
            if ((await open()) !== 0)
              answer = await orders.exit({ instrumentToken, product: 'MIS' }).then(
                (r) => r.orders.map((o) => `${o.side} ${o.quantity} ${o.state} ${o.reason}`).join('; '),
                (e: unknown) => (e instanceof Error ? e.message : String(e)),
              );
            return open();
          },
          { timeout: 20_000, intervals: [500, 1_000] },
        )
        .toBe(0);
    } catch (e) {
      const working = (await orders.list()).orders
        .filter((o) => o.instrumentToken === instrumentToken)
        .slice(0, 6) // newest first
        .map((o) => `${o.clientOrderId} ${o.side} ${o.quantity} ${o.state} ${o.reason}`);
      throw new Error(
        `${e instanceof Error ? e.message : String(e)}\nthe last exit answered: ${answer}\nthe last orders on it: ${working.join(', ')}`,
        { cause: e },
      );
    }
  });
}
