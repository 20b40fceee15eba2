/**
 * Capture planning of customs events (issue 14): a captured ObjectEvent whose bizStep is a customs
 * document's (declaration, order, payment, FX, refund…) cannot become a plain ledger record any more — the
 * ledger takes those only as documents filed by their issuer — so each is kept off chain with the reason;
 * a gate crossing (entering_exiting, the zone entry's step) stays an ordinary record.
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { planEvents } from "../../src/capture/plan";
import { objectEvent, type EpcisEvent } from "../../src/epcis";
import type { StepName } from "../../src/codes";

const URI = "https://id.gs1.org/01/09521234543213/21/CAP1";

describe("capture plan: customs events", () => {
  const kept = new Map<Hex, EpcisEvent>();
  const sink = { put: (hash: Hex, record: EpcisEvent) => void kept.set(hash, record) };
  const event = (step: StepName) =>
    objectEvent({ step, epcList: [URI], eventTime: "2026-11-07T10:00:00+08:00" }) as unknown as EpcisEvent;

  it("keeps each customs document step off chain, saying which document it is; entering_exiting is recorded", async () => {
    const steps: Array<[StepName, string]> = [
      ["CUSTOMS_DECLARED", "DECLARATION"],
      ["ORDER_PLACED", "ORDER"],
      ["PAYMENT_RECEIVED", "PAYMENT"],
      ["WAYBILL_ISSUED", "WAYBILL"],
      ["FX_SETTLED", "FX_SETTLEMENT"],
      ["TAX_REFUNDED", "TAX_REFUND"],
    ];
    const plan = await planEvents([...steps.map(([s]) => event(s)), event("ENTERING_EXITING")], sink, async () => true);
    for (const [i, [, kind]] of steps.entries()) {
      expect(plan[i].kind, kind).to.equal("offchain");
      expect(plan[i].note).to.equal(
        `its bizStep is a customs document (${kind}): the ledger takes it only as that document, filed by its ` +
          "issuing organization with its number and terms (fileDocument), not as an event",
      );
      expect(kept.has(plan[i].recordHash), "the record is still kept").to.equal(true);
    }
    const gate = plan[steps.length];
    expect(gate.kind).to.equal("record");
    expect(gate.records).to.have.length(1);
  });
});
