/** `npm run bench:sdk` with BENCH_NETWORK=env (issue 16): what it checks on the operator's network before it sends. */
import { expect } from "chai";
import { JsonRpcProvider, Wallet } from "ethers";
import { freePort, startAnvil, type AnvilNode } from "../../src/node";
import { BenchNetworkError, networkTarget } from "../../scripts/lib/benchNetwork";

// Anvil's first development key (the well-known test mnemonic): local use only.
const KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
// Creation code whose runtime code is the single byte 0x01: "some contract" at an address.
const ONE_BYTE_CONTRACT = "0x600160005360016000f3";

describe("bench:sdk network mode (scripts/lib/benchNetwork.ts)", function () {
  this.timeout(60_000);
  let anvil: AnvilNode;
  let contract: string;
  let provider: JsonRpcProvider;

  before(async () => {
    anvil = await startAnvil({ port: await freePort(), chainId: 31_999, silent: true });
    provider = new JsonRpcProvider(anvil.url, undefined, { batchMaxCount: 1 });
    const sent = await new Wallet(KEY, provider).sendTransaction({ data: ONE_BYTE_CONTRACT });
    contract = (await sent.wait())!.contractAddress!;
  });
  after(async () => {
    provider.destroy();
    await anvil.stop();
  });

  const env = (extra: Record<string, string>) => ({
    TRACE_RPC_URL: anvil.url,
    TRACE_LEDGER: contract,
    TRACE_PRIVATE_KEY: KEY,
    ...extra,
  });

  it("refuses without TRACE_RPC_URL, naming the settings to put in .env", async () => {
    const error = await networkTarget({ TRACE_PRIVATE_KEY: KEY }).catch((e: Error) => e);
    expect(error).to.be.instanceOf(BenchNetworkError);
    expect((error as Error).message).to.match(/set TRACE_RPC_URL, TRACE_MANIFEST \(or TRACE_LEDGER\)/);
  });

  it("refuses without a ledger, another chain than TRACE_CHAIN_ID, or an address without code", async () => {
    const noLedger = await networkTarget({ TRACE_RPC_URL: anvil.url, TRACE_PRIVATE_KEY: KEY }).catch((e) => e);
    expect((noLedger as Error).message).to.match(/No ledger to write to/);

    const wrongChain = await networkTarget(env({ TRACE_CHAIN_ID: "31338" })).catch((e) => e);
    expect(wrongChain).to.be.instanceOf(BenchNetworkError);
    expect((wrongChain as Error).message).to.match(/is chain 31999, but TRACE_CHAIN_ID or the manifest says 31338/);

    const empty = Wallet.createRandom().address;
    const noCode = await networkTarget(env({ TRACE_LEDGER: empty })).catch((e) => e);
    expect((noCode as Error).message).to.equal(
      `No contract at ${empty} on chain 31999: check TRACE_MANIFEST / TRACE_LEDGER.`,
    );
  });

  it("asks for BENCH_BLOCK_TIME on a chain too short to measure, and refuses a block time that is not positive", async () => {
    const short = await networkTarget(env({})).catch((e) => e);
    expect((short as Error).message).to.match(/set BENCH_BLOCK_TIME to its block period in seconds/);
    const zero = await networkTarget(env({ BENCH_BLOCK_TIME: "0" })).catch((e) => e);
    expect((zero as Error).message).to.equal('BENCH_BLOCK_TIME must be the block period in seconds (> 0), not "0".');
  });

  it("measures the block time from the chain (median gap) and describes the endpoint without its credentials", async () => {
    // 25 blocks 3 s apart, and one 40 s gap the median must ignore.
    await provider.send("anvil_mine", ["0x19", "0x3"]);
    await provider.send("evm_increaseTime", [40]);
    await provider.send("evm_mine", []);
    const url = new URL(anvil.url);
    url.username = "member";
    url.password = "secret";
    const target = await networkTarget(env({ TRACE_RPC_URL: url.toString(), TRACE_GAS_PRICE: "0" }));
    expect(target.blockTime).to.equal(3);
    expect(target.chainId).to.equal(31_999);
    expect(target.ledger).to.equal(contract);
    expect(target.gasPrice).to.equal(0n);
    expect(target.described).to.include({
      endpoint: `127.0.0.1:${anvil.port}`,
      chainId: 31_999,
      writer: new Wallet(KEY).address,
      blockTimeSeconds: 3,
      blockTimeFrom: "median gap of the last 20 blocks",
    });
    expect(target.described.client).to.match(/anvil/i);
    expect(JSON.stringify(target.described)).not.to.match(/secret|member@|ac0974/);

    const given = await networkTarget(env({ BENCH_BLOCK_TIME: "2" }));
    expect(given.blockTime).to.equal(2);
    expect(given.described.blockTimeFrom).to.equal("BENCH_BLOCK_TIME");
  });
});
