/**
 * The local exchange the process serves: the `ExchangeVenue` with the synthetic market trading in
 * it, on a simulated clock that runs `speed` times faster than the machine's from the moment of
 * start. The market's step timer also drives the session clock (open, MIS square-off, close, TTL
 * expiry), and about once a second the indices' values. With `--state`, the clock resumes where the
 * journal stopped when that is later than now, every market step is one journal transaction, and
 * the agents' quotes left by the previous run are withdrawn before the new agents start.
 */
import { formatIstDate } from '../../../shared/time/ist';
import { loadInstruments } from '../exchange';
import type { ExchangeEvent, Instrument } from '../exchange';
import type { KiteVenue } from '../kite';
import { AGENT_ACCOUNTS, MarketClock, MarketSimulator, TickPump, tickPumpInstruments } from '../market';
import type { MarketExchange } from '../market';
import { peekStateLastTime } from '../state';
import { ExchangeVenue } from '../venue';

export interface VenueOptions {
  readonly seed: number;
  readonly speed: number;
  /** `--start`: where the simulated clock starts (epoch ms); default the wall clock's now. */
  readonly start?: number;
  readonly alwaysOpen: boolean;
  /** `--state FILE`: the exchange's SQLite command journal, replayed on start (see ../state). */
  readonly state?: string;
  /**
   * `--activity X`: scales the takers' and noise traders' arrivals (default 1); 0 turns the agents
   * off (empty books: only what clients place trades), for tests that want a quiet exchange.
   */
  readonly activity?: number;
  /**
   * `--market full|light`: every tradable instrument, or a liquid few (seven NSE names, the NIFTY and
   * BANKNIFTY futures, the four NIFTY options of the nearest expiry closest to the money). Default:
   * full, but light with `--state`, whose journal holds every agent command (see README.md).
   */
  readonly market?: 'full' | 'light';
  /**
   * `--tick-rate R --tick-instruments N`: a load generator trading R times a second (wall time)
   * round-robin over N of the animated instruments chosen by the seed (market/tickPump.ts). Needs
   * the market (activity above 0).
   */
  readonly ticks?: { readonly rate: number; readonly instruments: number };
}

const LIGHT_EQUITIES = ['RELIANCE', 'HDFCBANK', 'ICICIBANK', 'INFY', 'TCS', 'SBIN', 'ITC'];

/** The light market's instruments: liquid equities, index futures and near-the-money options. */
export function lightMarketTokens(instruments: readonly Instrument[]): number[] {
  const out: number[] = [];
  for (const i of instruments) {
    if (i.exchange === 'NSE' && i.tradable && LIGHT_EQUITIES.includes(i.tradingsymbol))
      out.push(i.instrument_token);
    if (i.instrument_type === 'FUT' && (i.name === 'NIFTY' || i.name === 'BANKNIFTY'))
      out.push(i.instrument_token);
  }
  const spot = instruments.find((i) => !i.tradable && i.tradingsymbol === 'NIFTY 50')?.last_price ?? 0;
  const options = instruments.filter(
    (i) => i.name === 'NIFTY' && (i.instrument_type === 'CE' || i.instrument_type === 'PE'),
  );
  const nearest = options.reduce((e, i) => (e === '' || i.expiry < e ? i.expiry : e), '');
  const strikes = [...new Set(options.filter((i) => i.expiry === nearest).map((i) => i.strike))]
    .sort((a, b) => Math.abs(a - spot) - Math.abs(b - spot))
    .slice(0, 2);
  for (const i of options)
    if (i.expiry === nearest && strikes.includes(i.strike)) out.push(i.instrument_token);
  return out;
}

/** A venue, what kind it is, and how to stop it. */
export interface HostedVenue {
  readonly venue: KiteVenue;
  /** `exchange`: the matching engine (the in-memory test double serves only the kite/ protocol tests). */
  readonly kind: 'exchange';
  /** The synthetic market, or undefined with `activity: 0`. */
  readonly market: MarketSimulator | undefined;
  /** The load generator, with `ticks`. */
  readonly pump: TickPump | undefined;
  /** The simulated clock (epoch ms). */
  readonly now: () => number;
  /** Runs the market and the session up to the simulated now (the timer does it every 100 ms). */
  readonly step: () => void;
  readonly close: () => Promise<void>;
}

/** How often the market (and with it the session clock) is brought up to date, wall ms. */
const STEP_MS = 100;
/** How often the indices' values are sampled and sent, wall ms. */
const INDEX_MS = 1_000;
/**
 * How often the tick pump places what is due, wall ms: at 2,000 ticks a second, 10 a turn, each
 * on its own instrument, so no two of them meet in one snapshot.
 */
