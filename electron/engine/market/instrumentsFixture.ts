// A full-size instruments dump shaped like Kite's (about 100,000 rows), generated from a seed, for
// tests and the bench: there is no internet here to fetch the real one. Thousands of NSE and BSE
// equities (a few real names among generated ones), NSE and BSE indices, weekly and monthly NFO and
// BFO index option chains, stock futures and options over three monthly expiries, CDS and BCD
// currency contracts, MCX commodities. Symbols follow Kite's patterns: INFY25DECFUT,
// INFY25DEC1500CE (monthly), NIFTY25D0924000CE (weekly: year, month code 1-9/O/N/D, day).
// Not used by the engine at run time.

/** A small seeded generator (mulberry32): the same seed gives the same dump on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKLY_MONTH = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'O', 'N', 'D'];

/** Real names, so tests can search the way a trader does. */
export const FIXTURE_EQUITIES: readonly (readonly [symbol: string, name: string, price: number])[] = [
  ['INFY', 'INFOSYS', 1523.45],
  ['RELIANCE', 'RELIANCE INDUSTRIES', 1520.4],
  ['TCS', 'TATA CONSULTANCY SERV', 3150],
  ['HDFCBANK', 'HDFC BANK', 990.5],
  ['ICICIBANK', 'ICICI BANK', 1390.2],
  ['SBIN', 'STATE BANK OF INDIA', 960.35],
  ['TATAMOTORS', 'TATA MOTORS', 680.1],
  ['TATASTEEL', 'TATA STEEL', 165.2],
  ['BAJAJ-AUTO', 'BAJAJ AUTO', 8900],
  ['M&M', 'MAHINDRA & MAHINDRA', 3600.5],
  ['BHARTIARTL', 'BHARTI AIRTEL', 2050.75],
  ['ITC', 'ITC', 405.6],
  ['LT', 'LARSEN & TOUBRO', 3950],
  ['AXISBANK', 'AXIS BANK', 1230.3],
  ['KOTAKBANK', 'KOTAK MAHINDRA BANK', 2100.8],
  ['WIPRO', 'WIPRO', 250.15],
  ['HCLTECH', 'HCL TECHNOLOGIES', 1650.4],
  ['SUNPHARMA', 'SUN PHARMACEUTICAL IND', 1780.25],
  ['MARUTI', 'MARUTI SUZUKI INDIA', 15900],
  ['INFIBEAM', 'INFIBEAM AVENUES', 18.45],
  ['NIFTYBEES', 'NIP IND ETF NIFTY BEES', 290.12],
];

const INDICES: readonly (readonly [symbol: string, exchange: 'NSE' | 'BSE', price: number])[] = [
  ['NIFTY 50', 'NSE', 26000],
  ['NIFTY BANK', 'NSE', 59000],
  ['NIFTY FIN SERVICE', 'NSE', 27500],
  ['NIFTY MID SELECT', 'NSE', 13500],
  ['NIFTY NEXT 50', 'NSE', 70000],
  ['NIFTY IT', 'NSE', 37000],
  ['NIFTY AUTO', 'NSE', 27000],
  ['NIFTY PHARMA', 'NSE', 22500],
  ['INDIA VIX', 'NSE', 11],
  ['SENSEX', 'BSE', 85000],
  ['BANKEX', 'BSE', 65000],
];

interface Chain {
  readonly name: string;
  readonly exchange: 'NFO' | 'BFO';
  readonly spot: number;
  readonly step: number;
  readonly lot: number;
  readonly weeklies: number;
  readonly monthlies: number;
  readonly strikesEachSide: number;
}

