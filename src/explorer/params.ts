/** The ids in explorer URLs, checked: each parser says exactly what is wrong with a malformed one. */
import type { Address, Hex } from "viem";
import { ExplorerInputError } from "./errors";

const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);

/** A 32-byte hash (unit key, transaction hash). */
export function parseHash32(text: string, what: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) {
    throw new ExplorerInputError(`${quote(text)} is not a ${what}: it must be 0x followed by 64 hex digits.`);
  }
  return text.toLowerCase() as Hex;
}

/** A 20-byte account address. */
export function parseAddress(text: string): Address {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new ExplorerInputError(`${quote(text)} is not an account address: it must be 0x followed by 40 hex digits.`);
  }
  return text.toLowerCase() as Address;
}

/** A block number (decimal, at most 18 digits so it fits the index's bigint). */
export function parseBlockNumber(text: string): bigint {
  if (!/^\d{1,18}$/.test(text)) {
    throw new ExplorerInputError(`${quote(text)} is not a block number: it must be a whole number such as 1234.`);
  }
  return BigInt(text);
}

/** An organization id (1 … 2^32 − 1, as the ledger numbers them). */
export function parseOrgId(text: string): number {
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 0xffffffff) {
    throw new ExplorerInputError(`${quote(text)} is not an organization id: it must be a whole number from 1.`);
  }
  return n;
}
