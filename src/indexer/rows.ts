/**
 * Row values as the two drivers return them: PGlite gives int8 as number (bigint when unsafe), `pg` gives
 * int8 and numeric as strings. These helpers are the one place that evens them out.
 */
import { numberToHex, type Hex } from "viem";

/** A safe integer column (block numbers, seq, org ids). */
export const int = (v: unknown): number => Number(v);

/** A bigint column (positions compared as bigint, location, aux, licences). */
export const big = (v: unknown): bigint => BigInt(typeof v === "bigint" ? v : String(v));

/** A nullable column. */
export const opt = <T>(v: unknown, f: (x: unknown) => T): T | undefined =>
  v === null || v === undefined ? undefined : f(v);

/** A uint256 as 32-byte hex (how the index stores `info`). */
export const hex = (v: bigint): Hex => numberToHex(v, { size: 32 });
