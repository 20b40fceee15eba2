/**
 * The claim relay (issue 17, interface 1) on the platform server over the in-process network with a deployed
 * claims registry. Each rule beside its attack: a claim once and twice; a wrong code (no transaction: the
 * relayer's nonce and the block stay); a secret revealed for one unit replayed on another; no commitment;
 * buyers racing with the same code (one 200, the rest 409, one transaction); the platform trying to claim
 * without the secret (nothing it can send succeeds); rate limits that stop a bot and let a buyer retry; bad
 * bodies refused with what to send.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { keccak256, type Hex } from "viem";
import type { UnitClaims } from "../../typechain-types";
import { unitsFixture } from "../helpers/fixtures";
import { GTIN, itemKey, type LedgerFixture } from "../helpers/ledger";
import { verifyWithBundle } from "../../src/bundle/verify";
import type { ProofBundle } from "../../src/bundle/types";
import { advance } from "../helpers/actors";
import { walletFor } from "../helpers/sdk";
import { startInProcessRpc, type InProcessRpc } from "../helpers/inProcessRpc";
import { claimCommitment, claimSecret, generateClaimCode } from "../../src/authenticity";
import { STAGES } from "../../src/codes";
import type { DeploymentManifest } from "../../src/config/manifest";
import type { ClaimRelayOptions } from "../../src/server/claimRoutes";
import { fixtureManifest, serveOnFixture, type RunningServer } from "./platformOnFixture";

const [DELIVERED, FRESH, OTHER, RACED, SPARE, LIMITED, BUDGET1, BUDGET2, BARE, FRONT] = [
  301, 302, 303, 304, 305, 306, 307, 308, 309, 310,
].map((n) => itemKey(n));
const COMMITTED = [DELIVERED, FRESH, OTHER, RACED, SPARE, LIMITED, BUDGET1, BUDGET2, FRONT];
const units = unitsFixture({
  batch: [...COMMITTED, BARE],
  assigns: [
    [DELIVERED, "carrier", "carrier"],
    [DELIVERED, "broker", "broker"],
  ],
});

interface Fixture extends LedgerFixture {
  claims: UnitClaims;
  codes: Record<string, string>;
}

async function claimsFixture(): Promise<Fixture> {
  const f = await loadFixture(units);
  await advance(f, DELIVERED, "DELIVERED");
  const claims = await (await ethers.getContractFactory("UnitClaims")).deploy(await f.ledger.getAddress());
  const at = { chainId: 31337, claims: (await claims.getAddress()) as Hex };
  const codes: Record<string, string> = {};
  for (const u of COMMITTED) codes[u] = generateClaimCode();
  await (
    await claims.connect(f.accounts.exporter).commitClaims(
      COMMITTED,
      COMMITTED.map((u) => claimCommitment(at, u as Hex, claimSecret(codes[u]))),
    )
  ).wait();
  return { ...f, claims, codes };
}

type Answer = { status: number; body: Record<string, unknown>; headers: Headers };

describe("server: the claim relay (POST /claims)", function () {
  this.timeout(60_000);
  let f: Fixture;
  let rpc: InProcessRpc;
  let manifest: DeploymentManifest;
  let relayer: ReturnType<typeof walletFor>;
  let server: RunningServer;
  const servers: RunningServer[] = [];
  const serve = async (claimRelay: ClaimRelayOptions = {}, m = manifest) => {
    const s = await serveOnFixture(rpc, m, { claimRelay: { relayerKey: relayer.privateKey, ...claimRelay } });
    servers.push(s);
    return s;
  };
  const post = async (body: unknown, base = server.base, init: RequestInit = {}): Promise<Answer> => {
    const res = await fetch(`${base}/claims`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...init,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
  };
  const claimWith = (unit: string, code: string, base?: string) => post({ unit, secret: claimSecret(code) }, base);
  /** The relayer's nonce and the chain's height: a refused claim moves neither. */
  const chainMark = async () => [
    await ethers.provider.getTransactionCount(relayer.address),
    await ethers.provider.getBlockNumber(),
  ];

  before(async () => {
    f = await loadFixture(claimsFixture);
    relayer = walletFor(f.spare[f.spare.length - 1].address);
    rpc = await startInProcessRpc();
    manifest = await fixtureManifest(await f.ledger.getAddress(), await f.claims.getAddress());
    server = await serve();
  });
  after(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    await rpc?.close();
  });

  it("claims once: 200 from the receipt, as the chain records it; a claim before delivery carries its stage", async () => {
    const { status, body } = await claimWith(DELIVERED, f.codes[DELIVERED]);
    expect(status).to.equal(200);
    const [, claimedAt, claimBlock, stage] = await f.claims.claimOf(DELIVERED);
    expect(body).to.deep.equal({
      status: "claimed",
      unit: DELIVERED,
      txHash: body.txHash,
      blockNumber: claimBlock.toString(),
      claimedAt: Number(claimedAt),
      stage: STAGES.DELIVERED,
    });
    expect(Number(stage)).to.equal(STAGES.DELIVERED);
    const tx = await ethers.provider.getTransaction(body.txHash as string);
    expect(tx!.from).to.equal(relayer.address);
    // Typed in another case and with the code's own grouping: the same secret.
    const fresh = await claimWith(FRESH, f.codes[FRESH].toLowerCase().replace(/-/g, " "));
    expect(fresh.status).to.equal(200);
    expect(fresh.body.stage).to.equal(STAGES.ACTIVE); // claimed before delivery: the verdict shows it as such
  });

  it("the server's proof bundle carries the unit's claim: the buyer's verifier reads it in the bundle's one round trip", async () => {
    const code = `https://id.gs1.org/01/${GTIN}/10/LOT1/21/S301`;
    const res = await fetch(`${server.base}/bundle?code=${encodeURIComponent(code)}`);
    expect(res.status).to.equal(200);
    const bundle = (await res.json()) as ProofBundle;
    const registry = (await f.claims.getAddress()).toLowerCase();
    const reads = bundle.requests.filter((r) => JSON.stringify(r.params).toLowerCase().includes(registry));
    expect(reads.length, "registry reads in the bundle").to.be.greaterThan(0);
    const report = await verifyWithBundle(code, bundle, {
      rpcUrl: rpc.url,
      ledger: {
        address: manifest.ledger.address,
        chainId: manifest.chainId,
        version: manifest.ledger.version,
        deploymentBlock: 0n,
      },
      claims: { address: manifest.claims!.address },
    });
    expect(report.unit?.key).to.equal(DELIVERED);
    expect(report.authenticity?.claim.claimed).to.equal(true);
    expect([report.stats.source, report.stats.roundTrips, report.stats.bundle?.misses]).to.deep.equal(["bundle", 1, 0]);
  });

  it("ATTACK claim twice: 409 already-claimed with the first claim's time, and no transaction", async () => {
    const mark = await chainMark();
    const sent = rpc.sent;
    const { status, body } = await claimWith(DELIVERED, f.codes[DELIVERED]);
    expect(status).to.equal(409);
    expect(body.error).to.equal("already-claimed");
    expect(body.claimedAt).to.equal(Number((await f.claims.claimOf(DELIVERED))[1]));
    expect(body.message).to.match(/already claimed on \d{4}-\d\d-\d\d.*likely carries a copy/);
    expect(body.zh).to.match(/已于.*被认领/);
    expect([await chainMark(), rpc.sent]).to.deep.equal([mark, sent]);
  });

  it("ATTACK wrong code: 422 wrong-code, checked off chain (the relayer's nonce and the block do not move)", async () => {
    const mark = await chainMark();
    const sent = rpc.sent;
    const wrong = await claimWith(OTHER, generateClaimCode());
    expect(wrong.status).to.equal(422);
    expect(wrong.body).to.include({ error: "wrong-code" });
    expect(wrong.body).not.to.have.property("claimedAt");
    // On a claimed unit, a different code is a copy's: said so, with the claim's time.
    const copy = await claimWith(DELIVERED, generateClaimCode());
    expect(copy.status).to.equal(422);
    expect(copy.body.message).to.match(/already claimed: the code in your hands likely belongs to a copy/);
    expect(copy.body.claimedAt).to.be.a("number");
    expect([await chainMark(), rpc.sent]).to.deep.equal([mark, sent]);
  });

  it("ATTACK replay: the secret revealed in one unit's Claimed log opens no other unit", async () => {
    const [log] = await f.claims.queryFilter(f.claims.filters.Claimed(DELIVERED));
    const revealed = log.args.secret;
    const mark = await chainMark();
    const replay = await post({ unit: OTHER, secret: revealed });
    expect(replay.status).to.equal(422);
    expect(await chainMark()).to.deep.equal(mark);
    // The contract agrees: sent directly, the replay reverts.
    await expect(f.claims.connect(f.stranger).claim(OTHER, revealed))
      .to.be.revertedWithCustomError(f.claims, "UnitClaimsWrongSecret")
      .withArgs(OTHER);
    expect((await claimWith(OTHER, f.codes[OTHER])).status).to.equal(200);
  });

  it("no commitment, or no such unit: 404 no-commitment, nothing sent", async () => {
    const mark = await chainMark();
    for (const unit of [BARE, keccak256("0x1234")]) {
      const { status, body } = await claimWith(unit, generateClaimCode());
      expect(status, unit).to.equal(404);
      expect(body.error).to.equal("no-commitment");
    }
    expect(await chainMark()).to.deep.equal(mark);
  });

  it("ATTACK race: five buyers with the same code at once get one 200 and four 409, for one transaction", async () => {
    const sent = rpc.sent;
    const answers = await Promise.all(Array.from({ length: 5 }, () => claimWith(RACED, f.codes[RACED])));
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409, 409, 409, 409]);
    expect(rpc.sent - sent).to.equal(1);
  });

  it("ATTACK front-run: a claim from the mempool that lands first makes the relay's answer a 409, not an error", async () => {
    const secret = claimSecret(f.codes[FRONT]);
    await ethers.provider.send("evm_setAutomine", [false]);
    try {
      // The relay checks (unclaimed), then sends; its transaction waits in the mempool…
      const relayed = post({ unit: FRONT, secret });
      while ((await ethers.provider.send("eth_getBlockByNumber", ["pending", false])).transactions.length === 0) {
        await new Promise((done) => setTimeout(done, 5));
      }
      // … where a watcher copies the secret into its own claim with a higher tip, and both are mined together.
      const fee = await ethers.provider.getFeeData();
      await f.claims.connect(f.stranger).claim(FRONT, secret, {
        maxPriorityFeePerGas: fee.maxPriorityFeePerGas! * 10n,
        maxFeePerGas: fee.maxFeePerGas! * 10n,
      });
      await ethers.provider.send("evm_mine", []);
      const { status, body } = await relayed;
      expect([status, body.error]).to.deep.equal([409, "already-claimed"]);
      expect(body.claimedAt).to.equal(Number((await f.claims.claimOf(FRONT))[1]));
    } finally {
      await ethers.provider.send("evm_setAutomine", [true]);
    }
  });

  it("ATTACK the platform without the secret: nothing the relayer can send claims the unit", async () => {
    const as = f.claims.connect(relayer.connect(ethers.provider));
    const at = { chainId: 31337, claims: (await f.claims.getAddress()) as Hex };
    const [commitment] = await f.claims.claimOf(SPARE);
    // What the platform knows or can compute: the commitment itself, hashes of it, zero, another unit's secret,
    // the right code for another deployment, and the secret bound to another unit.
    const candidates = [
      commitment,
      keccak256(commitment as Hex),
      ethers.ZeroHash,
      claimSecret(f.codes[OTHER]),
      claimCommitment({ ...at, chainId: 1 }, SPARE as Hex, claimSecret(f.codes[SPARE])),
      claimCommitment(at, SPARE as Hex, claimSecret(f.codes[SPARE])),
    ];
    for (const secret of candidates) {
      await expect(as.claim(SPARE, secret)).to.be.revertedWithCustomError(f.claims, "UnitClaimsWrongSecret");
      expect((await post({ unit: SPARE, secret })).status).to.equal(422);
    }
    expect((await f.claims.claimOf(SPARE))[1]).to.equal(0n);
  });

  it("rate limits stop a bot spraying codes at a unit, let a buyer retry later, and cap transactions overall", async () => {
    let now = 1_000_000;
    const s = await serve({
      now: () => now,
      limits: { perUnit: { attempts: 3, windowSeconds: 600 }, transactions: { count: 1, windowSeconds: 60 } },
    });
    for (let i = 0; i < 3; i++) expect((await claimWith(LIMITED, generateClaimCode(), s.base)).status).to.equal(422);
    const limited = await claimWith(LIMITED, f.codes[LIMITED], s.base);
    expect(limited.status).to.equal(429);
    expect(limited.body).to.include({ error: "rate-limited", retryAfter: 600 });
    expect(limited.headers.get("retry-after")).to.equal("600");
    expect(limited.body.message).to.match(/Too many claim attempts for this product: try again in 10 minutes/);
    // Another unit is not held up by the bot.
    expect((await claimWith(BUDGET1, f.codes[BUDGET1], s.base)).status).to.equal(200);
    // The transaction budget (1 a minute here) is spent: a valid claim waits, and nothing is sent.
    const sent = rpc.sent;
    const busy = await claimWith(BUDGET2, f.codes[BUDGET2], s.base);
    expect([busy.status, busy.body.error, rpc.sent]).to.deep.equal([429, "rate-limited", sent]);
    // LEGIT: the buyer retries after the window with the right code.
    now += 601;
    expect((await claimWith(LIMITED, f.codes[LIMITED], s.base)).status).to.equal(200);
    expect((await claimWith(BUDGET2, f.codes[BUDGET2], s.base)).status).to.equal(429); // one a minute
    now += 60;
    expect((await claimWith(BUDGET2, f.codes[BUDGET2], s.base)).status).to.equal(200);
  });

  it("while the ledger is paused: 503 relay-unavailable saying so, and the code stays claimable", async () => {
    await (await f.ledger.connect(f.admin).pause()).wait();
    try {
      const { status, body } = await claimWith(SPARE, f.codes[SPARE]);
      expect([status, body.error]).to.deep.equal([503, "relay-unavailable"]);
      expect(body.message).to.match(/ledger is paused/);
    } finally {
      await (await f.ledger.connect(f.admin).unpause()).wait();
    }
    expect((await f.claims.claimOf(SPARE))[1]).to.equal(0n);
  });

  it("refuses bad requests with 400 saying what to send; nothing is sent", async () => {
    const mark = await chainMark();
    const secret = claimSecret(generateClaimCode());
    const cases: Array<[unknown, RegExp, RequestInit?]> = [
      ["{not json", /not JSON/],
      ["[1,2]", /JSON object/],
      [{ unit: SPARE }, /"secret" must be 0x and 64 hex digits/],
      [{ unit: SPARE, secret: secret.slice(0, 40) }, /"secret" must be 0x and 64 hex digits/],
      [{ unit: SPARE, secret: f.codes[SPARE] }, /never the code itself/],
      [{ unit: "0x1234", secret }, /"unit" must be the unit key/],
      [{ unit: SPARE, secret, buyer: "me" }, /Unknown field\(s\): buyer/],
      [JSON.stringify({ unit: SPARE, secret, pad: "x".repeat(2_000) }), /larger than 1024 bytes/],
      [
        { unit: SPARE, secret },
        /must be JSON \(content-type: application\/json\), not "text\/plain"/,
        { headers: { "content-type": "text/plain" } },
      ],
    ];
    for (const [body, message, init] of cases) {
      const answer = await post(body, server.base, init);
      expect(answer.status, String(message)).to.equal(400);
      expect(answer.body.error).to.equal("bad-request");
      expect(answer.body.message)
        .to.match(message)
        .and.to.match(/Send \{"unit": "0x<64 hex digits/);
      expect(answer.body.zh).to.be.a("string").and.not.equal("");
    }
    const get = await fetch(`${server.base}/claims`);
    expect([get.status, get.headers.get("allow")]).to.deep.equal([405, "POST"]);
    expect(await chainMark()).to.deep.equal(mark);
  });

  it("without a relayer key or a claims registry: 503 relay-unavailable, saying why", async () => {
    const saved = process.env.TRACE_RELAYER_KEY;
    delete process.env.TRACE_RELAYER_KEY;
    try {
      const noKey = await serveOnFixture(rpc, manifest);
      servers.push(noKey);
      const a = await claimWith(SPARE, f.codes[SPARE], noKey.base);
      expect([a.status, a.body.error]).to.deep.equal([503, "relay-unavailable"]);
      expect(a.body.message).to.match(/no relayer key \(TRACE_RELAYER_KEY\)/);
      const { claims: _none, ...withoutClaims } = manifest;
      const noRegistry = await serve({}, withoutClaims);
      const b = await claimWith(SPARE, f.codes[SPARE], noRegistry.base);
      expect([b.status, b.body.error]).to.deep.equal([503, "relay-unavailable"]);
      expect(b.body.message).to.match(/no claims registry/);
    } finally {
      if (saved !== undefined) process.env.TRACE_RELAYER_KEY = saved;
    }
  });
});
