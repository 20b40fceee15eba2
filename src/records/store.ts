/**
 * The off-chain record store: every EPCIS event is saved as `<recordHash>.json` (content-addressed, so
 * saving twice is harmless) and the chain holds the hash. The platform server (`npm start`) serves the same
 * directory by hash. Node-only.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import type { EpcisEvent } from "../epcis";

/** Where a record path puts the records it builds. */
export interface RecordSink {
  /** Keeps `record` under `hash`; the caller guarantees `hash` is the record's hash. */
  put(hash: Hex, record: EpcisEvent): void;
}

export class RecordStore implements RecordSink {
  constructor(readonly dir: string) {}

  put(hash: Hex, record: EpcisEvent): void {
    const file = this.pathOf(hash);
    if (existsSync(file)) return;
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
    renameSync(tmp, file); // atomic: a reader never sees half a record
  }

  /** The event stored under a hash, or undefined. */
  get(hash: string): EpcisEvent | undefined {
    const file = this.pathOf(hash);
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as EpcisEvent) : undefined;
  }

  private pathOf(hash: string): string {
    if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new Error(`not a record hash: ${hash}`);
    return join(this.dir, `${hash}.json`);
  }
}
