/**
 * The GS1 mod-10 check digit (GS1 General Specifications §7.9.1), shared by GTIN, GLN, SSCC and GSIN.
 * Browser-safe: no Node-only APIs.
 */

/** GS1 mod-10 check digit of the digits before it. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a numeric key ends with its correct check digit. */
export function hasValidCheckDigit(key: string): boolean {
  return /^[0-9]{2,}$/.test(key) && gs1CheckDigit(key.slice(0, -1)) === Number(key[key.length - 1]);
}
