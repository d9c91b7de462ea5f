import './toasts.css';
import { useStore } from 'zustand';
import type { ToastState, Toasts } from './toastStore';

const selectToasts = (s: ToastState) => s.toasts;

/**
 * The toasts, stacked in a corner of the dock (above the status bar, clear of the ladder: the dock
 * picks the corner). They never take the focus; each can be dismissed and goes by itself.
 */
export function ToastStack({ toasts }: { readonly toasts: Toasts }) {
  const list = useStore(toasts.store, selectToasts);
  return (
    <div className="toasts" role="region" aria-label="Notifications" data-testid="toasts">
      {list.map((t) => (
        <div
          key={t.id}
          className="toast"
          role={t.kind === 'rejected' ? 'alert' : 'status'}
          data-testid="toast"
          data-kind={t.kind}
          data-side={t.side}
        >
          <div className="toast__body">
            <p className="toast__title">{t.title}</p>
            <p className="toast__detail">{t.detail}</p>
          </div>
          <button
            type="button"
            className="toast__close"
            tabIndex={-1}
            aria-label="Dismiss"
            onClick={() => {
              toasts.dismiss(t.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
