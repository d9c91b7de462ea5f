import { useOrderActions, useOrders } from './ordersContext';
import type { OrdersState } from './ordersStore';

const selectReconciliation = (s: OrdersState) => s.reconciliation;

/**
 * One clear line while the journal and the broker do not agree yet (new orders are refused): while
 * reconciling, or the issues it could not explain, each with an Accept button. Nothing when ok.
 */
export function ReconciliationNotice() {
  const reconciliation = useOrders(selectReconciliation);
  const actions = useOrderActions();
  if (reconciliation === undefined || reconciliation.state === 'ok') return null;
  const { state, issues } = reconciliation;
  return (
    <div className="recon" data-testid="reconciliation" data-state={state} role="status">
      {state === 'reconciling' ? (
        <p className="recon__line">Reconciling with the broker… new orders wait until it is done.</p>
      ) : state === 'offline' ? (
        <p className="recon__line">Not reconciled with the broker (no session): new orders are refused.</p>
      ) : (
        <>
          <p className="recon__line">
            Reconciliation found {issues.length === 1 ? 'an issue' : `${issues.length} issues`} it cannot
            explain. New orders are refused until you accept the broker’s view.
          </p>
          <ul className="recon__issues">
            {issues.map((issue) => (
              <li key={issue.id} className="recon__issue" data-testid="reconciliation-issue">
                <span className="recon__message" title={issue.message}>
                  {issue.message}
                </span>
                <button
                  type="button"
                  className="recon__accept"
                  data-testid="reconciliation-accept"
                  onClick={() => {
                    void actions.acceptIssue(issue.id);
                  }}
                >
                  Accept
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
