// The login feature's public surface: the Kite login panel and the bridge it runs over.
export { KiteLoginPanel } from './KiteLoginPanel';
export type { KiteLoginPanelProps } from './KiteLoginPanel';
export { kiteLoginBridgeFor } from './kiteLoginBridge';
export type { KiteLoginBridge, LoginWindowLike } from './kiteLoginBridge';
export { showLoginButton } from './kiteLogin';
export type { LoginSession } from './kiteLogin';
