/** Which failures the SDK retries: network-level ones, never a refusal that merely quotes hex. */
import { expect } from "chai";
import { isTransient, retryTransient } from "../../src/write/retry";

describe("retry: transient failures", () => {
  it("network failures and HTTP 502/503/504 are transient", () => {
    for (const message of [
      "connect ECONNREFUSED 127.0.0.1:8545",
      "socket hang up",
      "fetch failed",
      "request timeout",
      "bad response (status=502, body=…)",
      "HTTP 503 Service Unavailable",
      "504 Gateway Timeout",
    ]) {
      expect(isTransient(new Error(message)), message).to.equal(true);
    }
    expect(isTransient(Object.assign(new Error("x"), { code: "SERVER_ERROR" }))).to.equal(true);
    // An estimate the node failed to run: ethers reports "missing revert data" and keeps the node's error.
    const estimate = Object.assign(new Error('missing revert data (action="estimateGas", data=null)'), {
      code: "CALL_EXCEPTION",
      info: { error: { code: -32603, message: "upstream timeout" } },
    });
    expect(isTransient(estimate)).to.equal(true);
  });

  it("a refusal whose text quotes a signed transaction with 502 inside its hex is not transient", () => {
    const raw = "0x02f8b1827a69808502540be400850254";
    expect(isTransient(new Error(`insufficient funds (transaction="${raw}")`))).to.equal(false);
    expect(isTransient(new Error("execution reverted: TraceLedgerOutOfScope"))).to.equal(false);
  });

  it("retryTransient retries transient failures only", async () => {
    let calls = 0;
    const value = await retryTransient(
      async () => {
        if (++calls < 3) throw new Error("socket hang up");
        return "ok";
      },
      { baseDelayMs: 1 },
    );
    expect([value, calls]).to.deep.equal(["ok", 3]);
    calls = 0;
    const refused = await retryTransient(
      async () => {
        calls++;
        throw new Error("execution reverted");
      },
      { baseDelayMs: 1 },
    ).catch((e: Error) => e.message);
    expect([refused, calls]).to.deep.equal(["execution reverted", 1]);
  });
});
