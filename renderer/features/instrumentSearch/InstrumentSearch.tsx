import './instrumentSearch.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { InstrumentInfo } from '../../../shared/services/market';
import { formatExpiry, formatStrike, useMarketData } from '../market';
import { useCommands, useHotkeyRegistry } from '../hotkeys';
import { isSearchHotkey, searchHotkeys } from './searchHotkeys';
import { createSearchStore } from './searchStore';
import type { SearchState } from './searchStore';

const selectQuery = (s: SearchState) => s.query;
const selectResults = (s: SearchState) => s.results;
const selectActive = (s: SearchState) => s.active;
const selectOpen = (s: SearchState) => s.open;
const selectStatus = (s: SearchState) => s.status;
const selectError = (s: SearchState) => s.error;

function contractOf(i: InstrumentInfo): string {
  if (i.instrumentType === 'EQ' || i.instrumentType === 'INDEX') return '';
  const expiry = formatExpiry(i.expiry);
  return i.instrumentType === 'FUT' ? expiry : `${expiry} ${formatStrike(i.strike, i.priceDivisor)}`;
}

/** The id of the search box (the search command puts the cursor in it). */
export const SEARCH_INPUT_ID = 'instrument-search-input';

function focusSearchInput(): void {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (!(input instanceof HTMLInputElement)) return;
  input.focus();
  input.select();
}

export interface InstrumentSearchProps {
  /** The trader picked an instrument (Enter or a click). */
  readonly onPick: (instrument: InstrumentInfo) => void;
  /** Search closed without a pick (Escape): where focus goes back to. */
  readonly onDismiss?: () => void;
}

/** The search box: `/` or Ctrl+K focuses it, results as you type, arrows and Enter pick. */
export function InstrumentSearch({ onPick, onDismiss }: InstrumentSearchProps) {
  const { market } = useMarketData();
  const [store] = useState(() => createSearchStore(market));
  useEffect(
    () =>
      store.subscribe((s, prev) => {
        if (s.picked !== undefined && s.picked !== prev.picked) onPick(s.picked.instrument);
      }),
    [store, onPick],
  );
  const query = useStore(store, selectQuery);
  const results = useStore(store, selectResults);
  const active = useStore(store, selectActive);
  const open = useStore(store, selectOpen);
  const status = useStore(store, selectStatus);
  const error = useStore(store, selectError);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  // `/` and Ctrl+K are the window's registry's (rebindable); without a HotkeyHost, listen here.
  const registry = useHotkeyRegistry();
  useCommands(useMemo(() => searchHotkeys(focusSearchInput), []));
  useEffect(() => {
    if (registry !== null) return undefined;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (!isSearchHotkey(e)) return;
      e.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [registry]);

  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active, results]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        store.getState().moveActive(1);
        return;
      case 'ArrowUp':
        e.preventDefault();
        store.getState().moveActive(-1);
        return;
      case 'PageDown':
        e.preventDefault();
        store.getState().moveActive(10);
        return;
      case 'PageUp':
        e.preventDefault();
        store.getState().moveActive(-10);
        return;
      case 'Enter':
        e.preventDefault();
        store.getState().pick();
        return;
      case 'Escape':
        e.preventDefault();
        store.getState().close();
        inputRef.current?.blur();
        onDismiss?.();
        return;
    }
  };

  const showList = open && query.trim() !== '';
  const activeId = active >= 0 ? `search-result-${active}` : undefined;
  return (
    <div className="search" data-testid="instrument-search">
      <span className="search__icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={inputRef}
        id={SEARCH_INPUT_ID}
        className="search__input"
        data-testid="instrument-search-input"
        type="text"
        role="combobox"
        aria-label="Search instruments"
        aria-expanded={showList}
        aria-controls="search-results"
        aria-activedescendant={showList ? activeId : undefined}
        aria-autocomplete="list"
        placeholder="Search instruments"
        spellCheck={false}
        autoComplete="off"
        value={query}
        onChange={(e) => {
          store.getState().setQuery(e.target.value);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          // A click on a result lands (mousedown picks it) before the blur closes the list.
          store.getState().close();
        }}
      />
      <span className="search__keys" aria-hidden="true">
        <kbd>/</kbd>
        <kbd>Ctrl K</kbd>
      </span>
      {showList ? (
        <ul className="search__results" id="search-results" role="listbox" ref={listRef} data-status={status}>
          {results.map((i, index) => (
            <li
              key={i.instrumentToken}
              id={`search-result-${index}`}
              className="search__result"
              role="option"
              aria-selected={index === active}
              data-testid="search-result"
              data-symbol={i.tradingsymbol}
              data-exchange={i.exchange}
              onMouseEnter={() => {
                store.getState().setActive(index);
              }}
              onMouseDown={(e) => {
                e.preventDefault();
                store.getState().setActive(index);
                store.getState().pick();
              }}
            >
              <span className="search__symbol">{i.tradingsymbol}</span>
              <span className="search__name">{i.name}</span>
              <span className="search__contract num">{contractOf(i)}</span>
              <span className="search__type" data-type={i.instrumentType}>
                {i.instrumentType}
              </span>
              <span className="search__exchange">{i.exchange}</span>
            </li>
          ))}
          {results.length === 0 ? (
            <li className="search__note" role="presentation">
              {status === 'failed'
                ? `Search failed: ${error}`
                : status === 'searching'
                  ? 'Searching…'
                  : 'No match'}
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
