// The local exchange's utility-process bundle: .vite/build/sim.js, forked by main in sim mode.
import { nodeBundleConfig } from './vite.main.config';

export default nodeBundleConfig('sim.js', 'electron/sim/host/main.ts');
