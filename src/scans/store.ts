/**
 * The platform's scan counts (issue 17): per unit, how often its proof or page was served, when first and
 * last, from which coarse regions, and what the suspicious-scanning rules found. Nothing else is kept: no IP
 * address, no user agent, no request. Node-only.
 *
 * Storage is a directory of its own, apart from the ledger index (an index rebuild drops its tables; counts
 * are the platform's history and cannot be rebuilt from the chain). The aggregates live in memory, one entry
 * per scanned unit, so a scan and a read are constant time whatever the total. Every scan is appended to a
 * journal as it happens (one short line, written before the request is answered, so a crash of the process
 * keeps it); once the journal holds as many scans as there are units (and at least `compactAfter`), the
 * aggregates are written to a snapshot and a new journal begins, so opening reads one snapshot line per unit
 * and at most that many journal lines. Files carry a generation number, and a crash at any point of a
 * compaction leaves one consistent pair (see `compact`). One process opens a directory at a time.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { TraceError } from "../errors/base";
import { addScan, DEFAULT_SCAN_RULES, type ScanRules, type UnitScans } from "./rules";

/** The snapshot's format tag (its first line). */
export const SNAPSHOT_FORMAT = "cbec-trace/scans@1";

export interface ScanStoreOptions {
  /** The store's directory (created when missing). */
  dir: string;
  rules?: ScanRules;
  /** Current time in Unix seconds (tests). */
  now?: () => number;
  /** Fewest journal lines before a compaction (default 100,000). */
  compactAfter?: number;
}

/** The scan store's directory holds something it cannot read. */
export class ScanStoreError extends TraceError {
  override name = "ScanStoreError" as const;
}

const UNIT = /^0x[0-9a-f]{64}$/;
const SNAPSHOT = "scans.snapshot";
const journalName = (generation: number) => `scans.journal.${generation}`;
const JOURNAL = /^scans\.journal\.(\d+)$/;

export class ScanStore {
  private readonly units = new Map<string, UnitScans>();
  private generation = 0;
  private journalLines = 0;
  private fd: number | undefined;
  private total = 0;
  readonly rules: ScanRules;
  private readonly now: () => number;
  private readonly compactAfter: number;

  private constructor(
    private readonly dir: string,
    options: ScanStoreOptions,
  ) {
    this.rules = options.rules ?? DEFAULT_SCAN_RULES;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.compactAfter = Math.max(1, options.compactAfter ?? 100_000);
  }

  /** Opens (or creates) the store in `options.dir`: the snapshot, then the journals written after it. */
  static open(options: ScanStoreOptions): ScanStore {
    const store = new ScanStore(options.dir, options);
    mkdirSync(options.dir, { recursive: true });
    store.load();
    store.fd = openSync(join(options.dir, journalName(store.generation)), "a");
    return store;
  }

  /** Scans recorded in total, and units scanned. */
  get stats(): { scans: number; units: number } {
    return { scans: this.total, units: this.units.size };
  }

  /** Whether `unit` was ever scanned. */
  has(unit: Hex): boolean {
    return this.units.has(unit.toLowerCase().slice(2));
  }

  /** The unit's aggregate, or undefined when it was never scanned. */
  get(unit: Hex): Readonly<UnitScans> | undefined {
    return this.units.get(unit.toLowerCase().slice(2));
  }

  /** Counts one scan of `unit` now, from `region` (an ISO 3166-1 alpha-2 code) when known. */
  record(unit: Hex, region?: string): void {
    if (this.fd === undefined) throw new ScanStoreError("The scan store is closed.");
    const key = unit.toLowerCase();
    if (!UNIT.test(key)) throw new ScanStoreError(`Not a unit key: ${JSON.stringify(unit)}.`);
    if (region !== undefined && !/^[A-Z]{2}$/.test(region)) {
      throw new ScanStoreError(`Not a region code: ${JSON.stringify(region)}.`);
    }
    const t = this.now();
    writeSync(this.fd, `${key.slice(2)} ${t} ${region ?? "-"}\n`);
    this.apply(key.slice(2), t, region);
    if (++this.journalLines >= Math.max(this.compactAfter, this.units.size)) this.compact();
  }

