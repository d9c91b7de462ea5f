import { describe, expect, it } from 'vitest';
import { SlabPool } from '../../../native/slabPool';
import { SpscRing } from '../../../native/spscRing';
import { RpcClient, toService } from '../../../shared/rpc/client';
import { createMemoryPortPair } from '../../../shared/rpc/transports/memory';
import { MemorySnapshotSchema, systemService } from '../../../shared/services/system';
import { Engine } from '../engine';

describe('system.memory', () => {
  it("serves one snapshot of the engine's registered pools and rings", async () => {
    const engine = new Engine({
      mode: 'sim',
      version: '0.0.0',
      host: 'in-process',
      now: () => 1_700_000_000_000,
    });
    const [clientPort, enginePort] = createMemoryPortPair('structured');
    engine.connect(enginePort, 'test');
    const system = toService(new RpcClient(clientPort), systemService);
    await expect(system.memory()).resolves.toEqual({ at: 1_700_000_000_000, structures: [], totalBytes: 0 });

    const ring = SpscRing.create({ capacity: 8, recordBytes: 8, overflow: 'refuse' });
    const pool = SlabPool.create({ price: 'i32' }, 16);
    engine.memory.register('ticks', ring);
    engine.memory.register('orders', pool);
    ring.pushF64(new Float64Array([1]));
    pool.acquire();
    const snapshot = await system.memory();
    expect(MemorySnapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot.structures).toEqual([
      expect.objectContaining({ name: 'orders', kind: 'pool', capacity: 16, used: 1 }),
      expect.objectContaining({ name: 'ticks', kind: 'ring', capacity: 8, used: 1, highWater: 1 }),
    ]);
    expect(snapshot.totalBytes).toBe(ring.buffer.byteLength + pool.buffer.byteLength);
    engine.dispose();
  });
});
