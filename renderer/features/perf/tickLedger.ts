// Tick-to-screen bookkeeping for the perf probe: which quotes have arrived in the page and not yet
// shown, and how long each took. Pure (times come in as arguments), so it is tested without a page.

/** What one RPC text frame carries of market quotes: per instrument, its volume and the engine's stamp. */
export interface ArrivedQuote {
  readonly token: number;
  readonly volume: number;
  /** When the engine received the tick (epoch ms, the Quote's `receivedAt`). */
  readonly engineAt: number;
}

/**
 * The quotes in one engine frame (`{"type":"events","events":[Quote…]}`), or undefined when it
 * holds none. A Quote is told from the other events by its fields (instrumentToken, volume,
 * bidPrice, askPrice, receivedAt). Parses the JSON: the probe pays for a second parse of each
 * frame that mentions `"bidPrice"`, and counts that time as its own.
 */
export function quotesInFrame(text: string): ArrivedQuote[] | undefined {
  if (!text.includes('"bidPrice"') || !text.includes('"events"')) return undefined;
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof frame !== 'object' || frame === null) return undefined;
  const { type, events } = frame as { type?: unknown; events?: unknown };
  if (type !== 'events' || !Array.isArray(events)) return undefined;
  const out: ArrivedQuote[] = [];
  for (const e of events as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const q = e as Record<string, unknown>;
    const token = q['instrumentToken'];
    const volume = q['volume'];
    const engineAt = q['receivedAt'];
    if (
      typeof token === 'number' &&
      typeof volume === 'number' &&
      typeof engineAt === 'number' &&
      typeof q['bidPrice'] === 'number' &&
      typeof q['askPrice'] === 'number'
    )
      out.push({ token, volume, engineAt });
  }
  return out.length === 0 ? undefined : out;
}

/** The volume a watchlist cell shows (`12,34,567`), or undefined for a dash or anything else. */
export function volumeOfText(text: string | null): number | undefined {
  if (text === null) return undefined;
  const digits = text.replace(/,/g, '').trim();
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

/** Samples of each tick that reached the screen, in ms. */
export interface TickSamples {
  /** Arrival in the page -> the first animation frame after the DOM showed it. */
  readonly toScreen: number[];
  /** Arrival in the page -> the DOM change (the mutation observer's callback). */
  readonly toDom: number[];
  /** The engine's receipt of the tick (its clock) -> the same frame (the page's clock, same machine). */
  readonly engineToScreen: number[];
}

interface Pending {
  readonly volume: number;
  readonly arrivedAt: number;
  /** Epoch ms. */
  readonly engineAt: number;
}

interface Shown extends Pending {
  readonly domAt: number;
}

/** Ticks of one instrument waiting to show, at most this many (older ones are counted as lost). */
const MAX_PENDING_PER_TOKEN = 2_000;

/**
 * Follows trade ticks from their arrival to the screen. A tick counts when its volume is above the
 * last volume that instrument arrived with (so: a trade; a quote that only moves bid or ask is not
 * followed). It is shown once the instrument's volume cell shows its volume or more (volume only
 * grows within a day, and a frame shows the latest of every tick before it), and on screen at the
 * next animation frame after that.
 *
 * Times are one page's `performance.now()` (ms); `timeOrigin` turns them into epoch ms to compare
 * with the engine's stamp.
 */
export class TickLedger {
  private readonly pending = new Map<number, Pending[]>();
  private readonly lastVolume = new Map<number, number>();
  private shownNotFramed: Shown[] = [];
  private recording = false;
  /** Ticks followed (arrived while recording), shown, and dropped from a full queue. */
  arrived = 0;
  shown = 0;
  overflowed = 0;
  readonly samples: TickSamples = { toScreen: [], toDom: [], engineToScreen: [] };

  constructor(
    private readonly timeOrigin: number,
    /** Only these instruments are followed (the rows in view), or every one when undefined. */
    private readonly follow?: ReadonlySet<number>,
  ) {}

  /** From now on, arrivals are followed (before it, only their volumes are noted). */
  start(): void {
    this.recording = true;
  }

  /** No new arrivals are followed; those already followed can still show. */
  stop(): void {
    this.recording = false;
  }

  /** A quote arrived in the page at `at`. */
  arrive(q: ArrivedQuote, at: number): void {
    const last = this.lastVolume.get(q.token);
    if (last !== undefined && q.volume <= last) return;
    this.lastVolume.set(q.token, q.volume);
    if (!this.recording || (this.follow !== undefined && !this.follow.has(q.token))) return;
    let list = this.pending.get(q.token);
    if (list === undefined) {
      list = [];
      this.pending.set(q.token, list);
    }
    if (list.length >= MAX_PENDING_PER_TOKEN) {
      list.shift();
      this.overflowed++;
    }
    list.push({ volume: q.volume, arrivedAt: at, engineAt: q.engineAt });
    this.arrived++;
  }

  /** The DOM shows `volume` for `token` since `at`. */
  show(token: number, volume: number, at: number): void {
    const list = this.pending.get(token);
    if (list === undefined || list.length === 0) return;
    let k = 0;
    while (k < list.length && (list[k]?.volume ?? Infinity) <= volume) k++;
    if (k === 0) return;
    for (const p of list.splice(0, k)) this.shownNotFramed.push({ ...p, domAt: at });
  }

  /** An animation frame began at `at`: what the DOM showed before it is on screen. */
  frame(at: number): void {
    if (this.shownNotFramed.length === 0) return;
    const { toScreen, toDom, engineToScreen } = this.samples;
    for (const s of this.shownNotFramed) {
      toScreen.push(at - s.arrivedAt);
      toDom.push(s.domAt - s.arrivedAt);
      if (s.engineAt > 0) engineToScreen.push(this.timeOrigin + at - s.engineAt);
      this.shown++;
    }
    this.shownNotFramed = [];
  }

  /** Followed ticks not shown yet, and how long the oldest has waited at `now`. */
  waiting(now: number): { readonly count: number; readonly oldestMs: number } {
    let count = this.shownNotFramed.length;
    let oldest = now;
    for (const list of this.pending.values()) {
      count += list.length;
      const first = list[0];
      if (first !== undefined && first.arrivedAt < oldest) oldest = first.arrivedAt;
    }
    return { count, oldestMs: now - oldest };
  }
}