  /** Writes the aggregates to a new snapshot and starts a new journal (also done as the journal grows). */
  compact(): void {
    const next = this.generation + 1;
    const tmp = join(this.dir, `${SNAPSHOT}.tmp`);
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify({ format: SNAPSHOT_FORMAT, generation: next, scans: this.total }) + "\n");
      let chunk: string[] = [];
      for (const [unit, scans] of this.units) {
        chunk.push(JSON.stringify([unit, scans]));
        if (chunk.length === 4_096) {
          writeSync(fd, chunk.join("\n") + "\n");
          chunk = [];
        }
      }
      if (chunk.length) writeSync(fd, chunk.join("\n") + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // The rename is the commit: before it, the old snapshot and its journal stand; after it, the new snapshot
    // does, and journals of older generations are ignored (and removed here or at the next open).
    renameSync(tmp, join(this.dir, SNAPSHOT));
    if (this.fd !== undefined) closeSync(this.fd);
    rmSync(join(this.dir, journalName(this.generation)), { force: true });
    this.generation = next;
    this.journalLines = 0;
    this.fd = openSync(join(this.dir, journalName(next)), "a");
  }

  /** Closes the journal (what was recorded is already in it). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private apply(unit: string, t: number, region: string | undefined) {
    this.units.set(unit, addScan(this.units.get(unit), t, region, this.rules));
    this.total++;
  }

  private load() {
    const snapshot = join(this.dir, SNAPSHOT);
    if (existsSync(snapshot)) {
      const lines = readFileSync(snapshot, "utf8").split("\n");
      let header: { format?: unknown; generation?: unknown; scans?: unknown };
      try {
        header = JSON.parse(lines[0]);
      } catch {
        header = {};
      }
      if (header.format !== SNAPSHOT_FORMAT || !Number.isSafeInteger(header.generation)) {
        throw new ScanStoreError(`${snapshot} is not a scan snapshot (${SNAPSHOT_FORMAT}).`, {
          hints: ["Point the scan store at its own directory (TRACE_SCANS_DIR); never at another store's files."],
        });
      }
      this.generation = header.generation as number;
      this.total = Number(header.scans) || 0;
      for (let i = 1; i < lines.length; i++) {
        if (lines[i] === "") continue;
        let entry: [string, UnitScans];
        try {
          entry = JSON.parse(lines[i]) as [string, UnitScans];
        } catch {
          throw new ScanStoreError(`${snapshot} line ${i + 1} is not a unit's scans: the snapshot is damaged.`, {
            hints: ["Restore the directory from a backup; a snapshot is only ever replaced whole, by a rename."],
          });
        }
        this.units.set(entry[0], entry[1]);
      }
    }
    const journals = readdirSync(this.dir)
      .map((name) => Number(JOURNAL.exec(name)?.[1] ?? NaN))
      .filter((g) => Number.isSafeInteger(g))
      .sort((a, b) => a - b);
    for (const g of journals) {
      const file = join(this.dir, journalName(g));
      // Older than the snapshot: its scans are in it already (a compaction stopped before removing it).
      if (g < this.generation) {
        rmSync(file, { force: true });
        continue;
      }
      for (const line of readFileSync(file, "utf8").split("\n")) {
        // A line cut short by a crash (or any line not of the form) is skipped: it was never answered.
        const m = /^([0-9a-f]{64}) (\d+) ([A-Z]{2}|-)$/.exec(line);
        if (!m) continue;
        this.apply(m[1], Number(m[2]), m[3] === "-" ? undefined : m[3]);
        this.journalLines++;
      }
      this.generation = Math.max(this.generation, g);
    }
  }
}
