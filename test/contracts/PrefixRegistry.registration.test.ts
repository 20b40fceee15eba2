/**
 * Registration under the prefix registry (2.1): the ledger hashes the code's bytes itself and requires the
 * registering organization to hold, or be authorized under, the prefix at `path[5 : 5 + prefixLength]`.
 * Every refusal is `TraceLedgerCodeNotLicensed(unit, org, holder)` (holder 0 when nobody holds what the
 * length points at), wrapped in `TraceLedgerBatchItemRejected(index, …)` in a batch, with nothing applied.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { TraceLedger } from "../../typechain-types";
import type { ITraceLedger } from "../../typechain-types/contracts/TraceLedger";
import { LIMITS } from "../../src/codes";
import { consignmentPath, itemPath, locationPath, ssccPath, unitKeyOfPath, gs1CheckDigit } from "../../src/gs1/key";
import {
  deployLedger,
  EXPORTER_PREFIX,
  GTIN,
  gtinPathUnder,
  itemKey,
  pathKey,
  registration,
  RIVAL_GTIN,
  RIVAL_PREFIX,
} from "../helpers/ledger";

/** A registration of `path` with an explicit prefix length. */
function withLength(path: string, prefixLength: number): ITraceLedger.RegistrationStruct {
  return { ...registration(pathKey(path)), prefixLength };
}

function rejected(ledger: TraceLedger, index: number, args: unknown[]): [bigint, string] {
  return [BigInt(index), ledger.interface.encodeErrorResult("TraceLedgerCodeNotLicensed", args)];
}

const SSCC_BODY = "0" + EXPORTER_PREFIX + "000000042";
const GLN_BODY = EXPORTER_PREFIX + "00001";
const GTIN13_BODY = EXPORTER_PREFIX + "00007";

/** Every kind of code the holder registers: the path and what it is. */
const HOLDER_CODES: Array<[string, string]> = [
  ["a GTIN item (lot + serial)", itemPath({ gtin: GTIN, lot: "L1", serial: "K1" })],
  ["a GTIN serial without lot", itemPath({ gtin: GTIN, serial: "K2" })],
  ["a GTIN lot", itemPath({ gtin: GTIN, lot: "L2" })],
  ["a GTIN class (the GTIN alone)", itemPath({ gtin: GTIN })],
  ["a GTIN with CPV", itemPath({ gtin: GTIN, cpv: "RED", serial: "K3" })],
  ["a GTIN-13, zero-padded to 14", itemPath({ gtin: GTIN13_BODY + gs1CheckDigit(GTIN13_BODY), serial: "K4" })],
  ["an SSCC", ssccPath(SSCC_BODY + gs1CheckDigit(SSCC_BODY))],
  ["a GINC", consignmentPath(`${EXPORTER_PREFIX}MAWB-77`)],
  ["a GLN", locationPath(GLN_BODY + gs1CheckDigit(GLN_BODY))],
  ["a GLN with extension", locationPath(GLN_BODY + gs1CheckDigit(GLN_BODY), "DOCK3")],
];

