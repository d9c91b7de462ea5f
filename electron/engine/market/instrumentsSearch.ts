// Instrument search over the day's dump, for the search box of a terminal: one query per keystroke
// over about 100,000 rows, within 5 ms (bench/suites/instruments.ts measures it). Pure and in memory:
// built once after a load from typed arrays and sorted string tables, so a query touches only the
// rows whose text or symbol can match, and allocates little beyond its result.
//
// How a query matches (README.md has the trader's view):
// - the whole query, spaces removed, as a prefix of a trading symbol ("NIFTY25DEC24000CE", "infy");
// - word by word against *families*: an equity with its derivatives (`INFY`: NSE and BSE INFY, every
//   INFY future and option), an index with its derivatives (`NIFTY`: NIFTY 50, every NIFTY contract).
//   A family's terms are its key, its symbols, its names and their words. Every text word must match
//   a term (exactly, as a prefix, or fuzzily by trigrams when nothing matches as a prefix);
// - the other words are contract details: a number is a strike, an expiry year or day; a month name
//   is the expiry month; CE/PE/CALL/PUT and FUT the contract type.
// Ranking, best first: the exact symbol; how well the words matched (a family key over a name over a
// word of a name; exact over prefix over fuzzy); equities and indices, then futures, then options;
// near expiries before far ones; the closeness of the text match; NSE before BSE; strikes near the
// money first; then the symbol.
import { INDEX_OF_UNDERLYING, isDerivative, isIndex } from './instruments';
import type { Instrument, InstrumentType } from './instruments';

/** Narrows a search; every given field must hold. */
export interface InstrumentFilters {
  /** `NSE`, or any of several. */
  readonly exchange?: string | readonly string[];
  /** `NFO-OPT`, or any of several. */
  readonly segment?: string | readonly string[];
  readonly instrumentType?: InstrumentType | readonly InstrumentType[];
  /** Options of this type only. */
  readonly optionType?: 'CE' | 'PE';
  /** The derivative's underlying name (`NIFTY`). */
  readonly underlying?: string;
  /** `YYYY-MM-DD`: this expiry exactly. */
  readonly expiry?: string;
  /** `YYYY-MM-DD`, inclusive. */
  readonly expiryFrom?: string;
  /** `YYYY-MM-DD`, inclusive. */
  readonly expiryTo?: string;
  /** Wire units: this strike exactly. */
  readonly strike?: number;
  /** Wire units, inclusive. */
  readonly strikeMin?: number;
  /** Wire units, inclusive. */
  readonly strikeMax?: number;
}

/** How a hit matched: its exact symbol, exact words, word prefixes, fuzzy words, or filters alone. */
export type MatchKind = 'symbol' | 'exact' | 'prefix' | 'fuzzy' | 'filter';

/** One result. */
export interface SearchHit {
  readonly instrument: Instrument;
  readonly match: MatchKind;
}

/** Options of `search`. */
export interface SearchOptions {
  /** At most this many hits (default 50). */
  readonly limit?: number;
  readonly filters?: InstrumentFilters;
}

// Match tiers, best (lowest) first. A family term is a key, a full symbol/name, or a word of a name.
const TIER_SYMBOL = 0;
const TIER_EXACT = 1; // + term kind: 1 key, 2 full, 3 word
const TIER_PREFIX = 4; // + term kind: 4 key, 5 full, 6 word
const TIER_FUZZY = 7;
const TIER_FILTER = 8;
const KIND_KEY = 0;
const KIND_FULL = 1;
const KIND_WORD = 2;

// Per-instrument contract kinds.
const K_EQ = 0;
const K_FUT = 1;
const K_CE = 2;
const K_PE = 3;

// Structured query tokens.
const S_NUMBER = 1;
const S_MONTH = 2;
const S_CE = 3;
const S_PE = 4;
const S_FUT = 5;

const MONTHS: Readonly<Record<string, number>> = {
  JAN: 1, JANUARY: 1, FEB: 2, FEBRUARY: 2, MAR: 3, MARCH: 3, APR: 4, APRIL: 4, MAY: 5, JUN: 6, JUNE: 6,
  JUL: 7, JULY: 7, AUG: 8, AUGUST: 8, SEP: 9, SEPT: 9, SEPTEMBER: 9, OCT: 10, OCTOBER: 10, NOV: 11,
  NOVEMBER: 11, DEC: 12, DECEMBER: 12,
}; // prettier-ignore

