/** Keys from encrypted keystores, for the consortium network config and the CLI; secrets never in errors. */
import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Wallet } from "ethers";
import { NetworkEnvError } from "../../src/config/env";
import { decryptKeystore } from "../../src/config/keystore";
import { consortiumNetwork } from "../../src/config/network";
import { main } from "../../src/cli/index";

describe("keystores", function () {
  this.timeout(60_000);
  const wallet = Wallet.createRandom();
  const dir = mkdtempSync(join(tmpdir(), "cbec-keys-"));
  const file = join(dir, "admin.json");
  before(() => writeFileSync(file, wallet.encryptSync("correct horse")));

  it("the consortium network takes its key from a keystore and its password", () => {
    const net = consortiumNetwork({
      TRACE_RPC_URL: "http://127.0.0.1:8545",
      TRACE_CHAIN_ID: "1337",
      TRACE_DEPLOYER_KEYSTORE: file,
      TRACE_DEPLOYER_KEYSTORE_PASSWORD: "correct horse",
    });
    expect(net?.accounts).to.deep.equal([wallet.privateKey]);
  });

  it("a wrong or missing password, or both key kinds at once, are refused without showing secrets", () => {
    for (const [env, pattern] of [
      [{ TRACE_DEPLOYER_KEYSTORE_PASSWORD: "wrong" }, /could not be decrypted/],
      [{}, /needs its password/],
      [{ TRACE_DEPLOYER_KEYSTORE_PASSWORD: "correct horse", TRACE_DEPLOYER_KEY: wallet.privateKey }, /not both/],
    ] as const) {
      try {
        consortiumNetwork({
          TRACE_RPC_URL: "http://127.0.0.1:8545",
          TRACE_CHAIN_ID: "1337",
          TRACE_DEPLOYER_KEYSTORE: file,
          ...env,
        });
        expect.fail("accepted");
      } catch (error) {
        expect(error).to.be.instanceOf(NetworkEnvError);
        expect((error as Error).message).to.match(pattern);
        expect((error as Error).message).to.not.include(wallet.privateKey.slice(2, 12));
        expect((error as Error).message).to.not.include("correct horse");
      }
    }
    expect(decryptKeystore(file, "correct horse")).to.equal(wallet.privateKey);
  });

  it("the CLI refuses a keystore without its password before anything else (exit 2)", async () => {
    const saved = process.env.TRACE_KEYSTORE_PASSWORD;
    delete process.env.TRACE_KEYSTORE_PASSWORD;
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const code = await main([
        "--key-file",
        file,
        "--ledger",
        wallet.address,
        "--rpc",
        "http://127.0.0.1:9",
        "record",
        "(01)09521234543213(21)1",
        "--step",
        "storing",
      ]);
      expect(code).to.equal(2);
    } finally {
      process.stderr.write = original;
      if (saved !== undefined) process.env.TRACE_KEYSTORE_PASSWORD = saved;
    }
    expect(writes.join("")).to.not.include(wallet.privateKey.slice(2, 12));
  });
});