const INDEX_CHAINS: readonly Chain[] = [
  {
    name: 'NIFTY',
    exchange: 'NFO',
    spot: 26000,
    step: 50,
    lot: 75,
    weeklies: 6,
    monthlies: 4,
    strikesEachSide: 60,
  },
  {
    name: 'BANKNIFTY',
    exchange: 'NFO',
    spot: 59000,
    step: 100,
    lot: 35,
    weeklies: 0,
    monthlies: 3,
    strikesEachSide: 50,
  },
  {
    name: 'FINNIFTY',
    exchange: 'NFO',
    spot: 27500,
    step: 50,
    lot: 65,
    weeklies: 0,
    monthlies: 3,
    strikesEachSide: 40,
  },
  {
    name: 'MIDCPNIFTY',
    exchange: 'NFO',
    spot: 13500,
    step: 25,
    lot: 140,
    weeklies: 0,
    monthlies: 3,
    strikesEachSide: 40,
  },
  {
    name: 'NIFTYNXT50',
    exchange: 'NFO',
    spot: 70000,
    step: 100,
    lot: 25,
    weeklies: 0,
    monthlies: 3,
    strikesEachSide: 30,
  },
  {
    name: 'SENSEX',
    exchange: 'BFO',
    spot: 85000,
    step: 100,
    lot: 20,
    weeklies: 6,
    monthlies: 2,
    strikesEachSide: 60,
  },
  {
    name: 'BANKEX',
    exchange: 'BFO',
    spot: 65000,
    step: 100,
    lot: 30,
    weeklies: 0,
    monthlies: 3,
    strikesEachSide: 30,
  },
];

/** Days since the epoch of a `YYYY-MM-DD` date. */
function dayOf(date: string): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

function dateOf(day: number): { y: number; m: number; d: number; text: string } {
  const t = new Date(day * 86_400_000);
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  return { y, m, d, text: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** The last `weekday` (0 Sunday .. 6 Saturday) of the month `months` after the trading date's. */
function lastWeekdayOfMonth(from: number, months: number, weekday: number): number {
  const f = dateOf(from);
  const end = Date.UTC(f.y, f.m - 1 + months + 1, 0) / 86_400_000;
  const dow = new Date(end * 86_400_000).getUTCDay();
  return end - ((dow - weekday + 7) % 7);
}

/** Monthly expiries on or after the trading date: the last `weekday` of each month. */
function monthlies(from: number, count: number, weekday: number): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < count; k++) {
    const e = lastWeekdayOfMonth(from, k, weekday);
    if (e >= from) out.push(e);
  }
  return out;
}

function weeklies(from: number, count: number, weekday: number): number[] {
  const out: number[] = [];
  const dow = new Date(from * 86_400_000).getUTCDay();
  for (let e = from + ((weekday - dow + 7) % 7); out.length < count; e += 7) out.push(e);
  return out;
}

function rupees(v: number, decimals: number): string {
  return String(Number(v.toFixed(decimals)));
}

/**
 * Kite's instruments CSV for `tradingDate` (`YYYY-MM-DD`), generated from `seed`: the exact header,
 * CRLF line ends, names quoted, a trailing newline (as Kite's file has). Allocates the whole text.
 */
