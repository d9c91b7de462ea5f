import './riskPanel.css';
import { useState } from 'react';
import type { SyntheticEvent } from 'react';
import { formatPnl } from '../market';
import { useRisk, useRiskHandle } from './riskContext';
import type { RiskState } from './riskStore';
import { KillSwitchButton, ResumeButton } from './RiskButtons';
import { LIMIT_FIELDS, limitForm, readLimitForm, riskUsage } from './riskView';
import type { LimitForm, LimitKey } from './riskView';

const selectStatus = (s: RiskState) => s.status;
const selectLimits = (s: RiskState) => s.limits;
const selectServed = (s: RiskState) => s.served;
const selectBusy = (s: RiskState) => s.busy;
const selectProblem = (s: RiskState) => s.problem;

export interface RiskPanelProps {
  /** Asks yes/no (window.confirm in the window; injected in tests). */
  readonly confirm: (question: string) => boolean;
}

/**
 * The risk panel: the trading state with the kill switch, reduce-only and resume; how much of each
 * limit is used (open orders, the day's loss, Kite's order rates); and the limits, editable.
 */
export function RiskPanel({ confirm }: RiskPanelProps) {
  const { actions } = useRiskHandle();
  const status = useRisk(selectStatus);
  const limits = useRisk(selectLimits);
  const served = useRisk(selectServed);
  const busy = useRisk(selectBusy);
  const problem = useRisk(selectProblem);
  const [draft, setDraft] = useState<LimitForm | undefined>(undefined);
  const [formError, setFormError] = useState<{ key: LimitKey; message: string } | undefined>(undefined);

  if (served === 'no') {
    return (
      <section className="panel risk-panel" data-testid="risk-panel" aria-labelledby="risk-panel-title">
        <header className="panel__head">
          <h2 className="panel__title" id="risk-panel-title">
            Risk
          </h2>
        </header>
        <p className="grid-empty">This engine has no risk service.</p>
      </section>
    );
  }

  const shown = draft ?? (limits === undefined ? undefined : limitForm(limits));
  const state = status?.state ?? 'unknown';
  const onSubmit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (limits === undefined || draft === undefined) return;
    const read = readLimitForm(draft, limits);
    if (!read.ok) {
      setFormError({ key: read.key, message: read.message });
      return;
    }
    setFormError(undefined);
    if (Object.keys(read.patch).length === 0) {
      setDraft(undefined);
      return;
    }
    void actions.setLimits(read.patch).then((ok) => {
      if (ok) setDraft(undefined);
    });
  };

  return (
    <section
      className="panel risk-panel"
      data-testid="risk-panel"
      data-state={state}
      aria-labelledby="risk-panel-title"
    >
      <header className="panel__head">
        <h2 className="panel__title" id="risk-panel-title">
          Risk
        </h2>
        <span className="rp-state" data-testid="risk-panel-state">
          {status?.state ?? '—'}
        </span>
      </header>
      <div className="rp-body">
        <div className="rp-controls">
          <span className="rp-reason" title={status?.reason ?? ''}>
            {status === undefined
              ? 'Waiting for the engine…'
              : status.state === 'ACTIVE'
                ? `Day net ${formatPnl(status.dayNetPaise)}`
                : status.reason}
          </span>
          {state === 'ACTIVE' ? (
            <button
              type="button"
              className="btn"
              data-testid="risk-reduce-only"
              disabled={busy || status === undefined}
              title="Only orders that shrink a position"
              onClick={() => {
                void actions.reduceOnly();
              }}
            >
              Reduce only
            </button>
          ) : null}
          {state === 'HALTED' || state === 'REDUCING' ? <ResumeButton testId="risk-panel-resume" /> : null}
          {state !== 'HALTED' ? <KillSwitchButton testId="risk-panel-kill" confirm={confirm} /> : null}
        </div>
        {problem === undefined ? null : (
          <p className="rp-problem" role="alert">
            {problem.message}
          </p>
        )}
        <ul className="rp-usage" aria-label="Limits used">
          {status === undefined
            ? null
            : riskUsage(status, limits).map((b) => (
                <li key={b.id} className="rp-bar" data-testid={`risk-usage-${b.id}`} data-level={b.level}>
                  <span className="rp-bar__label">{b.label}</span>
                  <span className="num rp-bar__text">{b.text}</span>
                  <span
                    className="rp-bar__track"
                    role="meter"
                    aria-label={b.label}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.round(b.fraction * 100)}
                  >
                    <span
                      className="rp-bar__fill"
                      style={{ transform: `scaleX(${b.fraction.toFixed(3)})` }}
                    />
                  </span>
                </li>
              ))}
        </ul>
        {shown === undefined ? (
          <p className="rp-note">Limits: not known yet.</p>
        ) : (
          <form className="rp-limits" aria-label="Limits" onSubmit={onSubmit}>
            {LIMIT_FIELDS.map((f) => (
              <label key={f.key} className="rp-limit" data-invalid={formError?.key === f.key}>
                <span className="rp-limit__label">{f.label}</span>
                <input
                  className="num rp-limit__input"
                  data-testid={`risk-limit-${f.key}`}
                  inputMode="decimal"
                  spellCheck={false}
                  placeholder={f.optional ? 'no limit' : ''}
                  value={shown[f.key]}
                  aria-invalid={formError?.key === f.key}
                  onChange={(e) => {
                    setDraft({ ...shown, [f.key]: e.target.value });
                    setFormError(undefined);
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape' && draft !== undefined) {
                      e.preventDefault();
                      setDraft(undefined);
                      setFormError(undefined);
                    }
                  }}
                />
              </label>
            ))}
            <div className="rp-limits__actions">
              <span className="rp-limits__error" role={formError === undefined ? undefined : 'alert'}>
                {formError?.message ?? ''}
              </span>
              <button
                type="button"
                className="btn"
                disabled={draft === undefined}
                onClick={() => {
                  setDraft(undefined);
                  setFormError(undefined);
                }}
              >
                Revert
              </button>
              <button
                type="submit"
                className="btn"
                data-testid="risk-limits-save"
                disabled={draft === undefined || busy}
              >
                Save limits
              </button>
            </div>
          </form>
        )}
      </div>
    </section>
  );
}
