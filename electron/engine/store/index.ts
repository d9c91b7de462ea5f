// The engine's database: its public surface.
export { ENGINE_SYNCHRONOUS, EngineDatabase, openEngineDatabase, StoreError } from './database';
export type {
  AppliedMigration,
  CheckpointMode,
  DatabaseSettings,
  EngineDatabaseOptions,
  StoreErrorCode,
  Synchronous,
} from './database';
export { ENGINE_MIGRATIONS } from './migrations';
export type { Migration } from './migrations';