export function generateInstrumentsCsv(tradingDate: string, seed = 1): string {
  const rnd = random(seed);
  const today = dayOf(tradingDate);
  const rows: string[] = [
    'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
  ];
  const tokens = new Map<number, number>();
  const row = (
    segmentId: number,
    symbol: string,
    name: string,
    last: string,
    expiry: string,
    strike: string,
    tick: string,
    lot: number,
    type: string,
    segment: string,
    exchange: string,
  ): void => {
    const exchangeToken = (tokens.get(segmentId) ?? 1000) + 1;
    tokens.set(segmentId, exchangeToken);
    rows.push(
      `${exchangeToken * 256 + segmentId},${exchangeToken},${symbol},"${name}",${last},${expiry},${strike},${tick},${lot},${type},${segment},${exchange}`,
    );
  };

  // Equities: the real names, then generated ones; most NSE symbols are also on BSE, and BSE lists
  // more on its own.
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const syllables = [
    'AR',
    'BHA',
    'CHE',
    'DEV',
    'GAN',
    'HIN',
    'IND',
    'JAY',
    'KAR',
    'LAK',
    'MAH',
    'NAV',
    'OM',
    'PRA',
    'RAJ',
    'SHR',
    'TAR',
    'UMA',
    'VIK',
    'YAS',
  ];
  const suffixes = [
    'INDUSTRIES',
    'FINANCE',
    'PHARMA',
    'STEEL',
    'TEXTILES',
    'POWER',
    'CHEMICALS',
    'INFRA',
    'FOODS',
    'MOTORS',
    'CAPITAL',
    'TECH',
  ];
  const equities: [string, string, number][] = FIXTURE_EQUITIES.map(([s, n, p]) => [s, n, p]);
  const symbols = new Set(equities.map((e) => e[0]));
  while (equities.length < 5000) {
    const a = syllables[Math.floor(rnd() * syllables.length)] ?? 'AR';
    const b = syllables[Math.floor(rnd() * syllables.length)] ?? 'AR';
    const symbol = `${a}${b}${letters[Math.floor(rnd() * 26)] ?? 'A'}${rnd() < 0.5 ? (letters[Math.floor(rnd() * 26)] ?? '') : ''}`;
    if (symbols.has(symbol)) continue;
    symbols.add(symbol);
    const suffix = suffixes[Math.floor(rnd() * suffixes.length)] ?? 'LTD';
    equities.push([
      symbol,
      `${a}${b.toLowerCase()} ${suffix}`.toUpperCase(),
      Math.round(rnd() * 500_000) / 100 + 5,
    ]);
  }
  equities.forEach(([symbol, name, price], k) => {
    const tick = price < 250 ? '0.01' : '0.05';
    const last = rupees(Math.round(price / Number(tick)) * Number(tick), 2);
    if (k < 3000) row(1, symbol, name, last, '', '0', tick, 1, 'EQ', 'NSE', 'NSE');
    if (k % 5 !== 4) row(4, symbol, name, last, '', '0', tick, 1, 'EQ', 'BSE', 'BSE');
  });

  for (const [symbol, exchange, price] of INDICES)
    row(9, symbol, symbol, String(price), '', '0', '0', 0, 'EQ', 'INDICES', exchange);

  const option = (
    segmentId: number,
    name: string,
    code: string,
    expiry: string,
    strikes: readonly number[],
    tick: string,
    lot: number,
    segment: string,
    exchange: string,
    decimals: number,
  ): void => {
    for (const strike of strikes) {
      const s = rupees(strike, decimals);
      for (const type of ['CE', 'PE'])
        row(segmentId, `${name}${code}${s}${type}`, name, '0', expiry, s, tick, lot, type, segment, exchange);
    }
  };
  const strikesAround = (spot: number, step: number, each: number): number[] => {
    const atm = Math.round(spot / step) * step;
    const out: number[] = [];
    for (let k = -each; k <= each; k++) out.push(atm + k * step);
    return out;
  };

  // Index futures and options: weeklies on Tuesdays (NFO) and Thursdays (BFO), monthlies on the
  // month's last such day.
  for (const c of INDEX_CHAINS) {
    const segmentId = c.exchange === 'NFO' ? 2 : 5;
    const weekday = c.exchange === 'NFO' ? 2 : 4;
    const months = monthlies(today, c.monthlies, weekday);
    for (const e of months.slice(0, 3)) {
      const d = dateOf(e);
      row(
        segmentId,
        `${c.name}${d.y % 100}${MONTHS[d.m - 1] ?? ''}FUT`,
        c.name,
        '0',
        d.text,
        '0',
        '0.05',
        c.lot,
        'FUT',
        `${c.exchange}-FUT`,
        c.exchange,
      );
    }
    const monthlySet = new Set(months);
    for (const e of weeklies(today, c.weeklies, weekday)) {
      if (monthlySet.has(e)) continue;
      const d = dateOf(e);
      const code = `${d.y % 100}${WEEKLY_MONTH[d.m - 1] ?? ''}${String(d.d).padStart(2, '0')}`;
      option(
        segmentId,
        c.name,
        code,
        d.text,
        strikesAround(c.spot, c.step, c.strikesEachSide),
        '0.05',
        c.lot,
        `${c.exchange}-OPT`,
        c.exchange,
        0,
      );
    }
    for (const e of months) {
      const d = dateOf(e);
      option(
        segmentId,
        c.name,
        `${d.y % 100}${MONTHS[d.m - 1] ?? ''}`,
        d.text,
        strikesAround(c.spot, c.step, c.strikesEachSide),
        '0.05',
        c.lot,
        `${c.exchange}-OPT`,
        c.exchange,
        0,
      );
    }
  }

  // Stock futures and options: the first 220 equities, three monthly expiries.
  const stockMonths = monthlies(today, 3, 2);
  for (const [symbol, , price] of equities.slice(0, 220)) {
    const step = price < 100 ? 1 : price < 500 ? 5 : price < 1500 ? 10 : price < 5000 ? 50 : 100;
    for (const e of stockMonths) {
      const d = dateOf(e);
      const code = `${d.y % 100}${MONTHS[d.m - 1] ?? ''}`;
      row(
        2,
        `${symbol}${code}FUT`,
        symbol,
        '0',
        d.text,
        '0',
        '0.05',
        Math.max(1, Math.round(500_000 / price / 25) * 25),
        'FUT',
        'NFO-FUT',
        'NFO',
      );
      option(
        2,
        symbol,
        code,
        d.text,
        strikesAround(price, step, 35).filter((s) => s > 0),
        '0.05',
        Math.max(1, Math.round(500_000 / price / 25) * 25),
        'NFO-OPT',
        'NFO',
        0,
      );
    }
  }

  // Currencies: CDS (divisor 1e7) and BCD (1e4), monthly futures and weekly options on Fridays.
  for (const [pair, spot] of [
    ['USDINR', 88.5],
    ['EURINR', 103.25],
    ['GBPINR', 118.75],
    ['JPYINR', 0.5825],
  ] as const) {
    for (const e of monthlies(today, 6, 3)) {
      const d = dateOf(e);
      const code = `${d.y % 100}${MONTHS[d.m - 1] ?? ''}`;
      row(3, `${pair}${code}FUT`, pair, rupees(spot, 4), d.text, '0', '0.0025', 1, 'FUT', 'CDS-FUT', 'CDS');
      row(6, `${pair}${code}FUT`, pair, rupees(spot, 4), d.text, '0', '0.0025', 1, 'FUT', 'BCD-FUT', 'BCD');
    }
    for (const e of weeklies(today, 6, 5)) {
      const d = dateOf(e);
      const code = `${d.y % 100}${WEEKLY_MONTH[d.m - 1] ?? ''}${String(d.d).padStart(2, '0')}`;
      const step = spot < 10 ? 0.0025 : 0.25;
      option(
        3,
        pair,
        code,
        d.text,
        strikesAround(spot / step, 1, 25).map((k) => k * step),
        '0.0025',
        1,
        'CDS-OPT',
        'CDS',
        4,
      );
    }
  }

  // Commodities: monthly futures, and options for the liquid ones.
  const commodities = [
    ['CRUDEOIL', 5200, 100, 1],
    ['NATURALGAS', 380, 1250, 0.1],
    ['GOLD', 128000, 1, 1],
    ['SILVER', 165000, 30, 1],
    ['COPPER', 1000, 2500, 0.05],
    ['ZINC', 290, 5000, 0.05],
    ['ALUMINIUM', 260, 5000, 0.05],
    ['LEAD', 180, 5000, 0.05],
    ['GOLDM', 128000, 10, 1],
    ['SILVERM', 165000, 5, 1],
    ['CRUDEOILM', 5200, 10, 1],
    ['NATGASMINI', 380, 250, 0.1],
  ] as const;
  commodities.forEach(([name, spot, lot, tick], k) => {
    const expiries = monthlies(today, 4, 5);
    for (const e of expiries) {
      const d = dateOf(e);
      const code = `${d.y % 100}${MONTHS[d.m - 1] ?? ''}`;
      row(
        7,
        `${name}${code}FUT`,
        name,
        rupees(spot, 2),
        d.text,
        '0',
        String(tick),
        lot,
        'FUT',
        'MCX-FUT',
        'MCX',
      );
      if (k < 6)
        option(
          7,
          name,
          code,
          d.text,
          strikesAround(spot, spot / 100, 30),
          String(tick),
          lot,
          'MCX-OPT',
          'MCX',
          2,
        );
    }
  });
  return `${rows.join('\r\n')}\r\n`;
}
