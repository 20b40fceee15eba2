/**
 * The browser's lean read client (`createReadClient`): the verifier gives the same report through it as
 * through viem's full `createPublicClient`, for every demo code, and an action it lacks fails loudly.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { network } from "hardhat";
import { custom } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
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

  it("checks typed-data signatures (the verifier's ERC-1271 fallback for a signer that is not the recovered key)", async () => {
    const lean = createReadClient({ transport: custom(network.provider) });
    const account = privateKeyToAccount(generatePrivateKey());
    const typed = {
      domain: { name: "t", version: "1", chainId: 31337 },
      types: { M: [{ name: "x", type: "uint256" }] },
      primaryType: "M" as const,
      message: { x: 1n },
    };
    const signature = await account.signTypedData(typed);
    expect(await lean.verifyTypedData({ address: account.address, ...typed, signature })).to.equal(true);
    const other = privateKeyToAccount(generatePrivateKey()).address;
    expect(await lean.verifyTypedData({ address: other, ...typed, signature })).to.equal(false);
  });
});
