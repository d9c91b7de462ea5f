// The toasts feature's public surface: the toast stack (fills and rejections) and its feed.
export { MAX_TOASTS, TOAST_MS, createToasts } from './toastStore';
export type { Toast, ToastState, ToastStore, ToastTimers, Toasts } from './toastStore';
export { startToastFeed } from './toastFeed';
export { ToastsContext, useToasts } from './toastsContext';
export { ToastStack } from './ToastStack';
