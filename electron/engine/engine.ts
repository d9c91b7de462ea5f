import { DisposableStore } from '../../shared/disposable';
import type { Disposable } from '../../shared/disposable';
import { MemoryRegistry } from '../../native/memoryStats';
import type { Port } from '../../shared/rpc/port';
import { fromService, serveConnection } from '../../shared/rpc/server';
import type { ServiceChannel } from '../../shared/rpc/server';
import { settingsService } from '../../shared/services/settings';
import { systemService } from '../../shared/services/system';
import type { SystemInfo, TradingMode } from '../../shared/services/system';
import { createSettingsService } from './settings/settingsService';
import { createSystemService } from './system/systemService';

export interface EngineOptions {
  readonly mode: TradingMode;
  readonly version: string;
  readonly host: SystemInfo['host'];
  readonly now?: () => number;
  /** Told about every unreadable frame a client sends. */
  readonly log?: (line: string) => void;
}

/**
 * The trading engine: its services and the connections it serves. Knows nothing of how it is hosted;
 * a host hands it one Port per client (a window, a script).
 */
export class Engine implements Disposable {
  private readonly store = new DisposableStore();
  private readonly channels: readonly ServiceChannel[];
  private readonly connections = new Set<Port>();
  private readonly log: (line: string) => void;
  /** The engine's native memory structures; whatever creates a pool or ring registers it here. */
  readonly memory = new MemoryRegistry();

  constructor(options: EngineOptions) {
    const now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
    const info: SystemInfo = {
      name: 'ShrivenQ',
      version: options.version,
      mode: options.mode,
      startedAt: now(),
      pid: process.pid,
      node: process.versions.node,
      host: options.host,
    };
    const system = this.store.add(
      createSystemService({
        info,
        now,
        connections: () => this.connections.size,
        memory: () => {
          const snapshot = this.memory.snapshot(now);
          return { ...snapshot, structures: [...snapshot.structures] };
        },
      }),
    );
    this.channels = [
      fromService(systemService, system),
      fromService(settingsService, createSettingsService()),
    ];
  }

  /** Serves the engine's services on `port` until it closes. */
  connect(port: Port, client: string): void {
    if (this.store.isDisposed) {
      port.close('engine stopping');
      return;
    }
    this.connections.add(port);
    const served = serveConnection(port, this.channels, {
      onBadFrame: (error) => {
        this.log(`refused a frame from ${client}: ${error.code} ${error.message}`);
      },
    });
    port.onClose(() => {
      this.connections.delete(port);
      served.dispose();
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  dispose(): void {
    for (const port of [...this.connections]) port.close('engine stopping');
    this.store.dispose();
  }
}
