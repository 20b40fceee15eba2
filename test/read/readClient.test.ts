/**
 * The browser's lean read client (`createReadClient`): the verifier gives the same report through it as
 * through viem's full `createPublicClient`, for every demo code, and an action it lacks fails loudly.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { network } from "hardhat";
import { custom } from "viem";
import { demoFixture, verifyDemo } from "../helpers/demo";
import { hardhatClient } from "../helpers/sdk";
import { DEMO_CODES } from "../../src/demo/journey";
import { createReadClient } from "../../src/read/readClient";

describe("read: the lean read client", function () {
  this.timeout(120_000);

  it("verifies every demo code exactly as the full public client does", async () => {
    const f = await loadFixture(demoFixture);
    const lean = createReadClient({ transport: custom(network.provider) });
    for (const code of Object.values(DEMO_CODES)) {
      const full = await verifyDemo(f, code, hardhatClient());
      const viaLean = await verifyDemo(f, code, lean);
      const strip = (r: typeof full) => ({ ...r, stats: undefined });
      expect(strip(viaLean), code).to.deep.equal(strip(full));
    }
  });

  it("has no write or simulation actions", () => {
    const lean = createReadClient({ transport: custom(network.provider) }) as unknown as Record<string, unknown>;
    for (const action of ["sendTransaction", "simulateContract", "estimateGas", "multicall", "getEnsAddress"]) {
      expect(lean[action], action).to.equal(undefined);
    }
    expect(typeof lean.readContract).to.equal("function");
  });
});
