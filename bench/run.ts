// `npm run bench [-- suite ...]`: runs the suites (all by default), prints one table and writes
// bench/results/latest.json. Each figure sits next to a baseline measured in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchRow } from './measure';
import { matchingSuite } from './suites/matching';
import { nativeSuite } from './suites/native';
import { rpcSuite } from './suites/rpc';
import { ticksSuite } from './suites/ticks';

/** Every suite, by name. A new area adds its file under suites/ and one line here. */
const SUITES: Readonly<Record<string, () => Promise<BenchRow[]>>> = {
  native: nativeSuite,
  rpc: rpcSuite,
  matching: matchingSuite,
  ticks: ticksSuite,
  instruments: async () => (await import('./suites/instruments')).instrumentsSuite(),
  risk: async () => (await import('./suites/risk')).riskSuite(),
  oms: async () => (await import('./suites/oms')).omsSuite(),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in SUITES));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const rows: BenchRow[] = [];
  for (const [name, suite] of Object.entries(SUITES)) {
    if (wanted.length === 0 || wanted.includes(name)) rows.push(...(await suite()));
  }
  console.log('| suite | figure | value | baseline | ratio | budget |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const budget = r.budget === undefined ? '' : `${r.budget}: ${r.withinBudget === true ? 'met' : 'MISSED'}`;
    console.log(
      `| ${r.suite} | ${r.name} | ${r.value.toFixed(2)} ${r.unit} | ${r.baselineName}: ${r.baseline.toFixed(2)} ${r.unit} | ${(r.value / r.baseline).toFixed(2)}x | ${budget} |`,
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
