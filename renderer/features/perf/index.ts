// The perf probe's public surface. Nothing in the app imports it: `npm run bench:ui` bundles
// pageEntry.ts and installs it as an init script. A window that wants it on `?perf=1` can add one
// line to its entry: `if (perfProbeWanted(location.search)) installPerfProbe(window);`.
export { PERF_GLOBAL, installPerfProbe, perfProbeWanted } from './probeGlobal';
export { startPerfProbe } from './perfProbe';
export type { LongEntry, PerfProbe, PerfReport } from './perfProbe';
export { TickLedger, quotesInFrame, volumeOfText } from './tickLedger';
export type { ArrivedQuote, TickSamples } from './tickLedger';
