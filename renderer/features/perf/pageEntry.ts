// The probe as an init script: `npm run bench:ui` bundles this file (an IIFE) and adds it to the page
// before the page's own scripts, so the probe's WebSocket subclass is the one the app constructs.
// Not exported from index.ts: importing it installs the probe.
import { installPerfProbe } from './probeGlobal';

installPerfProbe(window);
