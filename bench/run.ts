// `npm run bench`: each figure next to a baseline measured in the same run, so ratios hold on a
// shared, noisy machine. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RpcClient, toService } from '../shared/rpc/client';
import { parseClientFrame } from '../shared/rpc/frames';
import { fromService, serveConnection } from '../shared/rpc/server';
import { createEchoService, echoService } from '../shared/rpc/testService';
import { createMemoryPortPair } from '../shared/rpc/transports/memory';

interface Row {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baselineName: string;
  readonly baseline: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Round-trip latency (p50, p99 in microseconds) of `n` sequential calls of `call`. */
async function roundTrips(call: () => Promise<unknown>, n: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 500; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Nanoseconds per call of a synchronous function. */
function perCall(fn: () => unknown, n: number): number {
  for (let i = 0; i < 10_000; i++) fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t) / n;
}

async function main(): Promise<void> {
  const rows: Row[] = [];

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
    name: 'rpc request round trip p50',
    unit: 'us',
    value: rpc.p50,
    baselineName: 'raw JSON echo p50',
    baseline: raw.p50,
  });
  rows.push({
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
    name: 'parse + validate one frame',
    unit: 'ns',
    value: validated,
    baselineName: 'JSON.parse',
    baseline: parsed,
  });

  console.log('| figure | value | baseline | ratio |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.baselineName}: ${r.baseline.toFixed(2)} ${r.unit} | ${(r.value / r.baseline).toFixed(2)}x |`,
    );
  }
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'latest.json'),
    JSON.stringify({ at: new Date().toISOString(), node: process.versions.node, rows }, null, 2),
  );
  process.exit(0);
}

void main();