const KEYWORDS: Readonly<Record<string, number>> = {
  CE: S_CE, CALL: S_CE, CALLS: S_CE, PE: S_PE, PUT: S_PE, PUTS: S_PE,
  FUT: S_FUT, FUTS: S_FUT, FUTURE: S_FUT, FUTURES: S_FUT,
}; // prettier-ignore

const NUMBER = /^\d+(?:\.\d+)?$/;
const FUZZY_MIN_LENGTH = 3;
/** Shortest query word that may match the start of an inner word of a name. */
const WORD_PREFIX_MIN_LENGTH = 3;
/** Dice similarity of trigram sets below which a fuzzy match is not shown. */
const FUZZY_THRESHOLD = 0.45;
const TRIGRAM_ALPHABET = 38;

interface Token {
  readonly text: string;
  /** 0 for a text word, else one of S_*. */
  readonly kind: number;
  /** S_NUMBER: the integer value (or -1 with a decimal point); S_MONTH: 1..12. */
  readonly value: number;
}

function charCode(c: number): number {
  if (c >= 65 && c <= 90) return c - 64; // A-Z -> 1..26
  if (c >= 48 && c <= 57) return c - 21; // 0-9 -> 27..36
  return c === 32 ? 0 : 37;
}

/** Calls `fn` with each trigram code of ` text ` (padded so short words and word edges count). */
function forEachTrigram(text: string, fn: (code: number) => void): void {
  const padded = ` ${text} `;
  for (let k = 0; k + 2 < padded.length; k++) {
    fn(
      (charCode(padded.charCodeAt(k)) * TRIGRAM_ALPHABET + charCode(padded.charCodeAt(k + 1))) *
        TRIGRAM_ALPHABET +
        charCode(padded.charCodeAt(k + 2)),
    );
  }
}

function daysBetween(from: string, to: string): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)));
  return Math.round((b - a) / 86_400_000);
}

function asList<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

function alwaysPass(): boolean {
  return true;
}

/** The first index in sorted `keys` whose key is >= `prefix`. */
function lowerBound(keys: readonly string[], prefix: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? '') < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function compactOf(s: string): string {
  return s.toUpperCase().replace(/\s+/g, '');
}

function wordsOf(s: string): string[] {
  return s
    .toUpperCase()
    .split(/[^A-Z0-9&]+/)
    .filter((w) => w !== '');
}