describe("PrefixRegistry: registration needs the prefix", () => {
  for (const [what, path] of HOLDER_CODES) {
    it(`the holder registers ${what}: the key is keccak256 of the path, registrant the holder`, async () => {
      const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
      expect(path.slice(Number(LIMITS.PREFIX_OFFSET), Number(LIMITS.PREFIX_OFFSET) + 7)).to.equal(EXPORTER_PREFIX);
      const unit = unitKeyOfPath(path);
      const r = withLength(path, EXPORTER_PREFIX.length);
      await expect(ledger.connect(accounts.exporter).register(r))
        .to.emit(ledger, "Traced")
        .withArgs(unit, accounts.exporter.address, r.recordHash, (info: bigint) => {
          return (info >> 184n) % 2n ** 32n === BigInt(orgIds.exporter); // bits 184-215: the org
        });
      const s = await ledger.unitState(unit);
      expect([s.seq, s.registrant, s.custodian]).to.deep.equal([1n, BigInt(orgIds.exporter), BigInt(orgIds.exporter)]);
    });
  }

  it("a prefix nobody holds → TraceLedgerCodeNotLicensed(unit, org, 0)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const path = gtinPathUnder("9529999", "S1");
    await expect(ledger.connect(accounts.exporter).register(withLength(path, 7)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(unitKeyOfPath(path), orgIds.exporter, 0);
  });

  it("another organization's prefix → TraceLedgerCodeNotLicensed(unit, org, that holder)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const path = itemPath({ gtin: RIVAL_GTIN, serial: "S1" });
    await expect(ledger.connect(accounts.exporter).register(withLength(path, RIVAL_PREFIX.length)))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(unitKeyOfPath(path), orgIds.exporter, orgIds.rival);
    expect((await ledger.unitState(unitKeyOfPath(path))).seq).to.equal(0n);
  });

  it("prefix lengths 0-3 and 13+ (up to 255) → holder 0, even on the holder's own code", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    // A long lot makes the path long enough that only the length rule refuses.
    const path = itemPath({ gtin: GTIN, lot: "L".repeat(20), serial: "S1" });
    for (const len of [0, 1, 3, Number(LIMITS.MIN_PREFIX_DIGITS) - 1, Number(LIMITS.MAX_PREFIX_DIGITS) + 1, 20, 255]) {
      await expect(ledger.connect(accounts.exporter).register(withLength(path, len)), `length ${len}`)
        .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(unitKeyOfPath(path), orgIds.exporter, 0);
    }
  });

  it("a length pointing at a shorter or longer digit run than the licence → holder 0", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const path = itemPath({ gtin: GTIN, serial: "S1" });
    for (const len of [4, 5, 6, 8, 9, 12]) {
      await expect(ledger.connect(accounts.exporter).register(withLength(path, len)), `length ${len}`)
        .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(unitKeyOfPath(path), orgIds.exporter, 0);
    }
    // The right length registers it.
    await expect(ledger.connect(accounts.exporter).register(withLength(path, 7))).to.emit(ledger, "Traced");
  });

  it("a length reaching beyond the path's end → holder 0 (no out-of-range read)", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    // "/401/" + 6 digits: 11 bytes; 7 digits from offset 5 would end at 12.
    const short = "/401/952123";
    const r = { ...withLength(short, 7), path: ethers.toUtf8Bytes(short) };
    await expect(ledger.connect(accounts.exporter).register(r))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
      .withArgs(unitKeyOfPath(short), orgIds.exporter, 0);
    // Exactly the prefix at the end of the path is in range: it registers.
    const exact = "/401/" + EXPORTER_PREFIX;
    await expect(ledger.connect(accounts.exporter).register(withLength(exact, 7))).to.emit(ledger, "Traced");
    for (const tiny of ["", "/", "/01/0"]) {
      const t = { ...withLength("/x", 7), path: ethers.toUtf8Bytes(tiny) };
      await expect(ledger.connect(accounts.exporter).register(t), JSON.stringify(tiny))
        .to.be.revertedWithCustomError(ledger, "TraceLedgerCodeNotLicensed")
        .withArgs(ethers.keccak256(ethers.toUtf8Bytes(tiny)), orgIds.exporter, 0);
    }
  });

  it("in a batch: TraceLedgerBatchItemRejected(index, TraceLedgerCodeNotLicensed(…)) and nothing applied", async () => {
    const { ledger, accounts, orgIds } = await loadFixture(deployLedger);
    const ok = [itemKey(1), itemKey(2), itemKey(3)];
    const foreign = pathKey(itemPath({ gtin: RIVAL_GTIN, serial: "B1" }));
    const ex = ledger.connect(accounts.exporter);
    await expect(
      ex.registerBatch([registration(ok[0]), registration(ok[1]), registration(foreign), registration(ok[2])]),
    )
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 2, [foreign, orgIds.exporter, orgIds.rival]));
    const wrongLength = { ...registration(ok[2]), prefixLength: 8 };
    await expect(ex.registerBatch([registration(ok[0]), wrongLength]))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerBatchItemRejected")
      .withArgs(...rejected(ledger, 1, [ok[2], orgIds.exporter, 0]));
    for (const u of [...ok, foreign]) expect((await ledger.unitState(u)).seq, u).to.equal(0n);
    // The same batch without the foreign code is applied whole.
    await (await ex.registerBatch(ok.map((u) => registration(u)))).wait();
    for (const u of ok) expect((await ledger.unitState(u)).registrant).to.equal(orgIds.exporter);
  });

  it("the licence is checked before the duplicate: the holder re-registering gets TraceLedgerUnitAlreadyRegistered", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const ex = ledger.connect(accounts.exporter);
    await (await ex.register(registration(itemKey(1)))).wait();
    await expect(ex.register(registration(itemKey(1))))
      .to.be.revertedWithCustomError(ledger, "TraceLedgerUnitAlreadyRegistered")
      .withArgs(itemKey(1));
  });
});
