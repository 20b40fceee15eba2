/** Where `npm start` serves the page (issue 15): --host in its npm and direct forms, TRACE_HOST, refusals. */
import { expect } from "chai";
import { isLoopback, reachableHost, startHost } from "../../scripts/lib/startHost";

describe("npm start --host", () => {
  it("takes --host <ip>, --host=<ip>, npm's form (npm_config_host=true + the address), TRACE_HOST, else 127.0.0.1", () => {
    expect(startHost(["--host", "0.0.0.0"], {})).to.equal("0.0.0.0");
    expect(startHost(["--host=0.0.0.0"], {})).to.equal("0.0.0.0");
    expect(startHost(["0.0.0.0"], { npm_config_host: "true" })).to.equal("0.0.0.0");
    expect(startHost([], { npm_config_host: "192.168.1.20" })).to.equal("192.168.1.20");
    expect(startHost([], { TRACE_HOST: "0.0.0.0" })).to.equal("0.0.0.0");
    expect(startHost([], {})).to.equal("127.0.0.1");
  });

  it("refuses what is not an address, naming the flag or the variable", () => {
    expect(() => startHost(["--host", "my laptop"], {})).to.throw(
      /--host.*"my laptop" must be an IP address|The host "my laptop"/,
    );
    expect(() => startHost(["--host"], {})).to.throw(/The host ""/);
    expect(() => startHost([], { TRACE_HOST: "http://x" })).to.throw(/TRACE_HOST|The host "http:\/\/x"/);
  });

  it("the address a phone opens: the first external IPv4 for 0.0.0.0, the host itself otherwise", () => {
    const ifs = {
      lo: [{ family: "IPv4", internal: true, address: "127.0.0.1" }],
      eth0: [{ family: "IPv4", internal: false, address: "192.168.1.20" }],
    } as unknown as ReturnType<typeof import("node:os").networkInterfaces>;
    expect(reachableHost("0.0.0.0", ifs)).to.equal("192.168.1.20");
    expect(reachableHost("10.0.0.5", ifs)).to.equal("10.0.0.5");
    expect(reachableHost("0.0.0.0", {})).to.equal("127.0.0.1");
    expect(isLoopback("127.0.0.1")).to.equal(true);
    expect(isLoopback("0.0.0.0")).to.equal(false);
  });
});
