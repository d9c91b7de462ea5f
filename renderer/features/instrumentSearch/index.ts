// The instrument search feature's public surface: the search box and its store.
export { InstrumentSearch } from './InstrumentSearch';
export type { InstrumentSearchProps } from './InstrumentSearch';
export { createSearchStore } from './searchStore';
export type { SearchState, SearchStore } from './searchStore';
