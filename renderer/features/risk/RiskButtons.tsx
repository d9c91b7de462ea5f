import { useRisk, useRiskHandle } from './riskContext';
import type { RiskState } from './riskStore';

const selectStatusKnown = (s: RiskState) => s.status !== undefined;
const selectBusy = (s: RiskState) => s.busy;

/** The question asked before the kill switch. */
export const KILL_SWITCH_QUESTION =
  'Kill switch: halt all trading and cancel every working order? New orders are refused until you resume.';

interface RiskButtonProps {
  readonly testId: string;
  /** Classes beside `btn` (the place's own layout). */
  readonly className?: string;
}

/**
 * The kill switch: asks first, then halts trading and cancels every working order. Disabled while
 * a risk call is in flight or before the engine has said what state it is in.
 */
export function KillSwitchButton({
  testId,
  className = '',
  confirm,
}: RiskButtonProps & { readonly confirm: (question: string) => boolean }) {
  const { actions } = useRiskHandle();
  const known = useRisk(selectStatusKnown);
  const busy = useRisk(selectBusy);
  return (
    <button
      type="button"
      className={`btn btn--danger ${className}`.trim()}
      data-testid={testId}
      disabled={busy || !known}
      title="Halt trading and cancel every working order"
      onClick={() => {
        if (confirm(KILL_SWITCH_QUESTION)) void actions.killSwitch();
      }}
    >
      Kill switch
    </button>
  );
}

/** Resume: back to ACTIVE from HALTED or REDUCING. */
export function ResumeButton({ testId, className = '' }: RiskButtonProps) {
  const { actions } = useRiskHandle();
  const busy = useRisk(selectBusy);
  return (
    <button
      type="button"
      className={`btn ${className}`.trim()}
      data-testid={testId}
      disabled={busy}
      onClick={() => {
        void actions.reset();
      }}
    >
      Resume
    </button>
  );
}
