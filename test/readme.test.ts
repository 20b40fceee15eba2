/** The README's SDK example, run as written (against the in-process network instead of an RPC URL). */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { deployLedger } from "./helpers/ledger";
import { walletFor, hardhatClient } from "./helpers/sdk";
import {
  parseGs1,
  toDigitalLink,
  objectEvent,
  traceInput,
  TraceWriter,
  createTraceReader,
  NotAllowedError,
} from "cbec-trace";

describe("README SDK example", () => {
  it("registers, records and reads a journey through the package entry point", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const address = await ledger.getAddress();
    const writer = await TraceWriter.create({
      ledger: address,
      signer: walletFor(accounts.exporter.address), // the README adds gasPrice: 0n for zero-gas chains
    });

    const item = parseGs1("https://id.gs1.org/01/09521234543213/10/LOT7/21/0001");
    const epc = toDigitalLink(item);
    const at = (time: string) => ({ epcList: [epc], eventTime: time, location: "6901234000009" });
    const commissioning = objectEvent({
      step: "COMMISSIONING",
      disposition: "ACTIVE",
      ...at("2026-03-01T08:00:00+08:00"),
    });
    const inspection = objectEvent({
      step: "INSPECTING",
      disposition: "CONFORMANT",
      ...at("2026-03-02T09:15:00+08:00"),
    });

    const { step: _s, disposition: _d, unit: _u, ...fields } = traceInput(commissioning, item.key);
    await writer.register([{ path: item.canonicalPath, ...fields }]);
    await writer.record([traceInput(inspection, item.key)]);

    const reader = createTraceReader({ client: hardhatClient(), ledger: { address: address as `0x${string}` } });
    const journey = await reader.journey(item.key);
    expect(journey.intact).to.equal(true);
    expect(journey.entries.map((e) => e.stepName)).to.deep.equal(["COMMISSIONING", "INSPECTING"]);

    const release = objectEvent({ step: "CUSTOMS_RELEASED", ...at("2026-03-03T10:00:00+08:00") });
    const refused = await writer.record([traceInput(release, item.key)]).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(NotAllowedError);
  });
});
