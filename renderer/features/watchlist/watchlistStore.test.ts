import { describe, expect, it } from 'vitest';
import { instrument } from '../market/fakeMarket';
import { commandForKey, keyOf } from './watchlistCommands';
import { createWatchlistStore, selectSelectedInstrument } from './watchlistStore';

const infy = instrument(408065, 'INFY');
const tcs = instrument(2953217, 'TCS');
const sbin = instrument(779521, 'SBIN');
const symbols = (s: { instruments: readonly { tradingsymbol: string }[] }) =>
  s.instruments.map((i) => i.tradingsymbol);

describe('watchlist store', () => {
  it('adds at the end and selects, once per instrument', () => {
    const store = createWatchlistStore();
    expect(store.getState().initialized).toBe(false);
    store.getState().add(infy);
    store.getState().add(tcs);
    store.getState().add(infy);
    expect(symbols(store.getState())).toEqual(['INFY', 'TCS']);
    expect(selectSelectedInstrument(store.getState())?.tradingsymbol).toBe('INFY');
    expect(store.getState().initialized).toBe(true);
  });

  it('seeds without duplicates and selects the first when nothing is selected', () => {
    const store = createWatchlistStore();
    store.getState().seed([tcs, infy, tcs]);
    expect(symbols(store.getState())).toEqual(['TCS', 'INFY']);
    expect(store.getState().selectedToken).toBe(tcs.instrumentToken);
  });

  it('removes a row and selects the one that takes its place, or the one above at the end', () => {
    const store = createWatchlistStore({
      instruments: [infy, tcs, sbin],
      selectedToken: tcs.instrumentToken,
    });
    store.getState().remove(tcs.instrumentToken);
    expect(symbols(store.getState())).toEqual(['INFY', 'SBIN']);
    expect(store.getState().selectedToken).toBe(sbin.instrumentToken);
    store.getState().remove(sbin.instrumentToken);
    expect(store.getState().selectedToken).toBe(infy.instrumentToken);
    store.getState().remove(infy.instrumentToken);
    expect(store.getState().selectedToken).toBeUndefined();
  });

  it('reorders within bounds and moves the selection with the keyboard', () => {
    const store = createWatchlistStore({
      instruments: [infy, tcs, sbin],
      selectedToken: infy.instrumentToken,
    });
    store.getState().move(infy.instrumentToken, -1);
    expect(symbols(store.getState())).toEqual(['INFY', 'TCS', 'SBIN']);
    store.getState().move(infy.instrumentToken, 1);
    expect(symbols(store.getState())).toEqual(['TCS', 'INFY', 'SBIN']);
    store.getState().selectRelative(5);
    expect(store.getState().selectedToken).toBe(sbin.instrumentToken);
    store.getState().selectRelative(-1);
    expect(store.getState().selectedToken).toBe(infy.instrumentToken);
  });
});

describe('watchlist keys', () => {
  const press = (key: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; shiftKey: boolean }> = {}) =>
    keyOf({ key, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });

  it('names key presses with their modifiers', () => {
    expect(press('ArrowUp', { altKey: true })).toBe('Alt+ArrowUp');
    expect(press('k', { ctrlKey: true })).toBe('Ctrl+K');
    expect(press('Delete')).toBe('Delete');
  });

  it('Delete removes the selected row; Alt+Up/Down move it; Up/Down select', () => {
    const store = createWatchlistStore({
      instruments: [infy, tcs, sbin],
      selectedToken: tcs.instrumentToken,
    });
    const run = (key: string) => {
      commandForKey(key)?.run(store.getState());
    };
    run(press('ArrowUp', { altKey: true }));
    expect(symbols(store.getState())).toEqual(['TCS', 'INFY', 'SBIN']);
    run(press('ArrowDown', { altKey: true }));
    run(press('ArrowDown', { altKey: true }));
    expect(symbols(store.getState())).toEqual(['INFY', 'SBIN', 'TCS']);
    run(press('ArrowUp'));
    expect(store.getState().selectedToken).toBe(sbin.instrumentToken);
    run(press('Delete'));
    expect(symbols(store.getState())).toEqual(['INFY', 'TCS']);
    expect(store.getState().selectedToken).toBe(tcs.instrumentToken);
    expect(commandForKey(press('x'))).toBeUndefined();
  });
});
