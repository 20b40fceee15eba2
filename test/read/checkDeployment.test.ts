/** `checkDeployment` as a standalone read action: the chain served, the ledger at the address, its version. */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, custom, http, type Address, type PublicClient } from "viem";
import { deployLedger } from "../helpers/ledger";
import { hardhatClient, rejection } from "../helpers/sdk";
import { checkDeployment } from "../../src/read/checkDeployment";
import { createTraceReader } from "../../src/read/reader";
import { NetworkError, WrongChainError, WrongContractError } from "../../src/errors/base";

describe("checkDeployment", () => {
  it("returns the chain id served and the ledger's version; the reader's method delegates to it", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const address = (await ledger.getAddress()) as Address;
    const chainId = Number((await ethers.provider.getNetwork()).chainId);
    const expected = { chainId, version: await ledger.version() };
    expect(await checkDeployment(hardhatClient(), { address })).to.deep.equal(expected);
    expect(await checkDeployment(hardhatClient(), { address, chainId })).to.deep.equal(expected);
    const reader = createTraceReader({ client: hardhatClient(), ledger: { address, chainId } });
    expect(await reader.checkDeployment()).to.deep.equal(expected);
  });

  it("throws typed errors: another chain, no contract, another contract, an unreachable endpoint", async () => {
    const { ledger, accounts } = await loadFixture(deployLedger);
    const address = (await ledger.getAddress()) as Address;
    const wrong = await rejection(checkDeployment(hardhatClient(), { address, chainId: 999 }), WrongChainError);
    expect([wrong.expected, wrong.actual]).to.deep.equal([999n, (await ethers.provider.getNetwork()).chainId]);
    const eoa = accounts.exporter.address as Address;
    expect(
      (await rejection(checkDeployment(hardhatClient(), { address: eoa }), WrongContractError)).shortMessage,
    ).to.match(/^No contract at/);
    const mock = await (await ethers.getContractFactory("ERC1271WalletMock")).deploy(eoa);
    const other = (await mock.getAddress()) as Address;
    const notLedger = await rejection(checkDeployment(hardhatClient(), { address: other }), WrongContractError);
    expect(notLedger.shortMessage).to.equal(`The contract at ${other} is not a cbec-trace ledger.`);
    const down = createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0 }) }) as PublicClient;
    const unreachable = await rejection(checkDeployment(down, { address }), NetworkError);
    // An HTTP client's URL is named even when the caller does not pass it.
    expect(unreachable.shortMessage).to.equal("Cannot reach the JSON-RPC endpoint http://127.0.0.1:9.");
  });

  it("asks the chain id once, the code once and the version once", async () => {
    const { ledger } = await loadFixture(deployLedger);
    const methods: string[] = [];
    const counting = createPublicClient({
      transport: custom({
        request: async ({ method, params }: { method: string; params?: unknown[] }) => {
          methods.push(method);
          return network.provider.request({ method, params });
        },
      }),
    }) as PublicClient;
    await checkDeployment(counting, { address: (await ledger.getAddress()) as Address });
    expect(methods).to.deep.equal(["eth_chainId", "eth_getCode", "eth_call"]);
  });
});
