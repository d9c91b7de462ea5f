import { describe, expect, it } from 'vitest';
import { createAlgosStore, selectAlgo } from './algosStore';
import { algoViewOf } from './fakeAlgos';

describe('the algos store', () => {
  it('starts unknown when empty, served when given algorithms', () => {
    expect(createAlgosStore().getState().served).toBe('unknown');
    expect(createAlgosStore([algoViewOf('A1')]).getState().served).toBe('yes');
  });

  it('keeps one view per algorithm, newest first, and counts the working ones', () => {
    const store = createAlgosStore();
    store.getState().received(algoViewOf('A1', { createdAt: 1, updatedAt: 1 }));
    store.getState().received(algoViewOf('A2', { createdAt: 3, updatedAt: 3 }));
    store.getState().received(algoViewOf('A3', { createdAt: 2, updatedAt: 4, status: 'COMPLETED' }));
    expect(store.getState().rows.map((a) => a.algoId)).toEqual(['A2', 'A3', 'A1']);
    expect(store.getState().workingCount).toBe(2);
    store.getState().received(algoViewOf('A1', { createdAt: 1, updatedAt: 5, status: 'CANCELLED' }));
    expect(store.getState().rows).toHaveLength(3);
    expect(store.getState().workingCount).toBe(1);
    expect(selectAlgo(store.getState(), 'A1')?.status).toBe('CANCELLED');
    expect(selectAlgo(store.getState(), 'nope')).toBeUndefined();
  });

  it('keeps the newer of two views (by updatedAt; a tie goes to the one just received)', () => {
    const store = createAlgosStore();
    store.getState().received(algoViewOf('A1', { updatedAt: 10, status: 'CANCELLED' }));
    store.getState().received(algoViewOf('A1', { updatedAt: 5, status: 'WORKING' }));
    expect(store.getState().rows[0]?.status).toBe('CANCELLED');
    // The list is merged the same way: a streamed update newer than the list wins.
    store.getState().listed([algoViewOf('A1', { updatedAt: 9 }), algoViewOf('A2', { updatedAt: 1 })]);
    expect(store.getState().rows.map((a) => [a.algoId, a.status])).toEqual([
      ['A2', 'WORKING'],
      ['A1', 'CANCELLED'],
    ]);
    store.getState().received(algoViewOf('A1', { updatedAt: 10, status: 'FAILED' }));
    expect(selectAlgo(store.getState(), 'A1')?.status).toBe('FAILED');
  });

  it('ties on time break on the id, so the order never flickers', () => {
    const store = createAlgosStore([algoViewOf('A1', { createdAt: 1 }), algoViewOf('A2', { createdAt: 1 })]);
    expect(store.getState().rows.map((a) => a.algoId)).toEqual(['A2', 'A1']);
  });

  it('marks busy algorithms and keeps the last refused request', () => {
    const store = createAlgosStore();
    const before = store.getState().busy;
    store.getState().busyChanged('A1', false);
    expect(store.getState().busy).toBe(before);
    store.getState().busyChanged('A1', true);
    expect(store.getState().busy.has('A1')).toBe(true);
    store.getState().busyChanged('A1', false);
    expect(store.getState().busy.has('A1')).toBe(false);
    const refusal = { code: 'ALGO_ENDED', message: 'ended', suggestion: '', uncertain: false };
    store.getState().noticed({ action: 'Cancel A1', refusal });
    expect(store.getState().notice).toEqual({ action: 'Cancel A1', refusal });
    store.getState().servedChanged('no');
    expect(store.getState().served).toBe('no');
  });
});
