/**
 * The Kite Connect v3 protocol layer of the local exchange: REST, login, KiteTicker WebSocket and
 * the simulator's admin API, in front of any `KiteVenue`. The rest of electron/sim reaches it
 * through this file.
 */
export { KiteServer, randomToken, ADMIN_PREFIX, ADMIN_SECRET_HEADER } from './server';
export type { KiteServerOptions } from './server';
export type * from './venue';
export { ok, fail } from './venue';
export { formatCandleTime, parseIstDateTime } from './time';
export { kiteChecksum, SIM_USER } from './session';
export type { KiteUser } from './session';
export { seededRandom } from './faults';
export type { FaultConfig, LoseAcksOptions } from './faults';
