// The engine's utility-process bundle: .vite/build/engine.js, forked by main.
import { nodeBundleConfig } from './vite.main.config';

export default nodeBundleConfig('engine.js', 'electron/engine/host/main.ts');
