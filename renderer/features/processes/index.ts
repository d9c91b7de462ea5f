// The supervised-processes feature's public surface: what main says about its child processes
// (the engine, the local exchange), the store that keeps it, and the status-bar items that show it.
export { startProcessStatusBridge } from './processStatusBridge';
export { createProcessStore } from './processStore';
export type { ProcessRecord, ProcessState, ProcessStore } from './processStore';
export { ProcessStoreContext } from './processContext';
export { ProcessStatus, ProcessStatusItems } from './ProcessStatusItems';
