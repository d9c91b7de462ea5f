import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { AlgoView } from '../../../shared/services/algos';
import type { Refusal, Served } from '../orders';

/** A modify or cancel of an algorithm that the engine refused (shown over the algos grid). */
export interface AlgoNotice {
  /** What was asked: `Cancel A1B2`, `Modify A1B2`. */
  readonly action: string;
  readonly refusal: Refusal;
}

/**
 * The window's algorithms (brackets, icebergs): every one the engine told us of, newest first, and
 * which have a request in flight. An algorithm changes a few times a second at most (conflated at
 * 50 ms by the engine), so it is React state; ticks are not here.
 */
export interface AlgosState {
  readonly served: Served;
  /** Newest first (by `createdAt`, then id, so the order never flickers). */
  readonly rows: readonly AlgoView[];
  /** How many of `rows` are WORKING. */
  readonly workingCount: number;
  /** Algorithm ids with a modify or cancel in flight (their buttons wait). */
  readonly busy: ReadonlySet<string>;
  readonly notice: AlgoNotice | undefined;

  readonly servedChanged: (served: Served) => void;
  /** `algos.list`'s answer: merged, since a streamed update may be newer than the list. */
  readonly listed: (algos: readonly AlgoView[]) => void;
  /** One algorithm from `algos.onAlgos` or from a start/modify/cancel answer. */
  readonly received: (algo: AlgoView) => void;
  readonly busyChanged: (algoId: string, busy: boolean) => void;
  readonly noticed: (notice: AlgoNotice | undefined) => void;
}

export type AlgosStore = StoreApi<AlgosState>;

/** The newer of two views of one algorithm: a later `updatedAt` wins; on a tie, the one just received. */
function newer(known: AlgoView | undefined, incoming: AlgoView): boolean {
  return known === undefined || incoming.updatedAt >= known.updatedAt;
}

/** Newest first; ties break on the id (descending), so equal times keep one order. */
export function compareAlgos(a: AlgoView, b: AlgoView): number {
  if (a.createdAt !== b.createdAt) return b.createdAt - a.createdAt;
  return a.algoId < b.algoId ? 1 : a.algoId > b.algoId ? -1 : 0;
}

/** The algorithm with `algoId`, if the store has it. */
export function selectAlgo(state: AlgosState, algoId: string): AlgoView | undefined {
  return state.rows.find((a) => a.algoId === algoId);
}

/** One store per window; `initial` is a starting value (tests, server rendering). */
export function createAlgosStore(initial: readonly AlgoView[] = []): AlgosStore {
  const byId = new Map<string, AlgoView>();
  for (const a of initial) byId.set(a.algoId, a);
  const sorted = (): Pick<AlgosState, 'rows' | 'workingCount'> => {
    const rows = [...byId.values()].sort(compareAlgos);
    return { rows, workingCount: rows.filter((a) => a.status === 'WORKING').length };
  };

  return createStore<AlgosState>()((set, get) => ({
    served: initial.length > 0 ? 'yes' : 'unknown',
    ...sorted(),
    busy: new Set<string>(),
    notice: undefined,

    servedChanged: (served) => {
      if (get().served !== served) set({ served });
    },
    listed: (algos) => {
      let changed = false;
      for (const a of algos) {
        if (!newer(byId.get(a.algoId), a)) continue;
        byId.set(a.algoId, a);
        changed = true;
      }
      set(changed ? { served: 'yes', ...sorted() } : { served: 'yes' });
    },
    received: (algo) => {
      if (!newer(byId.get(algo.algoId), algo)) return;
      byId.set(algo.algoId, algo);
      set({ served: 'yes', ...sorted() });
    },
    busyChanged: (id, busy) => {
      const now = get().busy;
      if (now.has(id) === busy) return;
      const next = new Set(now);
      if (busy) next.add(id);
      else next.delete(id);
      set({ busy: next });
    },
    noticed: (notice) => {
      set({ notice });
    },
  }));
}
