// The preload of every window. Sandboxed: bundled to one CommonJS file whose only require is
// `electron` (contextBridge, ipcRenderer).
import { contextBridge, ipcRenderer } from 'electron';
import { exposePreloadApi } from './preloadApi';

exposePreloadApi(contextBridge, ipcRenderer, window, process);
