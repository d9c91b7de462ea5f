import './risk.css';
import type { RiskStatus } from '../../../shared/services/risk';
import { formatPnl, formatRupees } from '../market';
import { useRisk } from './riskContext';
import { KillSwitchButton, ResumeButton } from './RiskButtons';
import type { RiskState } from './riskStore';

const selectStatus = (s: RiskState) => s.status;
const selectServed = (s: RiskState) => s.served;
const selectProblem = (s: RiskState) => s.problem;

/** The trading state's tooltip: why, the day's P&L against its limit, order counts against Kite's. */
export function riskTitle(s: RiskStatus): string {
  const lines = [
    s.state === 'ACTIVE' ? 'Trading: ACTIVE' : `Trading: ${s.state} — ${s.reason}`,
    `Day net ${formatPnl(s.dayNetPaise)}${s.dailyLossLimitPaise > 0 ? ` (loss limit ${formatRupees(s.dailyLossLimitPaise)})` : ''}`,
    `Open orders ${s.openOrders} · sent ${s.ordersLastSecond}/s of 10, ${s.ordersLastMinute}/min of 400, ${s.ordersToday} today of 5000`,
  ];
  return lines.join('\n');
}

export interface RiskStatusItemProps {
  /** Asks yes/no (window.confirm in the window; injected in tests). */
  readonly confirm: (question: string) => boolean;
}

/**
 * The trading state in the top bar, always in view: ACTIVE / REDUCING / HALTED, and the kill switch
 * (asks first), or Resume when halted. Nothing when the engine has no risk service.
 */
export function RiskStatusItem({ confirm }: RiskStatusItemProps) {
  const status = useRisk(selectStatus);
  const served = useRisk(selectServed);
  const problem = useRisk(selectProblem);
  if (served === 'no') return null;
  const state = status?.state ?? 'unknown';
  return (
    <div className="risk" data-testid="risk" data-state={state}>
      <span
        className="risk__state"
        data-testid="risk-state"
        title={status === undefined ? 'Trading state: not known yet' : riskTitle(status)}
      >
        {status === undefined ? '—' : status.state}
      </span>
      {status !== undefined && status.state !== 'ACTIVE' && status.reason !== '' ? (
        <span className="risk__reason">{status.reason}</span>
      ) : null}
      {problem === undefined ? null : (
        <span className="risk__problem" role="alert" title={problem.message}>
          {problem.message}
        </span>
      )}
      {state === 'HALTED' ? (
        <ResumeButton testId="risk-resume" className="risk__resume" />
      ) : (
        <KillSwitchButton testId="kill-switch" className="risk__kill" confirm={confirm} />
      )}
    </div>
  );
}
