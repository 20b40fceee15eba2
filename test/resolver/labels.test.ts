/**
 * QR labels and demo links point at the platform's resolver: TRACE_RESOLVER_URL is one validated setting,
 * `trace label` prints it by default (a --domain flag wins, TRACE_DL_DOMAIN is the fallback), the QR code
 * encodes exactly the resolver's domain + the canonical Digital Link path, and `npm start`'s demo links are
 * the same URIs on its own address.
 */
import { expect } from "chai";
import { toString as qrToString } from "qrcode";
import { readSetting, NetworkEnvError } from "../../src/config/env";
import { createContext } from "../../src/cli/context";
import { createOutput } from "../../src/cli/output";
import { labelSvg, labelUri } from "../../src/qrLabels";
import { parseGs1 } from "../../src/gs1";
import { demoLinks } from "../../src/demo/links";
import { DEMO_CODES } from "../../src/demo/journey";
import { parseResolverRequest } from "../../src/resolver";

const RESOLVER = "https://trace.example.cn";

describe("resolver: QR labels and demo links", () => {
  it("TRACE_RESOLVER_URL is validated once: a scheme and host, normalised; anything else names the variable", () => {
    expect(readSetting("resolverUrl", { TRACE_RESOLVER_URL: "HTTPS://trace.example.cn/" })).to.equal(RESOLVER);
    expect(readSetting("resolverUrl", {})).to.equal(undefined);
    expect(() => readSetting("resolverUrl", { TRACE_RESOLVER_URL: "trace.example.cn/dl" }))
      .to.throw(NetworkEnvError)
      .with.property("hints")
      .that.deep.equals(["Fix TRACE_RESOLVER_URL in .env (see .env.example)."]);
  });

  it("the CLI's label domain: --domain, else TRACE_RESOLVER_URL, else TRACE_DL_DOMAIN, else id.gs1.org", () => {
    const saved = { ...process.env };
    const domain = (env: Record<string, string>, flag?: string) => {
      for (const k of ["TRACE_RESOLVER_URL", "TRACE_DL_DOMAIN"]) delete process.env[k];
      Object.assign(process.env, env);
      return createContext(flag ? { domain: flag } : {}, createOutput(true)).domain;
    };
    try {
      expect(domain({ TRACE_RESOLVER_URL: RESOLVER, TRACE_DL_DOMAIN: "https://dl.example" })).to.equal(RESOLVER);
      expect(domain({ TRACE_RESOLVER_URL: RESOLVER }, "https://flag.example")).to.equal("https://flag.example");
      expect(domain({ TRACE_DL_DOMAIN: "https://dl.example" })).to.equal("https://dl.example");
      expect(domain({})).to.equal("https://id.gs1.org");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("a label on the resolver encodes its domain + the canonical path, and that path is what the resolver parses", async () => {
    const identity = parseGs1("(01)06901234567892(10)2026A01(21)SN/0001");
    const uri = labelUri(identity, { domain: RESOLVER, attributes: false });
    expect(uri).to.equal(`${RESOLVER}/01/06901234567892/10/2026A01/21/SN%2F0001`);
    expect(await labelSvg(identity, { domain: RESOLVER })).to.equal(
      await qrToString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 4 }),
    );
    const request = parseResolverRequest(new URL(uri).pathname, "");
    expect(request.identity.key).to.equal(identity.key);
  });

  it("npm start's demo links are the demo codes on its resolver", () => {
    const links = demoLinks("http://127.0.0.1:8080");
    expect(links.map((l) => l.url)).to.deep.equal([
      "http://127.0.0.1:8080/01/06901234567892/10/2026A01/21/SN0001",
      "http://127.0.0.1:8080/01/06901234567892/10/2026B07/21/SN0101",
      "http://127.0.0.1:8080/01/06901234567892/10/2026A01/21/SN9999",
      "http://127.0.0.1:8080/401/6901234MAWB784001",
    ]);
    expect(links[0].label.trim()).to.equal("authentic 正品");
    expect(demoLinks(RESOLVER)[2].url).to.equal(RESOLVER + new URL(DEMO_CODES.counterfeit).pathname);
  });
});
