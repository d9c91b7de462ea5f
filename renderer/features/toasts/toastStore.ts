import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';

/** A short notice in the corner: a fill, or an order the exchange or engine rejected. */
export interface Toast {
  readonly id: number;
  readonly kind: 'fill' | 'rejected';
  readonly side: 'BUY' | 'SELL';
  readonly title: string;
  /** The rejection's reason, or the fill's order id. */
  readonly detail: string;
}

export interface ToastState {
  /** Oldest first (the newest is drawn nearest the corner). */
  readonly toasts: readonly Toast[];
}

export type ToastStore = StoreApi<ToastState>;

/** The window's timers (tests pass fakes). */
export interface ToastTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** How long each kind stays: a rejection longer, its reason needs reading. */
export const TOAST_MS: Readonly<Record<Toast['kind'], number>> = { fill: 4_000, rejected: 9_000 };
/** At most this many at once; a new one pushes the oldest out. */
export const MAX_TOASTS = 4;

export interface Toasts {
  readonly store: ToastStore;
  show(toast: Omit<Toast, 'id'>): void;
  dismiss(id: number): void;
  dispose(): void;
}

/** The toast stack: each toast goes by itself after its time, or when dismissed, or when pushed out. */
export function createToasts(timers: ToastTimers): Toasts {
  const store = createStore<ToastState>()(() => ({ toasts: [] }));
  const pending = new Map<number, unknown>();
  let seq = 0;
  const dismiss = (id: number): void => {
    const timer = pending.get(id);
    if (timer !== undefined) timers.clearTimeout(timer);
    pending.delete(id);
    const toasts = store.getState().toasts;
    if (toasts.some((t) => t.id === id)) store.setState({ toasts: toasts.filter((t) => t.id !== id) });
  };
  return {
    store,
    show(toast) {
      const id = ++seq;
      const next = [...store.getState().toasts, { ...toast, id }];
      const dropped = next.slice(0, Math.max(0, next.length - MAX_TOASTS));
      store.setState({ toasts: next.slice(-MAX_TOASTS) });
      for (const d of dropped) {
        const timer = pending.get(d.id);
        if (timer !== undefined) timers.clearTimeout(timer);
        pending.delete(d.id);
      }
      pending.set(
        id,
        timers.setTimeout(() => {
          dismiss(id);
        }, TOAST_MS[toast.kind]),
      );
    },
    dismiss,
    dispose() {
      for (const timer of pending.values()) timers.clearTimeout(timer);
      pending.clear();
    },
  };
}
