// The exchange's state across restarts (`--state FILE`): a command journal in SQLite, replayed on open.
export { JournaledExchange, copyOrder, openExchangeState, peekStateLastTime } from './journaledExchange';
export type { EventListener, ExchangeStateOptions, JournalKind, JsonValue } from './journaledExchange';
export { ExchangeStateError, MIGRATIONS, SCHEMA_VERSION, openStateDatabase } from './schema';
export type { ExchangeStateErrorCode, Synchronous } from './schema';
