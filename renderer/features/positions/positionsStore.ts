import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Product } from '../../../shared/services/orders';
import type { Served } from '../orders';

/** What React knows of a position: which row it is and whether it is open. Its numbers are not here. */
export interface PositionRow {
  readonly key: string;
  readonly instrumentToken: number;
  readonly exchange: string;
  readonly tradingsymbol: string;
  readonly product: Product;
  /** Net quantity not zero: it can be exited. */
  readonly open: boolean;
}

/**
 * The positions grid's rows: open positions first, then closed ones (the day's realized P&L stays
 * in view), each group by symbol. Changes when a position appears, opens or closes (a fill), never on
 * a price: the numbers go from the stream to the cells (positionsFeed), bypassing React.
 */
export interface PositionsState {
  readonly served: Served;
  readonly rows: readonly PositionRow[];
  readonly servedChanged: (served: Served) => void;
  /** Sets a row (added, or its open flag changed); a row identical to the one known changes nothing. */
  readonly rowSeen: (row: PositionRow) => void;
}

export type PositionsStore = StoreApi<PositionsState>;

function compareRows(a: PositionRow, b: PositionRow): number {
  if (a.open !== b.open) return a.open ? -1 : 1;
  if (a.tradingsymbol !== b.tradingsymbol) return a.tradingsymbol < b.tradingsymbol ? -1 : 1;
  return a.product < b.product ? -1 : a.product > b.product ? 1 : 0;
}

export function createPositionsStore(initial: readonly PositionRow[] = []): PositionsStore {
  const byKey = new Map(initial.map((r) => [r.key, r]));
  const sorted = () => [...byKey.values()].sort(compareRows);
  return createStore<PositionsState>()((set, get) => ({
    served: initial.length > 0 ? 'yes' : 'unknown',
    rows: sorted(),
    servedChanged: (served) => {
      if (get().served !== served) set({ served });
    },
    rowSeen: (row) => {
      const known = byKey.get(row.key);
      if (known?.open === row.open && known.tradingsymbol === row.tradingsymbol) {
        if (get().served !== 'yes') set({ served: 'yes' });
        return;
      }
      byKey.set(row.key, row);
      set({ rows: sorted(), served: 'yes' });
    },
  }));
}
