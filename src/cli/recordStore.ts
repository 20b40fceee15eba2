/**
 * The off-chain record store of the CLI: every EPCIS event it builds is saved as `<recordHash>.json`
 * (content-addressed, so saving twice is harmless), and the chain holds the hash. The platform server
 * (`npm start`) serves the same directory by hash.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { recordHash, withEventId, type EpcisEvent } from "../epcis";
import type { Hex } from "viem";

export class RecordStore {
  constructor(readonly dir: string) {}

  /** Saves an event under its record hash (with its `eventID` set) and returns the hash. */
  save(event: EpcisEvent): Hex {
    const hash = recordHash(event);
    const file = this.pathOf(hash);
    if (!existsSync(file)) {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(withEventId(event), null, 2) + "\n");
      renameSync(tmp, file); // atomic: a reader never sees half a record
    }
    return hash;
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
