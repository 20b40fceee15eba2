/**
 * The resolver's parts without a server: the levels of a Digital Link (serial → lot → CPV → GTIN), which
 * paths and `linkType` values it takes, content negotiation, the public URL check, and the links of each
 * level — a level that is not a registered unit never gets a verification link.
 */
import { expect } from "chai";
import { parseGs1, Gs1Error } from "../../src/gs1";
import {
  findLink,
  isResolverPath,
  levelLinks,
  levelsOf,
  linksetDocument,
  linksetMediaType,
  acceptsLinksetExplicitly,
  normaliseResolverUrl,
  parseLinkType,
  parseResolverRequest,
  ResolverConfigError,
  ResolverRequestError,
  withQuery,
} from "../../src/resolver";

const paths = (code: string) => levelsOf(parseGs1(code)).map((l) => l.canonicalPath);

describe("resolver: parts", () => {
  it("levels go from the unit up to its primary key, in the standard's order of qualifiers", () => {
    expect(paths("/01/09521234543213/22/V1/10/L1/21/S1?17=261231")).to.deep.equal([
      "/01/09521234543213/22/V1/10/L1/21/S1",
      "/01/09521234543213/22/V1/10/L1",
      "/01/09521234543213/22/V1",
      "/01/09521234543213",
    ]);
    expect(paths("/01/09521234543213/21/S1")).to.deep.equal(["/01/09521234543213/21/S1", "/01/09521234543213"]);
    expect(paths("/01/09521234543213/10/L1")).to.deep.equal(["/01/09521234543213/10/L1", "/01/09521234543213"]);
    expect(paths("/01/9521234543213")).to.deep.equal(["/01/09521234543213"]);
    expect(paths("/00/106141411234567897")).to.deep.equal(["/00/106141411234567897"]);
    expect(paths("/401/6901234MAWB784001")).to.deep.equal(["/401/6901234MAWB784001"]);
    expect(paths("/414/9521234543213/254/A%2F1")).to.deep.equal(["/414/9521234543213/254/A%2F1", "/414/9521234543213"]);
    // Data attributes are not part of any level's key.
    expect(levelsOf(parseGs1("/01/09521234543213/21/S1?17=261231"))[0].attributes).to.deep.equal({});
  });

  it("takes only paths that start with a numeric AI; a path prefix before the key is refused, not guessed at", () => {
    expect(isResolverPath("/01/09521234543213")).to.equal(true);
    expect(isResolverPath("/8003/x")).to.equal(true);
    for (const p of ["/", "/verify/01/09521234543213", "/bundle/01/x", "/explorer/01/x", "/products/01/x", "/rpc"]) {
      expect(isResolverPath(p), p).to.equal(false);
    }
    const refused = (p: string) => {
      try {
        parseResolverRequest(p, "");
      } catch (error) {
        return error;
      }
      throw new Error(`${p} was taken`);
    };
    expect((refused("/01/x/y/01/09521234543213") as ResolverRequestError).code).to.equal("PATH");
    expect((refused("/01/09521234543213//21/S1") as ResolverRequestError).code).to.equal("PATH");
    expect(refused("/01/09521234543212")).to.be.instanceOf(Gs1Error);
  });

  it("linkType: linkset / all, CURIEs and vocabulary URIs; anything else is a 400", () => {
    expect(parseLinkType("linkset")).to.deep.equal({ linkset: true });
    expect(parseLinkType("all")).to.deep.equal({ linkset: true });
    for (const form of [
      "gs1:pip",
      "https://gs1.org/voc/pip",
      "https://ref.gs1.org/voc/pip",
      "http://gs1.org/voc/pip",
    ]) {
      expect(parseLinkType(form), form).to.deep.equal({ linkset: false, name: "pip" });
    }
    for (const bad of ["pip", "gs1:", "gs1:pip/../x", "javascript:alert(1)", "gs1:" + "a".repeat(100)]) {
      expect(() => parseLinkType(bad), bad)
        .to.throw(ResolverRequestError)
        .with.property("status", 400);
    }
  });

  it("the query passed on drops linkType and the page's trust parameters, keeps the rest", () => {
    const r = parseResolverRequest(
      "/01/09521234543213/21/S1",
      "linkType=gs1:pip&17=261231&rpc=x&ledger=y&chain=1&utm=z",
    );
    expect(r.passOn).to.equal("17=261231&utm=z");
    expect(r.identity.attributes).to.deep.equal({ "17": "261231" });
    expect(r.linkType).to.deep.equal({ linkset: false, name: "pip" });
  });

  it("negotiation: the linkset when Accept names its media type; application/json when preferred; 406 when neither", () => {
    expect(acceptsLinksetExplicitly("application/linkset+json")).to.equal(true);
    expect(acceptsLinksetExplicitly("application/linkset+json;q=0")).to.equal(false);
    expect(acceptsLinksetExplicitly("*/*")).to.equal(false);
    expect(linksetMediaType(undefined)).to.equal("application/linkset+json");
    expect(linksetMediaType("*/*")).to.equal("application/linkset+json");
    expect(linksetMediaType("application/json")).to.equal("application/json");
    expect(linksetMediaType("application/linkset+json;q=0.5, application/json")).to.equal("application/json");
    expect(linksetMediaType("text/html")).to.equal(undefined);
  });

  it("the public URL is a scheme and host (and port) only", () => {
    expect(normaliseResolverUrl("HTTPS://trace.example.cn/")).to.equal("https://trace.example.cn");
    expect(normaliseResolverUrl("http://127.0.0.1:8080")).to.equal("http://127.0.0.1:8080");
    for (const bad of [
      "trace.example.cn",
      "https://trace.example.cn/dl",
      "https://a@b.example",
      "ftp://x",
      "https://x.example?a=1",
    ]) {
      expect(() => normaliseResolverUrl(bad), bad).to.throw(ResolverConfigError);
    }
  });

  it("links: a registered level gets the verification page; a level that is not registered never does", () => {
    const levels = levelsOf(parseGs1("/01/09521234543213/10/L1/21/S%2F1"));
    const links = levelLinks(
      levels.map((identity, i) => ({ identity, registered: i === 0 })),
      { publicUrl: "https://r.example", explorer: false },
    );
    expect(links.map((l) => l.links.map((x) => x.linkType))).to.deep.equal([
      ["defaultLink", "verificationService", "traceability", "epcis"],
      ["traceability", "epcis"],
      ["traceability", "epcis"],
    ]);
    // An encoded "/" in the serial stays encoded in every target.
    expect(findLink(links, "verificationService")!.href).to.equal(
      "https://r.example/verify/01/09521234543213/10/L1/21/S%2F1",
    );
    const unregistered = levelLinks([{ identity: levels[0], registered: false }], { publicUrl: "", explorer: true });
    expect(findLink(unregistered, "verificationService")).to.equal(undefined);
    expect(findLink(unregistered, "defaultLink")).to.equal(undefined);
    expect(findLink(unregistered, "pip")).to.equal(undefined);
    expect(unregistered[0].anchor).to.equal("https://id.gs1.org/01/09521234543213/10/L1/21/S%2F1");
    const doc = linksetDocument(links);
    expect(doc.linkset).to.have.length(3);
    expect(Object.keys(doc.linkset[0])).to.deep.equal([
      "anchor",
      "https://gs1.org/voc/defaultLink",
      "https://gs1.org/voc/verificationService",
      "https://gs1.org/voc/traceability",
      "https://gs1.org/voc/epcis",
    ]);
    expect(withQuery(findLink(links, "defaultLink")!, "17=261231")).to.match(/\?17=261231$/);
    expect(withQuery(findLink(links, "traceability")!, "17=261231")).not.to.include("17=");
  });
});
