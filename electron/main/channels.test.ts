// The preload may not import main, so it keeps copies of a few strings until they move to
// shared/electronBridge.ts. This keeps the copies honest.
import { describe, expect, it } from 'vitest';
import * as preload from '../preload/preloadApi';
import { PRELOAD_NAME_ARG, PRELOAD_VERSION_ARG } from './args';
import { IPC_PROCESS_STATUS, PROCESS_STATUS_MESSAGE } from './processStatus';

describe('strings shared by main and the preload', () => {
  it('agree', () => {
    expect(preload.IPC_PROCESS_STATUS).toBe(IPC_PROCESS_STATUS);
    expect(preload.PROCESS_STATUS_MESSAGE).toBe(PROCESS_STATUS_MESSAGE);
    expect(preload.PRELOAD_NAME_ARG).toBe(PRELOAD_NAME_ARG);
    expect(preload.PRELOAD_VERSION_ARG).toBe(PRELOAD_VERSION_ARG);
  });
});
