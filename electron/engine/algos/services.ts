/** The contract's `algos` service over the algorithm engine (shared/services/algos.ts). */
import type { ServiceOf } from '../../../shared/rpc/service';
import type { algosService } from '../../../shared/services/algos';
import type { AlgoEngine } from './algoEngine';
import type { Router } from './router';

/** The `algos` service. The stream opens with the list (oldest first), then follows changes. */
export function createAlgosService(engine: AlgoEngine, router: Router): ServiceOf<typeof algosService> {
  return {
    start: async (spec) => ({ algo: await engine.startWithHistory(spec) }),
    modify: (m) => Promise.resolve({ algo: engine.modify(m) }),
    cancel: ({ algoId }) => Promise.resolve({ algo: engine.cancel(algoId) }),
    route: async (r) => ({ decision: await router.route(r) }),
    placeRouted: (r) => router.placeRouted(r),
    list: () => Promise.resolve({ algos: engine.list() }),
    onAlgos: (listener) => {
      const d = engine.onAlgo(listener);
      for (const a of [...engine.list()].reverse()) listener(a);
      return d;
    },
  };
}
