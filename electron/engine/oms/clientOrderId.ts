/**
 * Client order ids, carried to Kite as the order's `tag` (at most 20 alphanumerics; Kite returns it
 * in the order book and order updates, which is how an UNKNOWN order is found again).
 *
 * Layout (lowercase base36, 13 to 20 characters):
 *
 *     q | run time (8) | run nonce (3) | sequence (1..8)
 *
 * - `q` marks the tag as ours (orders placed elsewhere carry no tag or another app's).
 * - run time: the engine run's start time in ms since the epoch, zero-padded base36 (8 digits cover
 *   1972..2059). Each restart starts a new run, so ids never repeat across restarts as long as two
 *   runs do not start in the same millisecond with the same nonce.
 * - run nonce: 3 random base36 digits (46,656 values) against two runs sharing a millisecond (two
 *   engines, or a clock stepped back).
 * - sequence: the run's counter from 1, unpadded base36 (up to 36^8 - 1 orders per run).
 *
 * The clock and the random source are injected, so a seed reproduces a run.
 */

declare const clientOrderIdBrand: unique symbol;

/** A client order id made by `createClientOrderIdSource` or accepted by `parseClientOrderId`. */
export type ClientOrderId = string & { readonly [clientOrderIdBrand]: true };

/** The most characters Kite accepts in a tag. */
export const KITE_TAG_MAX_LENGTH = 20;

/** The first character of every id we make. */
export const CLIENT_ORDER_ID_MARK = 'q';

const RUN_TIME_DIGITS = 8;
const NONCE_DIGITS = 3;
const SEQUENCE_MAX_DIGITS = KITE_TAG_MAX_LENGTH - 1 - RUN_TIME_DIGITS - NONCE_DIGITS;
/** The length of every id's run prefix (mark, run time, nonce). */
export const CLIENT_ORDER_ID_PREFIX_LENGTH = 1 + RUN_TIME_DIGITS + NONCE_DIGITS;
const PREFIX_LENGTH = CLIENT_ORDER_ID_PREFIX_LENGTH;

/** The largest sequence number a run can issue. */
export const MAX_SEQUENCE = 36 ** SEQUENCE_MAX_DIGITS - 1;
/** The earliest run start time (ms) the 8-digit time field can hold. */
export const MIN_RUN_TIME_MS = 36 ** (RUN_TIME_DIGITS - 1);
/** The latest run start time (ms) the 8-digit time field can hold. */
export const MAX_RUN_TIME_MS = 36 ** RUN_TIME_DIGITS - 1;

const PATTERN = new RegExp(
  `^${CLIENT_ORDER_ID_MARK}([0-9a-z]{${RUN_TIME_DIGITS}})([0-9a-z]{${NONCE_DIGITS}})([1-9a-z][0-9a-z]{0,${SEQUENCE_MAX_DIGITS - 1}})$`,
);

/** The parts of a client order id. */
export interface ClientOrderIdParts {
  readonly runTimeMs: number;
  readonly runNonce: number;
  readonly sequence: number;
}

/** Issues the ids of one engine run. Not thread-safe: the engine's kernel thread only. */
export interface ClientOrderIdSource {
  /** The 12-character prefix every id of this run starts with. */
  readonly runPrefix: string;
  /** The next id. Throws RangeError once the run has issued `MAX_SEQUENCE` ids. */
  next(): ClientOrderId;
}

/**
 * A source of ids for a run that started at `runTimeMs`, with a nonce drawn from `random` (a
 * function returning [0, 1), like Math.random). Throws RangeError for a start time outside
 * MIN_RUN_TIME_MS..MAX_RUN_TIME_MS or a random value outside [0, 1).
 */
export function createClientOrderIdSource(runTimeMs: number, random: () => number): ClientOrderIdSource {
  if (!Number.isSafeInteger(runTimeMs) || runTimeMs < MIN_RUN_TIME_MS || runTimeMs > MAX_RUN_TIME_MS) {
    throw new RangeError(`run time ${runTimeMs} ms does not fit the client order id`);
  }
  const r = random();
  if (!(r >= 0 && r < 1)) throw new RangeError(`random source returned ${r}, not a number in [0, 1)`);
  const nonce = Math.floor(r * 36 ** NONCE_DIGITS);
  const runPrefix = formatClientOrderId({ runTimeMs, runNonce: nonce, sequence: 1 }).slice(0, PREFIX_LENGTH);
  let sequence = 0;
  return {
    runPrefix,
    next(): ClientOrderId {
      if (sequence >= MAX_SEQUENCE)
        throw new RangeError(`run ${runPrefix} has issued all its client order ids`);
      sequence += 1;
      return formatClientOrderId({ runTimeMs, runNonce: nonce, sequence });
    },
  };
}

/** The id formed from its parts. Throws RangeError for parts out of range. */
export function formatClientOrderId(parts: ClientOrderIdParts): ClientOrderId {
  const { runTimeMs, runNonce, sequence } = parts;
  const inRange = (n: number, lo: number, hi: number): boolean =>
    Number.isSafeInteger(n) && n >= lo && n <= hi;
  if (!inRange(runTimeMs, MIN_RUN_TIME_MS, MAX_RUN_TIME_MS))
    throw new RangeError(`run time ${runTimeMs} out of range`);
  if (!inRange(runNonce, 0, 36 ** NONCE_DIGITS - 1))
    throw new RangeError(`run nonce ${runNonce} out of range`);
  if (!inRange(sequence, 1, MAX_SEQUENCE)) throw new RangeError(`sequence ${sequence} out of range`);
  return (CLIENT_ORDER_ID_MARK +
    runTimeMs.toString(36).padStart(RUN_TIME_DIGITS, '0') +
    runNonce.toString(36).padStart(NONCE_DIGITS, '0') +
    sequence.toString(36)) as ClientOrderId;
}

/**
 * The parts of `tag` if it is one of our client order ids, else null (another app's tag, an order
 * placed on Kite web, a malformed string). Exact inverse of `formatClientOrderId`.
 */
export function parseClientOrderId(tag: string): ClientOrderIdParts | null {
  const m = PATTERN.exec(tag);
  if (m === null) return null;
  const [, time, nonce, seq] = m;
  if (time === undefined || nonce === undefined || seq === undefined) return null;
  const runTimeMs = parseInt(time, 36);
  if (runTimeMs < MIN_RUN_TIME_MS) return null;
  return { runTimeMs, runNonce: parseInt(nonce, 36), sequence: parseInt(seq, 36) };
}

/** True if `tag` is one of our client order ids. */
export function isClientOrderId(tag: string): tag is ClientOrderId {
  return parseClientOrderId(tag) !== null;
}
