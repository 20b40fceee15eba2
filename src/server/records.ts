/**
 * The server's off-chain record store: `<dir>/<0x…sha256>.json`, read by hash for the page (`/records/…`)
 * and for the proof bundles it builds. A record is only ever found by its exact lowercase hash. Node-only.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import type { EpcisEvent } from "../epcis";

/** `/records/<hash>.json` names one record: a 0x-prefixed lowercase SHA-256. */
export const RECORD_NAME = /^0x[0-9a-f]{64}$/;

/** The file of a record, or undefined when the store has none. */
export function recordFile(recordsDir: string, hash: string): string | undefined {
  if (!RECORD_NAME.test(hash)) return undefined;
  const file = join(recordsDir, `${hash}.json`);
  return existsSync(file) ? file : undefined;
}

/** A `fetchRecord` over the store (the verifier checks every record against its on-chain hash). */
export function storeFetcher(recordsDir: string): (hash: Hex) => Promise<EpcisEvent | undefined> {
  return async (hash) => {
    const file = recordFile(recordsDir, hash.toLowerCase());
    if (!file) return undefined;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as EpcisEvent;
    } catch {
      return undefined;
    }
  };
}