/** Strike in rupees as a trader types it: 24000, 82.5, 88.25. */
function strikeText(strike: number, divisor: number): string {
  const whole = Math.floor(strike / divisor);
  const frac = String(strike % divisor)
    .padStart(Math.round(Math.log10(divisor)), '0')
    .replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

/**
 * The search index over one day's instruments. Built once (`InstrumentIndex.build`, about a second
 * for 100,000 rows), then read-only: `search` may be called from the engine's thread for every
 * keystroke. Not thread-safe (queries reuse scratch arrays).
 */
export class InstrumentIndex {
  /** The rows, in load order. */
  readonly instruments: readonly Instrument[];
  /** The trading date the expiries are counted from (`YYYY-MM-DD`). */
  readonly tradingDate: string;

  private readonly byTokenMap = new Map<number, number>();
  private readonly bySymbolMap = new Map<string, number>();
  // Per instrument.
  private readonly kind: Int8Array;
  private readonly family: Int32Array;
  private readonly expiryYear: Int16Array;
  private readonly expiryMonth: Int8Array;
  private readonly expiryDay: Int8Array;
  private readonly strikes: readonly string[];
  /** Class and expiry, scaled for the primary ranking number. */
  private readonly staticPrimary: Float64Array;
  /** Exchange, moneyness and symbol order: the tie-break. */
  private readonly staticSecondary: Float64Array;
  // Compact symbols, sorted, with the instrument of each.
  private readonly symbolKeys: readonly string[];
  private readonly symbolOrder: Int32Array;
  // Families: members in CSR form.
  private readonly familyKeys: readonly string[];
  private readonly familyStart: Int32Array;
  private readonly familyMembers: Int32Array;
  // Terms: distinct texts, sorted; each with its (family, kind) entries in CSR form.
  private readonly termTexts: readonly string[];
  private readonly termStart: Int32Array;
  private readonly termFamily: Int32Array;
  private readonly termKind: Int8Array;
  // Trigrams of the term texts, CSR over the trigram code.
  private readonly trigramStart: Int32Array;
  private readonly trigramTerms: Int32Array;
  private readonly termTrigramCount: Int32Array;

  // Query scratch, reused by every query.
  private queryId = 0;
  private readonly seen: Int32Array;
  private readonly best: Float64Array;
  private readonly candidates: Int32Array;
  private candidateCount = 0;
  private readonly familyStamp: Int32Array;
  private readonly familyMatched: Int32Array;
  private readonly familyTier: Int8Array;
  private readonly familyTokenTier: Int8Array;
  private readonly familyFine: Float64Array;
  private readonly familyTokenFine: Float64Array;
  private readonly familyMask: Int32Array;
  private readonly familyMaskStamp: Int32Array;
  private readonly familyList: Int32Array;
  private familyCount = 0;
  private readonly termStamp: Int32Array;
  private readonly termHits: Int32Array;
  private readonly termTouched: Int32Array;

  private constructor(instruments: readonly Instrument[], tradingDate: string) {
    this.instruments = instruments;
    this.tradingDate = tradingDate;
    const n = instruments.length;
    this.kind = new Int8Array(n);
    this.family = new Int32Array(n);
    this.expiryYear = new Int16Array(n);
    this.expiryMonth = new Int8Array(n);
    this.expiryDay = new Int8Array(n);
    this.staticPrimary = new Float64Array(n);
    this.staticSecondary = new Float64Array(n);
    this.seen = new Int32Array(n);
    this.best = new Float64Array(n);
    this.candidates = new Int32Array(n);

    const indexFamily = new Map<string, string>();
    for (const [u, index] of Object.entries(INDEX_OF_UNDERLYING)) indexFamily.set(index, u);

    // Families and their terms.
    const familyIds = new Map<string, number>();
    const familyKeys: string[] = [];
    const members: number[][] = [];
    const terms = new Map<string, Map<number, number>>(); // text -> family -> best kind
    const addTerm = (text: string, fam: number, kind: number): void => {
      if (text === '') return;
      let byFamily = terms.get(text);
      if (byFamily === undefined) terms.set(text, (byFamily = new Map<number, number>()));
      const had = byFamily.get(fam);
      if (had === undefined || kind < had) byFamily.set(fam, kind);
    };
    const strikes: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const ins = instruments[i] as Instrument;
      this.byTokenMap.set(ins.instrumentToken, i);
      const symKey = `${ins.exchange}:${ins.tradingSymbol}`;
      if (!this.bySymbolMap.has(symKey)) this.bySymbolMap.set(symKey, i);
      const symbol = ins.tradingSymbol.toUpperCase();
      const key = isDerivative(ins)
        ? ins.name.toUpperCase() || symbol
        : isIndex(ins)
          ? (indexFamily.get(symbol) ?? symbol)
          : symbol;
      let fam = familyIds.get(key);
      if (fam === undefined) {
        fam = familyKeys.length;
        familyIds.set(key, fam);
        familyKeys.push(key);
        members.push([]);
        addTerm(key, fam, KIND_KEY);
        for (const w of wordsOf(key)) addTerm(w, fam, KIND_WORD);
      }
      this.family[i] = fam;
      members[fam]?.push(i);
      if (!isDerivative(ins)) {
        addTerm(symbol, fam, KIND_FULL);
        addTerm(ins.name.toUpperCase(), fam, KIND_FULL);
        for (const w of wordsOf(ins.tradingSymbol)) addTerm(w, fam, KIND_WORD);
        for (const w of wordsOf(ins.name)) addTerm(w, fam, KIND_WORD);
      }
      this.kind[i] =
        ins.instrumentType === 'FUT'
          ? K_FUT
          : ins.instrumentType === 'CE'
            ? K_CE
            : ins.instrumentType === 'PE'
              ? K_PE
              : K_EQ;
      if (ins.expiry !== '') {
        this.expiryYear[i] = Number(ins.expiry.slice(0, 4));
        this.expiryMonth[i] = Number(ins.expiry.slice(5, 7));
        this.expiryDay[i] = Number(ins.expiry.slice(8, 10));
      }
      strikes[i] = ins.strike > 0 ? strikeText(ins.strike, ins.priceDivisor) : '';
    }
    this.strikes = strikes;
    this.familyKeys = familyKeys;
    this.familyStart = new Int32Array(familyKeys.length + 1);
    this.familyMembers = new Int32Array(n);
    {
      let at = 0;
      members.forEach((m, f) => {
        this.familyStart[f] = at;
        for (const i of m) this.familyMembers[at++] = i;
      });
      this.familyStart[familyKeys.length] = at;
    }

    // Symbols, sorted (plain code-unit order: fast, and the same on every machine).
    const compact = instruments.map((i) => compactOf(i.tradingSymbol));
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const x = compact[a] ?? '';
      const y = compact[b] ?? '';
      return x < y ? -1 : x > y ? 1 : a - b;
    });
    this.symbolOrder = Int32Array.from(order);
    this.symbolKeys = order.map((i) => compact[i] ?? '');
    const symbolRank = new Int32Array(n);
    order.forEach((i, rank) => (symbolRank[i] = rank));

    // Moneyness: options of one underlying and expiry, ranked by distance from the underlying's
    // price in the dump, or from the chain's middle strike when the dump has no price (Kite's often
    // has 0): exchanges list strikes around the money, so the middle is near it.
    const moneyness = new Int32Array(n);
    const chains = new Map<string, number[]>();
    for (let i = 0; i < n; i++) {
      const k = this.kind[i] ?? K_EQ;
      if (k !== K_CE && k !== K_PE) continue;
      const ins = instruments[i] as Instrument;
      const chainKey = `${this.family[i] ?? 0}|${ins.exchange}|${ins.expiry}`;
      let chain = chains.get(chainKey);
      if (chain === undefined) chains.set(chainKey, (chain = []));
      chain.push(i);
    }
    for (const chain of chains.values()) {
      const first = instruments[chain[0] ?? 0] as Instrument;
      const spot = this.underlyingIndexOf(first);
      const strikeOf = (i: number): number => (instruments[i] as Instrument).strike;
      let mid = spot === undefined ? 0 : (instruments[spot] as Instrument).lastPrice;
      if (mid <= 0) {
        const sorted = chain.map(strikeOf).sort((a, b) => a - b);
        mid = sorted[sorted.length >> 1] ?? 0;
      }
      const distinct = [...new Set(chain.map(strikeOf))].sort(
        (a, b) => Math.abs(a - mid) - Math.abs(b - mid) || a - b,
      );
      const rankOf = new Map<number, number>();
      distinct.forEach((s, r) => rankOf.set(s, r));
      for (const i of chain) moneyness[i] = rankOf.get(strikeOf(i)) ?? 0;
    }

    for (let i = 0; i < n; i++) {
      const ins = instruments[i] as Instrument;
      const k = this.kind[i] ?? K_EQ;
      const cls = k === K_EQ ? 0 : k === K_FUT ? 1 : 2;
      const days = ins.expiry === '' ? 0 : Math.min(9999, Math.max(0, daysBetween(tradingDate, ins.expiry)));
      this.staticPrimary[i] = cls * 1e11 + days * 1e7;
      const exchange = ins.exchange === 'BSE' || ins.exchange === 'BFO' || ins.exchange === 'BCD' ? 1 : 0;
      this.staticSecondary[i] =
        exchange * 1e12 + Math.min(99_999, moneyness[i] ?? 0) * 1e6 + (symbolRank[i] ?? 0);
    }

    // Terms, sorted, with their families.
    const texts = [...terms.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.termTexts = texts;
    let entries = 0;
    for (const t of texts) entries += terms.get(t)?.size ?? 0;
    this.termStart = new Int32Array(texts.length + 1);
    this.termFamily = new Int32Array(entries);
    this.termKind = new Int8Array(entries);
    {
      let at = 0;
      texts.forEach((t, id) => {
        this.termStart[id] = at;
        for (const [fam, kind] of terms.get(t) ?? []) {
          this.termFamily[at] = fam;
          this.termKind[at++] = kind;
        }
      });
      this.termStart[texts.length] = at;
    }

    // Trigram postings of the term texts.
    const buckets = TRIGRAM_ALPHABET ** 3;
    const counts = new Int32Array(buckets + 1);
    this.termTrigramCount = new Int32Array(texts.length);
    texts.forEach((t, id) => {
      forEachTrigram(t, (c) => {
        counts[c] = (counts[c] ?? 0) + 1;
        this.termTrigramCount[id] = (this.termTrigramCount[id] ?? 0) + 1;
      });
    });
    this.trigramStart = new Int32Array(buckets + 1);
    for (let c = 0; c < buckets; c++)
      this.trigramStart[c + 1] = (this.trigramStart[c] ?? 0) + (counts[c] ?? 0);
    this.trigramTerms = new Int32Array(this.trigramStart[buckets] ?? 0);
    const fill = this.trigramStart.slice(0, buckets);
    texts.forEach((t, id) => {
      forEachTrigram(t, (c) => {
        const at = fill[c] ?? 0;
        this.trigramTerms[at] = id;
        fill[c] = at + 1;
      });
    });

    const families = familyKeys.length;
    this.familyStamp = new Int32Array(families);
    this.familyMatched = new Int32Array(families);
    this.familyTier = new Int8Array(families);
    this.familyTokenTier = new Int8Array(families);
    this.familyFine = new Float64Array(families);
    this.familyTokenFine = new Float64Array(families);
    this.familyMask = new Int32Array(families);
    this.familyMaskStamp = new Int32Array(families);
    this.familyList = new Int32Array(families);
    this.termStamp = new Int32Array(texts.length);
    this.termHits = new Int32Array(texts.length);
    this.termTouched = new Int32Array(texts.length);
  }

  /** Builds the index of a day's instruments; `tradingDate` (`YYYY-MM-DD`, IST) orders expiries. */
  static build(instruments: readonly Instrument[], tradingDate: string): InstrumentIndex {
    return new InstrumentIndex(instruments, tradingDate);
  }

  /** How many instruments the index holds. */
  get size(): number {
    return this.instruments.length;
  }

  /** The instrument with this token. */
  byToken(instrumentToken: number): Instrument | undefined {
    const i = this.byTokenMap.get(instrumentToken);
    return i === undefined ? undefined : this.instruments[i];
  }

  /** The instrument `exchange:tradingSymbol` (`NSE`, `INFY`), as Kite's quote keys name it. */
  bySymbol(exchange: string, tradingSymbol: string): Instrument | undefined {
    const i = this.bySymbolMap.get(`${exchange}:${tradingSymbol}`);
    return i === undefined ? undefined : this.instruments[i];
  }

  /**
   * The instrument a derivative follows: the index for index derivatives (`NIFTY` -> `NIFTY 50`), the
   * equity with the same symbol for stock derivatives (NSE for NFO, BSE for BFO). Undefined for an
   * equity, an index, or an underlying not in the dump (commodities, currencies).
   */
  underlyingOf(instrument: Instrument): Instrument | undefined {
    const i = this.underlyingIndexOf(instrument);
    return i === undefined ? undefined : this.instruments[i];
  }

  private underlyingIndexOf(ins: Instrument): number | undefined {
    if (!isDerivative(ins)) return undefined;
    const key = ins.name.toUpperCase();
    const index = INDEX_OF_UNDERLYING[key];
    if (index !== undefined)
      return this.bySymbolMap.get(`NSE:${index}`) ?? this.bySymbolMap.get(`BSE:${index}`);
    const spot = ins.exchange === 'BFO' ? ['BSE', 'NSE'] : ['NSE', 'BSE'];
    for (const e of spot) {
      const i = this.bySymbolMap.get(`${e}:${key}`);
      if (i !== undefined && this.kind[i] === K_EQ) return i;
    }
    return undefined;
  }

  /**
   * The best `limit` instruments for a query typed in a search box ("infy", "infosys",
   * "nifty 25 dec 24000 ce", "banknifty fut"), within `filters`. An empty query with filters lists
   * the filtered instruments in rank order; an empty query without filters finds nothing.
   * Allocates the tokens and the result.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(0, Math.floor(options.limit ?? 50));
    const pass = this.compileFilters(options.filters);
    const q = query.toUpperCase().trim();
    if (++this.queryId === 0x7fffffff) this.resetStamps();
    this.candidateCount = 0;
    if (limit === 0) return [];
    if (q === '') {
      if (options.filters === undefined) return [];
      for (let i = 0; i < this.instruments.length; i++) if (pass(i)) this.consider(i, TIER_FILTER, 0);
      return this.top(limit);
    }

    // The whole query as a symbol prefix.
    const compact = compactOf(q);
    for (let k = lowerBound(this.symbolKeys, compact); k < this.symbolKeys.length; k++) {
      const key = this.symbolKeys[k] ?? '';
      if (!key.startsWith(compact)) break;
      const i = this.symbolOrder[k] ?? 0;
      if (!pass(i)) continue;
      const extra = key.length - compact.length;
      this.consider(i, extra === 0 ? TIER_SYMBOL : TIER_PREFIX + KIND_FULL, Math.min(999, extra));
    }

    // Word by word.
    const tokens = this.tokenize(q);
    const text = tokens.filter((t) => t.kind === 0);
    // Cheap checks (contract type, month) before numbers, which compare strings.
    const structured = tokens
      .filter((t) => t.kind !== 0)
      .sort((a, b) => (a.kind === S_NUMBER ? 1 : 0) - (b.kind === S_NUMBER ? 1 : 0))
      .slice(0, 30);
    this.markStructuredText(structured);
    if (text.length > 0) {
      this.matchTextTokens(text);
      for (let f = 0; f < this.familyCount; f++) {
        const fam = this.familyList[f] ?? 0;
        if (this.familyMatched[fam] !== text.length) continue;
        const tier = this.familyTier[fam] ?? TIER_FUZZY;
        const fine = this.familyFine[fam] ?? 0;
        const end = this.familyStart[fam + 1] ?? 0;
        for (let m = this.familyStart[fam] ?? 0; m < end; m++) {
          const i = this.familyMembers[m] ?? 0;
          if (!pass(i)) continue;
          const extra = this.structuredFine(i, fam, structured);
          if (extra >= 0) this.consider(i, tier, Math.min(999, fine + extra));
        }
      }
    } else {
      // Only contract details ("24000 ce"): every row is a candidate. A required contract type is
      // checked first on the typed array, since it rules out most rows.
      let needKind = -1;
      for (const t of structured) {
        if (t.kind === S_CE) needKind = K_CE;
        else if (t.kind === S_PE) needKind = K_PE;
        else if (t.kind === S_FUT) needKind = K_FUT;
      }
      for (let i = 0; i < this.instruments.length; i++) {
        const fam = this.family[i] ?? 0;
        if (needKind >= 0 && this.kind[i] !== needKind && this.familyMaskStamp[fam] !== this.queryId)
          continue;
        if (!pass(i)) continue;
        const extra = this.structuredFine(i, fam, structured);
        if (extra < 0) continue;
        const allText =
          this.familyMaskStamp[fam] === this.queryId && this.familyMask[fam] === (1 << structured.length) - 1;
        this.consider(i, allText ? TIER_PREFIX + KIND_WORD : TIER_FILTER, Math.min(999, extra));
      }
    }
    return this.top(limit);
  }

  private resetStamps(): void {
    this.queryId = 1;
    this.seen.fill(0);
    this.familyStamp.fill(0);
    this.familyMaskStamp.fill(0);
    this.termStamp.fill(0);
  }

  private tokenize(q: string): Token[] {
    const out: Token[] = [];
    const classify = (text: string): Token => {
      const keyword = KEYWORDS[text];
      if (keyword !== undefined) return { text, kind: keyword, value: 0 };
      const month = MONTHS[text];
      if (month !== undefined) return { text, kind: S_MONTH, value: month };
      if (NUMBER.test(text)) return { text, kind: S_NUMBER, value: text.includes('.') ? -1 : Number(text) };
      return { text, kind: 0, value: 0 };
    };
    for (const word of q.split(/\s+/)) {
      if (word === '') continue;
      const mixed = /[A-Z]/.test(word) && /\d/.test(word);
      // "24000CE", "25DEC": split into letter and digit runs, unless the word is itself the start of
      // a term ("M&M", "3MINDIA" stay whole).
      if (mixed && !this.isTermPrefix(word)) {
        for (const part of word.match(/[A-Z&-]+|\d+(?:\.\d+)?/g) ?? []) out.push(classify(part));
      } else {
        out.push(classify(word));
      }
    }
    return out;
  }

  private isTermPrefix(word: string): boolean {
    return (this.termTexts[lowerBound(this.termTexts, word)] ?? '').startsWith(word);
  }

  /** For each family whose terms start with a structured token's text, sets that token's bit. */
  private markStructuredText(structured: readonly Token[]): void {
    structured.forEach((t, bit) => {
      for (let id = lowerBound(this.termTexts, t.text); id < this.termTexts.length; id++) {
        if (!(this.termTexts[id] ?? '').startsWith(t.text)) break;
        const end = this.termStart[id + 1] ?? 0;
        for (let e = this.termStart[id] ?? 0; e < end; e++) {
          const fam = this.termFamily[e] ?? 0;
          if (this.familyMaskStamp[fam] !== this.queryId) {
            this.familyMaskStamp[fam] = this.queryId;
            this.familyMask[fam] = 0;
          }
          this.familyMask[fam] = (this.familyMask[fam] ?? 0) | (1 << bit);
        }
      }
    });
  }

  /**
   * Intersects the families of every text word: after this, `familyMatched[f] === words.length` for
   * the families that match them all, with their worst tier in `familyTier` and summed closeness in
   * `familyFine`. Families are collected from the first word.
   */
  private matchTextTokens(words: readonly Token[]): void {
    this.familyCount = 0;
    words.forEach((word, j) => {
      const visit = (fam: number, tier: number, fine: number): void => {
        if (j === 0 && this.familyStamp[fam] !== this.queryId) {
          this.familyStamp[fam] = this.queryId;
          this.familyMatched[fam] = 0;
          this.familyTier[fam] = 0;
          this.familyFine[fam] = 0;
          this.familyList[this.familyCount++] = fam;
        }
        if (this.familyStamp[fam] !== this.queryId) return;
        const matched = this.familyMatched[fam] ?? 0;
        if (matched === j) {
          this.familyMatched[fam] = j + 1;
          this.familyTokenTier[fam] = tier;
          this.familyTokenFine[fam] = fine;
        } else if (
          matched === j + 1 &&
          tier * 1000 + fine < (this.familyTokenTier[fam] ?? 0) * 1000 + (this.familyTokenFine[fam] ?? 0)
        ) {
          this.familyTokenTier[fam] = tier;
          this.familyTokenFine[fam] = fine;
        }
      };
      let found = false;
      for (let id = lowerBound(this.termTexts, word.text); id < this.termTexts.length; id++) {
        const t = this.termTexts[id] ?? '';
        if (!t.startsWith(word.text)) break;
        found = true;
        const exact = t.length === word.text.length;
        const end = this.termStart[id + 1] ?? 0;
        for (let e = this.termStart[id] ?? 0; e < end; e++) {
          const kind = this.termKind[e] ?? KIND_WORD;
          // One or two letters as the start of an inner word of a name ("t" in "... TECH") is noise
          // that would pull in thousands of rows; as the start of a symbol or a name it is kept.
          if (!exact && kind === KIND_WORD && word.text.length < WORD_PREFIX_MIN_LENGTH) continue;
          visit(
            this.termFamily[e] ?? 0,
            (exact ? TIER_EXACT : TIER_PREFIX) + kind,
            Math.min(99, t.length - word.text.length),
          );
        }
      }
      if (!found && word.text.length >= FUZZY_MIN_LENGTH) this.fuzzy(word.text, visit);
      // Fold this word's best match into each family's running worst tier.
      for (let f = 0; f < this.familyCount; f++) {
        const fam = this.familyList[f] ?? 0;
        if (this.familyMatched[fam] !== j + 1) continue;
        this.familyTier[fam] = Math.max(this.familyTier[fam] ?? 0, this.familyTokenTier[fam] ?? 0);
        this.familyFine[fam] = (this.familyFine[fam] ?? 0) + (this.familyTokenFine[fam] ?? 0);
      }
    });
  }

  /** Terms sharing enough trigrams with `word` (Dice >= FUZZY_THRESHOLD), visited as fuzzy matches. */
  private fuzzy(word: string, visit: (fam: number, tier: number, fine: number) => void): void {
    let touched = 0;
    let wordTrigrams = 0;
    const stamp = this.queryId;
    forEachTrigram(word, (c) => {
      wordTrigrams++;
      const end = this.trigramStart[c + 1] ?? 0;
      for (let p = this.trigramStart[c] ?? 0; p < end; p++) {
        const id = this.trigramTerms[p] ?? 0;
        if (this.termStamp[id] !== stamp) {
          this.termStamp[id] = stamp;
          this.termHits[id] = 0;
          this.termTouched[touched++] = id;
        }
        this.termHits[id] = (this.termHits[id] ?? 0) + 1;
      }
    });
    for (let k = 0; k < touched; k++) {
      const id = this.termTouched[k] ?? 0;
      const dice = (2 * (this.termHits[id] ?? 0)) / (wordTrigrams + (this.termTrigramCount[id] ?? 0));
      if (dice < FUZZY_THRESHOLD) continue;
      const end = this.termStart[id + 1] ?? 0;
      for (let e = this.termStart[id] ?? 0; e < end; e++) {
        visit(this.termFamily[e] ?? 0, TIER_FUZZY, Math.round((1 - dice) * 99));
      }
    }
  }

  /** How closely instrument `i` meets the structured tokens: -1 when one is not met, else >= 0. */
  private structuredFine(i: number, fam: number, structured: readonly Token[]): number {
    if (structured.length === 0) return 0;
    const mask = this.familyMaskStamp[fam] === this.queryId ? (this.familyMask[fam] ?? 0) : 0;
    const kind = this.kind[i] ?? K_EQ;
    let fine = 0;
    for (let s = 0; s < structured.length; s++) {
      if ((mask & (1 << s)) !== 0) continue;
      const t = structured[s];
      if (t === undefined) continue;
      switch (t.kind) {
        case S_CE:
          if (kind !== K_CE) return -1;
          break;
        case S_PE:
          if (kind !== K_PE) return -1;
          break;
        case S_FUT:
          if (kind !== K_FUT) return -1;
          break;
        case S_MONTH:
          if (this.expiryMonth[i] !== t.value) return -1;
          break;
        default: {
          const strike = this.strikes[i] ?? '';
          if (strike === t.text) break;
          const year = this.expiryYear[i] ?? 0;
          if (year !== 0 && (t.value === year || (t.text.length === 2 && t.value === year % 100))) {
            fine += 1;
            break;
          }
          if (year !== 0 && t.text.length <= 2 && t.value === this.expiryDay[i]) {
            fine += 2;
            break;
          }
          if (strike !== '' && strike.startsWith(t.text)) {
            fine += 3;
            break;
          }
          return -1;
        }
      }
    }
    return fine;
  }

  private consider(i: number, tier: number, fine: number): void {
    const score = tier * 1e12 + (this.staticPrimary[i] ?? 0) + fine * 1e4;
    if (this.seen[i] !== this.queryId) {
      this.seen[i] = this.queryId;
      this.best[i] = score;
      this.candidates[this.candidateCount++] = i;
    } else if (score < (this.best[i] ?? 0)) {
      this.best[i] = score;
    }
  }

  /** The best `limit` candidates, best first: a bounded insertion list, not a sort of them all. */
  private top(limit: number): SearchHit[] {
    const idx: number[] = [];
    const primary: number[] = [];
    const secondary: number[] = [];
    for (let c = 0; c < this.candidateCount; c++) {
      const i = this.candidates[c] ?? 0;
      const p = this.best[i] ?? 0;
      const s = this.staticSecondary[i] ?? 0;
      const last = idx.length - 1;
      if (idx.length === limit) {
        const lp = primary[last] ?? 0;
        if (p > lp || (p === lp && s >= (secondary[last] ?? 0))) continue;
        idx.pop();
        primary.pop();
        secondary.pop();
      }
      let at = idx.length;
      while (
        at > 0 &&
        ((primary[at - 1] ?? 0) > p || ((primary[at - 1] ?? 0) === p && (secondary[at - 1] ?? 0) > s))
      )
        at--;
      idx.splice(at, 0, i);
      primary.splice(at, 0, p);
      secondary.splice(at, 0, s);
    }
    return idx.map((i, k) => {
      const tier = Math.floor((primary[k] ?? 0) / 1e12);
      const match: MatchKind =
        tier === TIER_SYMBOL
          ? 'symbol'
          : tier < TIER_PREFIX
            ? 'exact'
            : tier < TIER_FUZZY
              ? 'prefix'
              : tier === TIER_FUZZY
                ? 'fuzzy'
                : 'filter';
      return { instrument: this.instruments[i] as Instrument, match };
    });
  }

  private compileFilters(f: InstrumentFilters | undefined): (i: number) => boolean {
    if (f === undefined) return alwaysPass;
    const exchanges = asList(f.exchange);
    const segments = asList(f.segment);
    const types = asList(f.instrumentType);
    const underlying = f.underlying?.toUpperCase();
    return (i) => {
      const ins = this.instruments[i];
      if (ins === undefined) return false;
      if (exchanges !== undefined && !exchanges.includes(ins.exchange)) return false;
      if (segments !== undefined && !segments.includes(ins.segment)) return false;
      if (types !== undefined && !types.includes(ins.instrumentType)) return false;
      if (f.optionType !== undefined && ins.instrumentType !== f.optionType) return false;
      if (underlying !== undefined && (!isDerivative(ins) || ins.name.toUpperCase() !== underlying))
        return false;
      if (f.expiry !== undefined && ins.expiry !== f.expiry) return false;
      if (f.expiryFrom !== undefined && (ins.expiry === '' || ins.expiry < f.expiryFrom)) return false;
      if (f.expiryTo !== undefined && (ins.expiry === '' || ins.expiry > f.expiryTo)) return false;
      if (f.strike !== undefined && ins.strike !== f.strike) return false;
      if (f.strikeMin !== undefined && ins.strike < f.strikeMin) return false;
      if (f.strikeMax !== undefined && ins.strike > f.strikeMax) return false;
      return true;
    };
  }

  /** The family key of an instrument (`INFY`, `NIFTY`): for tests and diagnostics. */
  familyOf(instrument: Instrument): string | undefined {
    const i = this.byTokenMap.get(instrument.instrumentToken);
    return i === undefined ? undefined : this.familyKeys[this.family[i] ?? 0];
  }
}
