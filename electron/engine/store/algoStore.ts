/**
 * The engine algorithms' rows (migration 10, `algos`): what the trader asked for, what the algorithm
 * decided beyond its children, and its status. Written before the first child is placed and after
 * every step that changed it; the children themselves are in the order journal (`orders.parent_id`).
 */
import type { Statement } from 'better-sqlite3';
import type { EngineDatabase } from './database';

export interface AlgoRow {
  readonly algoId: string;
  readonly account: string;
  readonly kind: string;
  /** JSON: the contract's AlgoSpec. */
  readonly spec: string;
  /** JSON: the algorithm's saved state. */
  readonly state: string;
  readonly status: string;
  readonly reason: string;
  readonly tradingDate: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

interface Row {
  algo_id: string;
  account: string;
  kind: string;
  spec: string;
  state: string;
  status: string;
  reason: string;
  trading_date: string;
  created_at: number;
  updated_at: number;
}

export class AlgoStore {
  private readonly insertRow: Statement;
  private readonly updateRow: Statement;
  private readonly select: Statement;

  constructor(db: EngineDatabase) {
    const sql = db.sql;
    this.insertRow = sql.prepare(
      `INSERT INTO algos (algo_id, account, kind, spec, state, status, reason, trading_date, created_at, updated_at)
       VALUES (@algoId, @account, @kind, @spec, @state, @status, @reason, @tradingDate, @createdAt, @updatedAt)`,
    );
    this.updateRow = sql.prepare(
      'UPDATE algos SET state = ?, status = ?, reason = ?, updated_at = ? WHERE algo_id = ?',
    );
    this.select = sql.prepare(
      `SELECT * FROM algos WHERE account = ? AND (trading_date >= ? OR status = 'WORKING')
       ORDER BY created_at, algo_id`,
    );
  }

  insert(row: AlgoRow): void {
    this.insertRow.run(row);
  }

  update(algoId: string, state: string, status: string, reason: string, updatedAt: number): void {
    this.updateRow.run(state, status, reason, updatedAt, algoId);
  }

  /** The account's algorithms of `tradingDate` (IST, `YYYY-MM-DD`) and later, and any older one still working. */
  load(account: string, tradingDate: string): AlgoRow[] {
    return (this.select.all(account, tradingDate) as Row[]).map((r) => ({
      algoId: r.algo_id,
      account: r.account,
      kind: r.kind,
      spec: r.spec,
      state: r.state,
      status: r.status,
      reason: r.reason,
      tradingDate: r.trading_date,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}
