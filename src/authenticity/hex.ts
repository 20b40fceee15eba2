/** Hex parsing for the verifiers' inputs, with errors that name the field. */
import { AuthenticityInputError } from "./errors";

/**
 * Bytes of a hex string (an optional 0x, upper or lower case) of exactly `bytes` bytes (any even length if absent).
 * @throws AuthenticityInputError naming `field` when it is not.
 */
export function hexBytes(value: string, field: string, bytes?: number): Buffer {
  const hex = typeof value === "string" ? value.trim().replace(/^0x/i, "") : "";
  const ok = /^(?:[0-9a-fA-F]{2})*$/.test(hex) && (bytes === undefined || hex.length === bytes * 2);
  if (!ok) {
    const want = bytes === undefined ? "an even number of hex digits" : `${bytes * 2} hex digits (${bytes} bytes)`;
    throw new AuthenticityInputError(`${field} must be ${want}; got ${JSON.stringify(value)}.`, {
      hints: [`Copy ${field} exactly as the tag's URL or the brand's key store gives it.`],
    });
  }
  return Buffer.from(hex, "hex");
}
