// The RPC layer: request round trip and frame validation, each beside a same-run baseline.
import { RpcClient, toService } from '../../shared/rpc/client';
import { parseClientFrame } from '../../shared/rpc/frames';
import { fromService, serveConnection } from '../../shared/rpc/server';
import { createEchoService, echoService } from '../../shared/rpc/testService';
import { createMemoryPortPair } from '../../shared/rpc/transports/memory';
import { perCall, roundTrips } from '../measure';
import type { BenchRow } from '../measure';

export async function rpcSuite(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // Request round trip through the whole RPC layer vs the same pair echoing raw JSON text.
  const [clientPort, serverPort] = createMemoryPortPair('json');
  serveConnection(serverPort, [fromService(echoService, createEchoService())]);
  const echo = toService(new RpcClient(clientPort), echoService);
  const rpc = await roundTrips(() => echo.add({ a: 1, b: 2 }), 20_000);

  const [rawA, rawB] = createMemoryPortPair('json');
  rawB.onMessage((d) => {
    const f = JSON.parse(d as string) as { id: number };
    rawB.send(JSON.stringify({ id: f.id, result: 3 }));
  });
  let resolveRaw: (() => void) | undefined;
  rawA.onMessage((d) => {
    JSON.parse(d as string);
    resolveRaw?.();
  });
  let rawId = 0;
  const raw = await roundTrips(
    () =>
      new Promise<void>((resolve) => {
        resolveRaw = resolve;
        rawA.send(JSON.stringify({ id: ++rawId, a: 1, b: 2 }));
      }),
    20_000,
  );
  rows.push({
    suite: 'rpc',
    name: 'rpc request round trip p50',
    unit: 'us',
    value: rpc.p50,
    baselineName: 'raw JSON echo p50',
    baseline: raw.p50,
  });
  rows.push({
    suite: 'rpc',
    name: 'rpc request round trip p99',
    unit: 'us',
    value: rpc.p99,
    baselineName: 'raw JSON echo p99',
    baseline: raw.p99,
  });

  // Validating an inbound frame vs parsing it.
  const text = JSON.stringify({ type: 'request', id: 12345, method: 'orders.place', params: { qty: 1 } });
  const validated = perCall(() => parseClientFrame(text), 200_000);
  const parsed = perCall(() => JSON.parse(text), 200_000);
  rows.push({
    suite: 'rpc',
    name: 'parse + validate one frame',
    unit: 'ns',
    value: validated,
    baselineName: 'JSON.parse',
    baseline: parsed,
  });

  return rows;
}
