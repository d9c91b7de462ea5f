/** The contract's `algos` service over the algorithm engine (shared/services/algos.ts). */
import type { ServiceOf } from '../../../shared/rpc/service';
import type { algosService } from '../../../shared/services/algos';
import type { AlgoEngine } from './algoEngine';

/** The `algos` service. The stream opens with the list (oldest first), then follows changes. */
export function createAlgosService(engine: AlgoEngine): ServiceOf<typeof algosService> {
  return {
    start: async (spec) => ({ algo: await engine.startWithHistory(spec) }),
    modify: (m) => Promise.resolve({ algo: engine.modify(m) }),
    cancel: ({ algoId }) => Promise.resolve({ algo: engine.cancel(algoId) }),
    list: () => Promise.resolve({ algos: engine.list() }),
    onAlgos: (listener) => {
      const d = engine.onAlgo(listener);
      for (const a of [...engine.list()].reverse()) listener(a);
      return d;
    },
  };
}
