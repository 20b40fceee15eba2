/**
 * The scan store on disk: counts survive a restart (a crash too: every scan is journalled before it is
 * answered), a compaction keeps them, a compaction cut short at any step leaves one consistent state, a line
 * cut short by a crash is skipped, and only unit keys and region codes are stored.
 */
import { expect } from "chai";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { ScanStore, ScanStoreError } from "../../src/scans/store";

const unit = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hex;

describe("scans: the store", () => {
  let dir: string;
  let t: number;
  const open = (compactAfter?: number) => ScanStore.open({ dir, now: () => t, compactAfter });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cbec-scans-"));
    t = 1_780_000_000;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps counts, times and regions across a restart, with no other data on disk", () => {
    const a = open();
    a.record(unit(1), "DE");
    t += 10;
    a.record(unit(1));
    a.record(unit(2), "CN");
    a.close();
    const files = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("");
    // What is stored: unit keys, times and region codes; nothing else.
    expect(files.trim().split("\n")).to.deep.equal([
      `${unit(1).slice(2)} 1780000000 DE`,
      `${unit(1).slice(2)} 1780000010 -`,
      `${unit(2).slice(2)} 1780000010 CN`,
    ]);
    const b = open();
    expect(b.get(unit(1))).to.deep.include({ count: 2, first: 1_780_000_000, last: 1_780_000_010 });
    expect(b.get(unit(1))!.regions).to.deep.equal({ DE: { count: 1, last: 1_780_000_000 } });
    expect(b.stats).to.deep.equal({ scans: 3, units: 2 });
    expect(b.has(unit(3))).to.equal(false);
    b.close();
  });

  it("compacts into a snapshot as the journal grows, and reopens to the same aggregates", () => {
    const a = open(5);
    for (let i = 0; i < 23; i++) {
      t += 60;
      a.record(unit(i % 3), i % 2 ? "FR" : "DE");
    }
    const before = [0, 1, 2].map((i) => a.get(unit(i)));
    a.close();
    expect(readdirSync(dir).sort()).to.deep.equal(["scans.journal.4", "scans.snapshot"]);
    const b = open(5);
    expect([0, 1, 2].map((i) => b.get(unit(i)))).to.deep.equal(before);
    expect(b.stats).to.deep.equal({ scans: 23, units: 3 });
    b.close();
  });

  it("a compaction stopped before its rename, or after it, loses and doubles nothing", () => {
    const a = open();
    for (let i = 0; i < 4; i++) a.record(unit(7), "DE");
    a.compact(); // generation 1
    a.record(unit(7), "DE");
    a.close();
    // Stopped after writing the temporary snapshot, before the rename: it is ignored.
    writeFileSync(join(dir, "scans.snapshot.tmp"), "garbage");
    expect(open().get(unit(7))!.count).to.equal(5);
    // Stopped after the rename, before the old journal was removed: the old journal is ignored (and removed).
    const c = open();
    c.compact(); // generation 2; keep a copy of journal 1 as if its removal never happened
    c.close();
    writeFileSync(join(dir, "scans.journal.1"), `${unit(7).slice(2)} 1780000000 DE\n`);
    const d = open();
    expect(d.get(unit(7))!.count).to.equal(5);
    expect(readdirSync(dir)).not.to.include("scans.journal.1");
    d.close();
  });

  it("skips a journal line cut short by a crash; refuses a snapshot that is not one, and bad input", () => {
    const a = open();
    a.record(unit(1));
    a.close();
    appendFileSync(join(dir, "scans.journal.0"), `${unit(1).slice(2, 30)}`);
    expect(open().get(unit(1))!.count).to.equal(1);
    const s = open();
    expect(() => s.record("0x12" as Hex)).to.throw(ScanStoreError, /Not a unit key/);
    expect(() => s.record(unit(1), "Germany")).to.throw(ScanStoreError, /Not a region code/);
    s.close();
    expect(() => s.record(unit(1))).to.throw(ScanStoreError, /closed/);
    renameSync(join(dir, "scans.journal.0"), join(dir, "keep"));
    writeFileSync(join(dir, "scans.snapshot"), '{"format":"something else"}\n');
    expect(() => open()).to.throw(ScanStoreError, /is not a scan snapshot/);
    writeFileSync(join(dir, "scans.snapshot"), '{"format":"cbec-trace/scans@1","generation":1,"scans":1}\n[1,\n');
    expect(() => open()).to.throw(ScanStoreError, /line 2 is not a unit's scans: the snapshot is damaged/);
  });
});
