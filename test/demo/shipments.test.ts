/**
 * The demo's three customs shipments (issue 14) on the in-process chain: what the ledger holds after
 * seeding — each shipment's customs state, the refused declaration of (c) with the ledger's own reason, the
 * 9810 sale filed after departure — and the records the platform store got (public forms, which the
 * off-chain match reads as the CLI does).
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Address, Hex } from "viem";
import { deployCustomsLedger, licensePrefixes, type CustomsLedgerFixture } from "../helpers/ledger";
import { hardhatClient, writerFor } from "../helpers/sdk";
import { DEMO_MEMBERS, DEMO_PREFIXES, type DemoMember } from "../../src/demo/journey";
import { seedShipments, type SeededShipments } from "../../src/demo/shipments/seed";
import { CUSTOMS_DOCUMENT_KINDS, CUSTOMS_FLAGS, STEPS } from "../../src/codes";
import { readHistory } from "../../src/read/history";
import { matchDocuments } from "../../src/customs";
import type { TraceWriter } from "../../src/write/writer";

interface Fixture extends CustomsLedgerFixture {
  seeded: SeededShipments;
  records: string;
  address: Address;
}

async function shipmentsFixture(): Promise<Fixture> {
  const f = await deployCustomsLedger();
  await licensePrefixes(f.ledger, f.admin, { [DEMO_PREFIXES[0]]: f.orgIds.exporter });
  const writers = {} as Record<DemoMember, TraceWriter>;
  for (const m of DEMO_MEMBERS) writers[m] = await writerFor(f.ledger, f.accounts[m].address);
  const records = mkdtempSync(join(tmpdir(), "cbec-shipments-"));
  const seeded = await seedShipments(writers, records);
  return { ...f, seeded, records, address: (await f.ledger.getAddress()) as Address };
}

const F = CUSTOMS_FLAGS;
const flagsOf = (mask: bigint | number) =>
  (Object.keys(F) as Array<keyof typeof F>).filter((name) => (Number(mask) & F[name]) !== 0);

describe("demo: the three customs shipments", function () {
  this.timeout(120_000);
  let f: Fixture;
  before(async () => {
    f = await loadFixture(shipmentsFixture);
  });

  const state = async (key: Hex) => {
    const [mode, declaration, flags] = await f.ledger.customsState(key);
    return { mode: Number(mode), declared: !/^0x0{64}$/.test(declaration), flags: flagsOf(flags) };
  };
  const stored = (hash: Hex) => JSON.parse(readFileSync(join(f.records, `${hash}.json`), "utf8")) as object;
  const recordOf = (name: keyof SeededShipments["keys"], kind: string) =>
    stored(f.seeded.documents[name].find((d) => d.kind === kind)!.recordHash);

  it("(a) the clean 9610 is declared, exported, FX-settled and refunded; its records agree", async () => {
    const s = await state(f.seeded.keys.clean9610);
    expect(s.mode).to.equal(9610);
    expect(s.declared).to.equal(true);
    expect(s.flags).to.include.members(["PAYMENT", "DECLARED", "EXPORTED", "FX_SETTLED", "REFUNDED"]);
    const verdict = matchDocuments({
      order: recordOf("clean9610", "ORDER"),
      payment: recordOf("clean9610", "PAYMENT"),
      waybill: recordOf("clean9610", "WAYBILL"),
      declaration: recordOf("clean9610", "DECLARATION"),
    });
    expect([verdict.ok, verdict.disagreements.length, verdict.missing.length]).to.deep.equal([true, 0, 0]);
    // The store holds public forms only: no salt, no names.
    const order = JSON.stringify(recordOf("clean9610", "ORDER"));
    expect(order).to.not.include("privacySalt").and.not.include("Anna Schmidt");
  });

  it("(c) the payment was filed but the declaration refused by the three-document match: undeclared", async () => {
    const { error } = f.seeded.refused;
    expect(error.errorName).to.equal("CustomsTermsMismatch");
    expect(Number(error.args[0])).to.equal(CUSTOMS_DOCUMENT_KINDS.PAYMENT);
    const s = await state(f.seeded.keys.mismatch9610);
    expect([s.mode, s.declared]).to.deep.equal([0, false]);
    expect(s.flags).to.include("PAYMENT").and.not.include("DECLARED");
    expect(f.seeded.documents.mismatch9610.map((d) => d.kind)).to.deep.equal(["ORDER", "PAYMENT", "WAYBILL"]);
    const verdict = matchDocuments({
      order: recordOf("mismatch9610", "ORDER"),
      payment: recordOf("mismatch9610", "PAYMENT"),
      waybill: recordOf("mismatch9610", "WAYBILL"),
    });
    expect(verdict.ok).to.equal(false);
    expect(verdict.disagreements.map((d) => [d.document, d.field, d.expected, d.actual])).to.deep.equal([
      ["payment", "amount", "139.00 USD", "129.00 USD"],
    ]);
  });

  it("(b) the 9810 is exported to the overseas warehouse and sold there after departure, then FX-settled", async () => {
    const s = await state(f.seeded.keys.overseas9810);
    expect(s.mode).to.equal(9810);
    expect(s.flags).to.include.members(["DECLARED", "EXPORTED", "PAYMENT", "FX_SETTLED"]).and.not.include("REFUNDED");
    const history = await readHistory(hardhatClient(), { address: f.address }, f.seeded.keys.overseas9810);
    const at = (step: number) => history.entries.findIndex((e) => e.step === step);
    expect(at(STEPS.WAREHOUSE_BOOKED)).to.be.lessThan(at(STEPS.CUSTOMS_DECLARED));
    expect(at(STEPS.DEPARTING)).to.be.greaterThan(at(STEPS.CUSTOMS_RELEASED));
    expect(at(STEPS.ORDER_PLACED)).to.be.greaterThan(at(STEPS.DEPARTING));
    expect(at(STEPS.ORDER_PLACED)).to.be.greaterThan(at(STEPS.CUSTOMS_EXITED));
    expect(at(STEPS.PAYMENT_RECEIVED)).to.be.greaterThan(at(STEPS.ORDER_PLACED));
    expect(at(STEPS.FX_SETTLED)).to.be.greaterThan(at(STEPS.PAYMENT_RECEIVED));
  });

  it("(b) the second 9810 consignment is exported and unsold: no order, no payment, in the warehouse", async () => {
    const s = await state(f.seeded.keys.unsold9810);
    expect(s.mode).to.equal(9810);
    expect(s.flags).to.include.members(["DECLARED", "EXPORTED"]).and.not.include.members(["PAYMENT"]);
    const history = await readHistory(hardhatClient(), { address: f.address }, f.seeded.keys.unsold9810);
    const steps = history.entries.map((e) => e.step);
    expect(steps).to.include(STEPS.STORING).and.not.include(STEPS.ORDER_PLACED);
    expect(steps.at(-1)).to.equal(STEPS.STORING);
  });
});
