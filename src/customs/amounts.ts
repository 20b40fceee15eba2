/**
 * Money as the customs documents carry it: a decimal amount in an ISO 4217 currency, held as an integer count
 * of the currency's minor unit (cents, fen) so sums and comparisons are exact. The terms hashes commit to the
 * minor-unit count, so `129.0` and `129.00` USD are the same amount.
 */

/** Minor-unit digits of the currencies that do not use two (ISO 4217); every other currency uses two. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  JPY: 0,
  KRW: 0,
  VND: 0,
  CLP: 0,
  ISK: 0,
  UGX: 0,
  XAF: 0,
  XOF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

/** How many decimal digits the currency's minor unit has (2 unless ISO 4217 says otherwise). */
export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** An amount parsed from a record: minor units, or why the text is not an amount in that currency. */
export function parseAmount(text: string, currency: string): bigint | { problem: string } {
  const digits = minorDigits(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { problem: `is not a decimal amount such as "129.00" (digits, one optional point, no sign)` };
  const fraction = m[2] ?? "";
  if (fraction.replace(/0+$/, "").length > digits) {
    return { problem: `has more decimals than ${currency} has minor-unit digits (${digits})` };
  }
  return BigInt(m[1]) * 10n ** BigInt(digits) + BigInt((fraction + "0".repeat(digits)).slice(0, digits) || "0");
}

/** Minor units back to the decimal text with the currency's digits, e.g. 12900n USD → "129.00". */
export function formatAmount(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return minor.toString();
  const text = minor.toString().padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A decimal quantity or weight (e.g. "2", "1.25") as a scaled integer with `scale` decimals, for exact sums. */
export function parseDecimal(text: string, scale: number): bigint | { problem: string } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { problem: `is not a decimal number such as "2" or "1.25" (digits, one optional point, no sign)` };
  const fraction = m[2] ?? "";
  if (fraction.replace(/0+$/, "").length > scale) return { problem: `has more than ${scale} decimals` };
  return BigInt(m[1]) * 10n ** BigInt(scale) + BigInt((fraction + "0".repeat(scale)).slice(0, scale) || "0");
}
