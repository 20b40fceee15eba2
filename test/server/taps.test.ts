/**
 * `POST /taps/sun` (issue 17, interface 3) on the in-process Hardhat network with a deployed claims registry:
 * the brand's service checks a simulated NTAG 424 DNA tag's messages against the tag the chain binds to the
 * unit, records rising counters and refuses the rest. Each attack sits beside the flow it must not break: a good
 * tap and a copied tap URL, one message sent twice and many times at once, a forged MAC, another tag's genuine
 * message offered for this unit, an unbound unit, a tag the keys file does not hold, no service configured.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Address, Hex } from "viem";
import type { UnitClaims } from "../../typechain-types";
import { itemKey, type LedgerFixture } from "../helpers/ledger";
import { unitsFixture } from "../helpers/fixtures";
import { hardhatClient, walletFor } from "../helpers/sdk";
import { SimulatedSunTag, type SunMessage } from "../../src/authenticity/sunTag";
import { parseTagKeys, TAG_KEYS_FORMAT } from "../../src/authenticity/tagKeys";
import { createSunTapService, type SunTapService } from "../../src/authenticity/tapService";
import { createTapRoutes, parseTapRequest } from "../../src/server/tapRoutes";
import { readUnitAuthenticity, TAG_KINDS } from "../../src/authenticity";
import { parseResolverRequest } from "../../src/resolver/request";
import { claimsRefusalOf } from "../../src/authenticity/claimsRefusal";
import { createTraceServer } from "../../src/server/server";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [TAGGED, OTHER, UNBOUND, NO_KEYS] = [201, 202, 203, 204].map((n) => itemKey(n)) as Hex[];
const UIDS = { tagged: "04a1b2c3d4e501", other: "04a1b2c3d4e502", twin: "04a1b2c3d4e503", noKeys: "04a1b2c3d4e504" };
const KEYS = { sdmMetaReadKey: "a1".repeat(16), sdmFileReadKey: "b2".repeat(16) };
const OTHER_KEYS = { sdmMetaReadKey: "c3".repeat(16), sdmFileReadKey: "d4".repeat(16) };

const units = unitsFixture({ batch: [TAGGED, OTHER, UNBOUND, NO_KEYS] });

interface TapFixture extends LedgerFixture {
  claims: UnitClaims;
  address: Address;
}

async function tapFixture(): Promise<TapFixture> {
  const f = await loadFixture(units);
  const claims = await (await ethers.getContractFactory("UnitClaims")).deploy(await f.ledger.getAddress());
  const brand = claims.connect(f.accounts.exporter);
  await (await brand.bindSunTag(TAGGED, `0x${UIDS.tagged}`)).wait();
  await (await brand.bindSunTag(OTHER, `0x${UIDS.other}`)).wait();
  await (await brand.bindSunTag(NO_KEYS, `0x${UIDS.noKeys}`)).wait();
  return { ...f, claims, address: (await claims.getAddress()) as Address };
}

describe("server: POST /taps/sun (the brand's SUN tap service)", function () {
  let f: TapFixture;
  let service: SunTapService;
  let server: Server;
  let base: string;
  // The tag on TAGGED, the tag on OTHER (its own keys), and a tag that shares TAGGED's keys but is not bound to it.
  let tag: SimulatedSunTag;
  let other: SimulatedSunTag;
  let twin: SimulatedSunTag;

  const post = async (body: unknown, headers: Record<string, string> = { "content-type": "application/json" }) => {
    const res = await fetch(`${base}/taps/sun`, {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const tapOf = (unit: Hex, m: Pick<SunMessage, "e" | "c">) => post({ unit, e: m.e, c: m.c });
  const chainTag = async (unit: Hex) => (await readUnitAuthenticity(hardhatClient(), f.address, unit)).tag;
  const blockNumber = () => ethers.provider.getBlockNumber();

  before(async () => {
    f = await loadFixture(tapFixture);
    const keys = parseTagKeys(
      JSON.stringify({
        format: TAG_KEYS_FORMAT,
        tags: { [UIDS.tagged]: KEYS, [UIDS.other]: OTHER_KEYS, [UIDS.twin]: KEYS },
      }),
      "test-keys.json",
    );
    service = createSunTapService({
      client: hardhatClient(),
      claims: f.address,
      keys,
      signer: walletFor(f.accounts.exporter.address),
      send: { pollIntervalMs: 5 },
    });
    const routes = createTapRoutes({ service });
    server = createServer((req, res) => {
      if (!routes.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    [tag, other, twin] = [
      new SimulatedSunTag(UIDS.tagged, KEYS),
      new SimulatedSunTag(UIDS.other, OTHER_KEYS),
      new SimulatedSunTag(UIDS.twin, KEYS),
    ];
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  it("a good tap is recorded on chain and answered from the receipt; the chain holds the counter, no key", async () => {
    const m = tag.read();
    const { status, body } = await tapOf(TAGGED, m);
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body).to.include({ status: "verified", unit: TAGGED, uid: `0x${UIDS.tagged}`, counter: 1 });
    const receipt = await ethers.provider.getTransactionReceipt(body.txHash as string);
    expect(String(receipt!.blockNumber)).to.equal(body.blockNumber);
    const onChain = await chainTag(TAGGED);
    expect([onChain.kind, onChain.lastCounter]).to.deep.equal([TAG_KINDS.SUN, 1]);
    expect(onChain.lastTapAt).to.be.greaterThan(0);
    // The transaction carries the unit, the UID and the counter only.
    const tx = await ethers.provider.getTransaction(body.txHash as string);
    expect(tx!.data.toLowerCase()).to.not.contain(KEYS.sdmMetaReadKey).and.not.contain(KEYS.sdmFileReadKey);
  });

  it("ATTACK: a copied tap URL (counter not above the chain's) is 409 replayed, and nothing is sent", async () => {
    const first = tag.read();
    expect((await tapOf(TAGGED, first)).status).to.equal(200);
    const fresh = tag.read();
    expect((await tapOf(TAGGED, fresh)).status).to.equal(200);
    const before = await blockNumber();
    const { status, body } = await tapOf(TAGGED, first);
    expect(status).to.equal(409);
    expect(body).to.include({ error: "replayed", counter: first.counter, lastCounter: fresh.counter });
    expect(body.message).to.contain("used before");
    expect(body.zh).to.contain("已被使用过");
    expect(await blockNumber()).to.equal(before);
  });

  it("ATTACK: the same message twice, one after the other: the second is a replay", async () => {
    const m = tag.read();
    expect((await tapOf(TAGGED, m)).status).to.equal(200);
    expect((await tapOf(TAGGED, m)).body).to.include({ error: "replayed", counter: m.counter, lastCounter: m.counter });
  });

  it("ATTACK: the same message five times at once: exactly one 200, four 409, one transaction", async () => {
    const m = tag.read();
    const before = await blockNumber();
    const answers = await Promise.all(Array.from({ length: 5 }, () => tapOf(TAGGED, m)));
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409, 409, 409, 409]);
    expect(await blockNumber()).to.equal(before + 1);
    expect((await chainTag(TAGGED)).lastCounter).to.equal(m.counter);
  });

  it("ATTACK: a forged MAC, or PICCData altered, is 422 not genuine; the counter stays", async () => {
    const m = tag.read();
    const last = (await chainTag(TAGGED)).lastCounter;
    const flipped = (m.c.slice(0, -1) + (m.c.endsWith("0") ? "1" : "0")) as string;
    for (const bad of [
      { e: m.e, c: flipped },
      { e: (m.e[0] === "0" ? "1" : "0") + m.e.slice(1), c: m.c },
    ]) {
      const { status, body } = await tapOf(TAGGED, bad);
      expect(status).to.equal(422);
      expect(body).to.include({ error: "not-genuine" });
      expect(body.zh).to.be.a("string").and.not.equal("");
    }
    expect((await chainTag(TAGGED)).lastCounter).to.equal(last);
    // The genuine message still works after the forgeries.
    expect((await tapOf(TAGGED, m)).status).to.equal(200);
  });

  it("ATTACK: another tag's genuine message offered for this unit is 422 — with other keys, or with the same keys", async () => {
    const last = (await chainTag(TAGGED)).lastCounter;
    expect((await tapOf(TAGGED, other.read())).body).to.include({ error: "not-genuine" });
    // A tag personalized with the same keys (a brand that did not diversify them) still has another UID.
    const twins = twin.read();
    expect((await tapOf(TAGGED, twins)).status).to.equal(422);
    expect((await chainTag(TAGGED)).lastCounter).to.equal(last);
    // That other tag's message is good for its own unit.
    expect((await tapOf(OTHER, other.read())).body).to.include({ status: "verified", counter: 2 });
  });

  it("ATTACK: a second service instance with a stale view loses at the contract: 409 replayed, not a 500", async () => {
    const m = tag.read();
    const stale = BigInt(await blockNumber());
    expect((await tapOf(TAGGED, m)).status).to.equal(200);
    // Another instance of the service (its own queue) reads the chain from before that tap was recorded.
    const lagging = createSunTapService({
      client: {
        readContract: ((args: object) =>
          hardhatClient().readContract({ ...args, blockNumber: stale } as never)) as never,
      },
      claims: f.address,
      keys: parseTagKeys(JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { [UIDS.tagged]: KEYS } }), "k.json"),
      signer: walletFor(f.accounts.exporter.address),
      send: { pollIntervalMs: 5 },
    });
    expect(await lagging.verifyAndRecord({ unit: TAGGED, e: m.e, c: m.c })).to.deep.equal({
      outcome: "replayed",
      uid: UIDS.tagged,
      counter: m.counter,
      lastCounter: m.counter,
    });
  });

  it("ATTACK: the service's key must be the brand's: another member's key records nothing", async () => {
    const rogue = createSunTapService({
      client: hardhatClient(),
      claims: f.address,
      keys: parseTagKeys(JSON.stringify({ format: TAG_KEYS_FORMAT, tags: { [UIDS.tagged]: KEYS } }), "k.json"),
      signer: walletFor(f.accounts.platform.address),
      send: { pollIntervalMs: 5 },
    });
    const m = tag.read();
    const error = await rogue.verifyAndRecord({ unit: TAGGED, e: m.e, c: m.c }).catch((e: unknown) => e);
    expect(claimsRefusalOf(error)?.name).to.equal("UnitClaimsNotBrand");
    // Nothing was recorded: the genuine tap still records through the brand's service.
    expect((await tapOf(TAGGED, m)).status).to.equal(200);
  });

  it("a unit with no tag bound (or an unknown unit) is 404 no-tag", async () => {
    for (const unit of [UNBOUND, itemKey(299) as Hex]) {
      const { status, body } = await tapOf(unit, tag.read());
      expect([status, body.error]).to.deep.equal([404, "no-tag"]);
    }
  });

  it("a bound tag the keys file does not hold is 503 (the service cannot check it), not a verdict on the tag", async () => {
    const { status, body } = await tapOf(NO_KEYS, new SimulatedSunTag(UIDS.noKeys, KEYS).read());
    expect([status, body.error]).to.deep.equal([503, "tap-service-unavailable"]);
    expect(body.message).to.contain("no keys for this product's tag");
  });

  it("bad requests are 400 saying what to send; other methods 405", async () => {
    const m = tag.read();
    const cases: Array<[unknown, Record<string, string> | undefined, string]> = [
      [{ unit: TAGGED, e: m.e, c: m.c }, { "content-type": "text/plain" }, 'content-type is "text/plain"'],
      ["{", undefined, "not JSON"],
      [[1], undefined, "not a JSON object"],
      [{ unit: "0x12", e: m.e, c: m.c }, undefined, '"unit" must be'],
      [{ unit: TAGGED, e: m.e.slice(2), c: m.c }, undefined, '"e" must be 32 hex digits'],
      [{ unit: TAGGED, e: m.e, c: 5 }, undefined, '"c" must be 16 hex digits'],
      [{ unit: TAGGED, e: m.e, c: m.c, pad: "x".repeat(2000) }, undefined, "exceeds 1024 bytes"],
    ];
    for (const [body, headers, text] of cases) {
      const answer = await post(body, headers);
      expect([answer.status, answer.body.error], text).to.deep.equal([400, "bad-request"]);
      expect(answer.body.message).to.contain(text).and.contain('Send JSON {"unit"');
    }
    const get = await fetch(`${base}/taps/sun`);
    expect([get.status, get.headers.get("allow")]).to.deep.equal([405, "POST"]);
    expect(parseTapRequest({ unit: TAGGED.toUpperCase().replace("0X", "0x"), e: m.e, c: m.c })).to.include({
      unit: TAGGED,
    });
  });

  it("without a service every tap is 503 tap-service-unavailable", async () => {
    const routes = createTapRoutes();
    const bare = createServer((req, res) => void routes.handle(req, res));
    await new Promise<void>((done) => bare.listen(0, "127.0.0.1", done));
    try {
      const m = tag.read();
      const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/taps/sun`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ unit: TAGGED, e: m.e, c: m.c }),
      });
      const body = (await res.json()) as Record<string, string>;
      expect([res.status, body.error]).to.deep.equal([503, "tap-service-unavailable"]);
      expect(body.zh).to.contain("NFC");
    } finally {
      await new Promise<void>((done) => bare.close(() => done()));
    }
  });

  it("the platform server answers /taps/sun: with its configured service, and 503 without one", async () => {
    const manifest = {
      network: "hardhat",
      chainId: 31337,
      ledger: { address: (await f.ledger.getAddress()) as Address, deploymentBlock: 0, version: "2.2.0" },
    };
    const pageDir = mkdtempSync(join(tmpdir(), "cbec-taps-page-"));
    for (const [taps, want] of [
      [{ service }, 200],
      [undefined, 503],
    ] as const) {
      const platform = createTraceServer({ pageDir, recordsDir: pageDir, manifest, ...(taps ? { taps } : {}) });
      await new Promise<void>((done) => platform.listen(0, "127.0.0.1", done));
      try {
        const m = tag.read();
        const res = await fetch(`http://127.0.0.1:${(platform.address() as AddressInfo).port}/taps/sun`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ unit: TAGGED, e: m.e, c: m.c }),
        });
        expect(res.status).to.equal(want);
      } finally {
        await new Promise<void>((done) => platform.close(() => done()));
      }
    }
  });

  it("the resolver passes a tag's e and c on to the verification page", () => {
    const req = parseResolverRequest(
      `/01/${"06901234567892"}/21/SN0203`,
      "e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086",
    );
    expect(req.passOn).to.equal("e=EF963FF7828658A599F3041510671E88&c=94EED9EE65337086");
  });
});
