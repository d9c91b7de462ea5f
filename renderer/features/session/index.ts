// The session feature's public surface: the broker session and feed state, and its status-bar item.
export { createSessionStore } from './sessionStore';
export type { SessionStore, SessionStoreState } from './sessionStore';
export { startSessionBridge } from './sessionBridge';
export { SessionStoreContext } from './sessionContext';
export { SessionStatus } from './SessionStatus';
export { useSession } from './sessionContext';
export { ModeSwitch, modeSwitchWarning } from './ModeSwitch';
export type { ModeSwitchProps } from './ModeSwitch';
