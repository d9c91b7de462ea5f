import { createPort } from '../port';
import type { Port } from '../port';
import { realTimers } from '../timers';

/**
 * Two connected Ports in one process, for tests. Delivery is asynchronous (a microtask), as on a
 * real transport. A 'json' pair carries the exact text a WebSocket would; a 'structured' pair
 * carries objects, copied through JSON so neither side shares references with the other.
 */
export function createMemoryPortPair(encoding: Port['encoding'] = 'json'): [Port, Port] {
  const copy = (data: unknown): unknown =>
    encoding === 'json' || data === undefined ? data : (JSON.parse(JSON.stringify(data)) as unknown);
  let closed = false;
  const closeBoth = (reason: string): void => {
    if (closed) return;
    closed = true;
    realTimers.queueMicrotask(() => {
      a.closed(reason);
      b.closed(reason);
    });
  };
  const a = createPort(
    encoding,
    (data) => {
      const copied = copy(data);
      realTimers.queueMicrotask(() => {
        b.deliver(copied);
      });
    },
    closeBoth,
  );
  const b = createPort(
    encoding,
    (data) => {
      const copied = copy(data);
      realTimers.queueMicrotask(() => {
        a.deliver(copied);
      });
    },
    closeBoth,
  );
  return [a.port, b.port];
}
