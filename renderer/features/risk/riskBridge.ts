import { DisposableStore } from '../../../shared/disposable';
import type { Disposable } from '../../../shared/disposable';
import { RpcError } from '../../../shared/rpc/errors';
import type { ServiceOf } from '../../../shared/rpc/service';
import type { RiskLimits, riskService } from '../../../shared/services/risk';
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
  /** REDUCING: only orders that shrink a position. */
  reduceOnly(): Promise<void>;
  /** Changes some limits; resolves true when the engine took them (else the problem is in the store). */
  setLimits(patch: Partial<RiskLimits>): Promise<boolean>;
}

export interface RiskHandle extends Disposable {
  readonly store: RiskStore;
  readonly actions: RiskActions;
}

/** Keeps `store` on the engine's trading state: fetched on every connection, then streamed. */
export function startRisk(service: RiskService, link: EngineLink, store: RiskStore): RiskHandle {
  const owned = new DisposableStore();
  const state = () => store.getState();
  const fetchLimits = (): void => {
    service.limits().then(
      (l) => {
        state().limitsReceived(l);
      },
      () => undefined, // An engine without limits leaves the panel saying so.
    );
  };
  const fetch = (): void => {
    if (!link.isConnected()) return;
    fetchLimits();
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

  const run = async (request: () => Promise<void>): Promise<boolean> => {
    state().busyChanged(true);
    try {
      await request();
      state().problemSeen(undefined);
      return true;
    } catch (e) {
      state().problemSeen(refusalOf(e));
      return false;
    } finally {
      state().busyChanged(false);
    }
  };

  return {
    store,
    actions: {
      killSwitch: async () => {
        await run(async () => {
          const { status } = await service.killSwitch({ reason: 'kill switch (terminal)' });
          state().statusReceived(status);
        });
      },
      reset: async () => {
        await run(async () => {
          state().statusReceived(await service.reset());
        });
      },
      reduceOnly: async () => {
        await run(async () => {
          state().statusReceived(await service.reduceOnly());
        });
      },
      setLimits: (patch) =>
        run(async () => {
          state().limitsReceived(await service.setLimits(patch));
        }),
    },
    dispose: () => {
      owned.dispose();
    },
  };
}
