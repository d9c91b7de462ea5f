import { EM_DASH } from './priceFormat';

// Money on screen. P&L, charges and margins arrive as integer paise; rupees are written with Indian
// digit grouping (12,34,567.50) by integer arithmetic, never through a float.

function groupIndian(digits: string): string {
  if (digits.length <= 3) return digits;
  const last3 = digits.slice(-3);
  const rest = digits.slice(0, -3);
  const groups: string[] = [];
  for (let end = rest.length; end > 0; end -= 2) groups.unshift(rest.slice(Math.max(0, end - 2), end));
  return `${groups.join(',')},${last3}`;
}

function rupeesText(paise: number): string {
  const abs = Math.abs(paise);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${groupIndian(String(whole))}.${fraction}`;
}

/** Paise as rupees: `12,34,567.50`, `-42.05`; EM_DASH for a non-integer. */
export function formatRupees(paise: number): string {
  if (!Number.isSafeInteger(paise)) return EM_DASH;
  return `${paise < 0 ? '-' : ''}${rupeesText(paise)}`;
}

/** A profit or loss in paise, always signed: `+1,234.50`, `-0.05`, `0.00`. */
export function formatPnl(paise: number): string {
  if (!Number.isSafeInteger(paise)) return EM_DASH;
  const sign = paise > 0 ? '+' : paise < 0 ? '-' : '';
  return `${sign}${rupeesText(paise)}`;
}

const LAKH_PAISE = 100_000 * 100;
const CRORE_PAISE = 10_000_000 * 100;

/**
 * Paise as rupees for a tight cell: in full below a lakh (`42,315.50`), else in lakhs or crores to
 * two places, rounded down so a balance is never overstated (`1.25 L`, `99.96 L`, `1.00 Cr`).
 */
export function formatRupeesShort(paise: number): string {
  if (!Number.isSafeInteger(paise)) return EM_DASH;
  const abs = Math.abs(paise);
  if (abs < LAKH_PAISE) return formatRupees(paise);
  const [unit, name] = abs < CRORE_PAISE ? [LAKH_PAISE, 'L'] : [CRORE_PAISE, 'Cr'];
  const hundredths = Math.floor(abs / (unit / 100));
  const text = `${groupIndian(String(Math.floor(hundredths / 100)))}.${String(hundredths % 100).padStart(2, '0')}`;
  return `${paise < 0 ? '-' : ''}${text} ${name}`;
}