const PUMP_MS = 5;

const isAgent = (account: string): boolean => account.startsWith('MARKET:');

/** The market's view of an exchange that is built after it (the venue's), forwarding each call. */
function lateExchange(get: () => MarketExchange): MarketExchange {
  return {
    placeOrder: (p) => get().placeOrder(p),
    modifyOrder: (id, m) => get().modifyOrder(id, m),
    cancelOrder: (id) => get().cancelOrder(id),
    order: (id) => get().order(id),
    book: (exchange, symbol) => get().book(exchange, symbol),
    forget: (id) => get().forget(id),
  };
}

/** Builds the local exchange's venue and market and starts their clock. */
export function createVenue(options: VenueOptions, wallClock: () => number = Date.now): HostedVenue {
  const wallStart = wallClock();
  const base = options.start ?? wallStart;
  // A restart after the simulated clock ran ahead of the wall clock (--speed > 1) resumes from there.
  const resumeAt =
    options.state === undefined ? undefined : peekStateLastTime(options.state, formatIstDate(base));
  const simStart = Math.max(base, resumeAt ?? 0);
  const simNow = (): number => simStart + Math.floor((wallClock() - wallStart) * options.speed);
  const clock = new MarketClock(simStart);
  const tradingDate = formatIstDate(simStart);
  const instruments = loadInstruments(tradingDate);
  const activity = options.activity ?? 1;
  // The market exists before the venue so that it sees a --state replay's trades (its candles of
  // the day so far and its open interest); its orders reach the venue's exchange once there is one.
  const late: { venue?: ExchangeVenue } = {};
  const exchange = lateExchange(() => {
    if (late.venue === undefined) throw new Error('the market traded before the exchange existed');
    return late.venue.exchange;
  });
  const market =
    activity > 0
      ? new MarketSimulator({
          exchange,
          instruments,
          seed: options.seed,
          tradingDate,
          marketHours: !options.alwaysOpen,
          clock,
          activity,
          session: { tick: (t) => late.venue?.tick(t) },
          ...((options.market ?? (options.state === undefined ? 'full' : 'light')) === 'light'
            ? { tokens: lightMarketTokens(instruments) }
            : {}),
        })
      : undefined;
  const venue = new ExchangeVenue({
    now: clock.read,
    instruments,
    seed: options.seed,
    marketHours: !options.alwaysOpen,
    ...(market === undefined
      ? {}
      : {
          onExchangeEvent: (e: ExchangeEvent) => {
            market.observe(e);
          },
        }),
    ...(options.state === undefined ? {} : { stateFile: options.state }),
    catchUp: () => {
      step();
    },
  });
  late.venue = venue;
  // The agents start afresh: the quotes and orders their previous run left must not meet them.
  venue.withdrawAccounts(isAgent);
  if (market !== undefined) venue.attachMarket(market);

  let lastIndexRefresh = -Infinity;
  function step(): void {
    const now = Math.max(simNow(), clock.now);
    if (market !== undefined) {
      const m = market;
      venue.batch(() => {
        m.step(now);
      });
    } else {
      clock.now = now;
      venue.tick(now);
    }
    const wall = wallClock();
    if (wall - lastIndexRefresh >= INDEX_MS) {
      lastIndexRefresh = wall;
      venue.refreshIndices();
    }
  }
  step();
  const timer = setInterval(step, STEP_MS);
  // The clock alone must not keep the process alive.
  timer.unref();

  const ticks = options.ticks;
  if (ticks !== undefined && market === undefined)
    throw new Error('the tick pump trades against the market makers: it needs activity above 0');
  const pump =
    ticks === undefined || market === undefined
      ? undefined
      : new TickPump({
          exchange: venue.exchange,
          instruments: tickPumpInstruments(
            instruments,
            options.seed,
            ticks.instruments,
            new Set(market.animatedTokens()),
          ),
          seed: options.seed,
          rate: ticks.rate,
        });
  const pumpStart = wallClock();
  const pumpTimer =
    pump === undefined
      ? undefined
      : setInterval(() => {
          // The market first, so the pump's orders meet the current book at the current time.
          step();
          venue.batch(() => pump.fire(wallClock() - pumpStart));
        }, PUMP_MS);
  pumpTimer?.unref();
  return {
    venue,
    kind: 'exchange',
    market,
    pump,
    now: clock.read,
    step,
    close: () => {
      clearInterval(timer);
      if (pumpTimer !== undefined) clearInterval(pumpTimer);
      venue.close();
      return Promise.resolve();
    },
  };
}

/** The agents' accounts, for callers that hide them (a user never sees them). */
export const MARKET_ACCOUNTS: readonly string[] = Object.values(AGENT_ACCOUNTS);
