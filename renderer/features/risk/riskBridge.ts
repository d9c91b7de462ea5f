import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { riskService } from '../../../shared/services/risk';
import type { EngineLink } from '../market';
import { refusalOf } from '../orders';
import type { RiskStore } from './riskStore';

/** The engine's risk service, as the renderer calls it. */
export type RiskService = ServiceOf<typeof riskService>;

/** The kill switch and its undoing. Each resolves (never rejects); a failure lands in the store. */
export interface RiskActions {
  /** HALTED, then every working order cancelled. */
  killSwitch(): Promise<void>;
  /** Back to ACTIVE (the engine refuses while the daily loss limit is still breached). */
  reset(): Promise<void>;
}

export interface RiskHandle extends Disposable {
  readonly store: RiskStore;
  readonly actions: RiskActions;
}

/** Keeps `store` on the engine's trading state: fetched on every connection, then streamed. */
export function startRisk(service: RiskService, link: EngineLink, store: RiskStore): RiskHandle {
  const owned = new DisposableStore();
  const state = () => store.getState();
  const fetch = (): void => {
    if (!link.isConnected()) return;
    service.status().then(
      (s) => {
        state().statusReceived(s);
      },
      (e: unknown) => {
        if (e instanceof RpcError && e.code === 'UNKNOWN_METHOD') state().servedChanged('no');
      },
    );
  };
  owned.add(
    service.onStatus((s) => {
      state().statusReceived(s);
    }),
  );
  owned.add(link.onConnected(fetch));
  fetch();

  const run = async (request: () => Promise<void>): Promise<void> => {
    state().busyChanged(true);
    try {
      await request();
      state().problemSeen(undefined);
    } catch (e) {
      state().problemSeen(refusalOf(e));
    } finally {
      state().busyChanged(false);
    }
  };

  return {
    store,
    actions: {
      killSwitch: () =>
        run(async () => {
          const { status } = await service.killSwitch({ reason: 'kill switch (terminal)' });
          state().statusReceived(status);
        }),
      reset: () =>
        run(async () => {
          state().statusReceived(await service.reset());
        }),
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
