/**
 * The verdict with a claims registry (issue 17): the claim and tag read at the pinned block, a claim code in
 * the buyer's hands assessed off chain, a claim before delivery, and endpoints whose registry answers cannot
 * belong to the pinned block. Each attack beside the legitimate flow it must not break.
 */
import { expect } from "chai";
import { network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import {
  createPublicClient,
  custom,
  decodeFunctionResult,
  encodeFunctionResult,
  getAbiItem,
  toFunctionSelector,
  type AbiFunction,
  type Hex,
  type PublicClient,
} from "viem";
import { unitClaimsAbi } from "../../src/generated/abi";
import { DEMO_CODES } from "../../src/demo/journey";
import { STAGES } from "../../src/codes";
import { ClaimCodeError } from "../../src/authenticity/errors";
import { buyerStanding } from "../../src/verify/standing";
import { authenticityLines } from "../../src/verify/authenticityText";
import { verifyDemo, codes } from "../helpers/demo";
import { claimsFixture, CODES, EARLY, SUN_UID, type ClaimsFixture } from "./authenticityFixture";

const selector = (name: "claimOf" | "tagOf") =>
  toFunctionSelector(getAbiItem({ abi: unitClaimsAbi, name }) as AbiFunction);
const CLAIM_OF = selector("claimOf");

/** Verifies `code` with the registry named (and `extra` options). */
const verify = (f: ClaimsFixture, code: string, extra: object = {}, client?: PublicClient) =>
  verifyDemo(f, code, client, { claims: { address: f.registry }, ...extra });

/** An endpoint serving the in-process chain, with `edit` applied to the answers it chooses. */
function editingClient(edit: (method: string, params: unknown[]) => Promise<unknown> | undefined): PublicClient {
  return createPublicClient({
    transport: custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const list = (params as unknown[]) ?? [];
        return (await edit(method, list)) ?? network.provider.request({ method, params: list });
      },
    }),
  }) as PublicClient;
}
const isCall = (method: string, params: unknown[], sel: string) =>
  method === "eth_call" && String((params[0] as { data?: string }).data ?? "").startsWith(sel);

describe("verification with a claims registry (issue 17)", () => {
  it("without a registry named, the report has no authenticity section and the verdict is unchanged", async () => {
    const f = await loadFixture(claimsFixture);
    const plain = await verifyDemo(f, DEMO_CODES.authentic);
    const named = await verify(f, DEMO_CODES.authentic);
    expect(plain.authenticity).to.equal(undefined);
    expect([plain.verdict, codes(plain)]).to.deep.equal(["authentic", []]);
    expect([named.verdict, codes(named)]).to.deep.equal(["authentic", []]);
  });

  it("committed and unclaimed: authentic, the commitment shown, no claim, no tag", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, DEMO_CODES.authentic);
    expect(r.authenticity!.claim).to.deep.include({ committed: true, claimed: false, claimedAt: 0, claimBlock: 0 });
    expect(r.authenticity!.tag).to.deep.include({ kind: 0, lastCounter: 0, lastTapAt: 0 });
    expect(r.authenticity!.registry).to.equal(f.registry);
    expect(r.authenticity!.offered).to.equal(undefined);
  });

  it("claimed after delivery: authentic, the claim's time is its block's, its stage DELIVERED; the SUN tag's last tap", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, DEMO_CODES.authenticSibling);
    expect([r.verdict, codes(r)]).to.deep.equal(["authentic", []]);
    const block = await network.provider.request({
      method: "eth_getBlockByNumber",
      params: [`0x${f.siblingClaimBlock.toString(16)}`, false],
    });
    const c = r.authenticity!.claim;
    expect(c).to.deep.include({
      committed: true,
      claimed: true,
      claimBlock: f.siblingClaimBlock,
      beforeDelivery: false,
    });
    expect(c.claimedAt).to.equal(Number((block as { timestamp: string }).timestamp));
    expect(c.stage).to.equal(STAGES.DELIVERED);
    expect(r.authenticity!.tag.kind).to.equal(1);
    expect(r.authenticity!.tag.id.toLowerCase().startsWith(SUN_UID)).to.equal(true);
    expect(r.authenticity!.tag.lastCounter).to.equal(7);
    expect(r.authenticity!.tag.lastTapAt).to.be.greaterThan(c.claimedAt);
  });

  it("claimed before delivery: a warning that says so, with the claim's stage", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, EARLY);
    expect(r.verdict).to.equal("warning");
    expect(codes(r)[0]).to.equal("CLAIMED_BEFORE_DELIVERY");
    expect(r.authenticity!.claim).to.deep.include({ claimed: true, beforeDelivery: true, stage: STAGES.ACTIVE });
    expect(r.reasons[0].detail).to.match(/^claimed on \d{4}-\d\d-\d\d \d\d:\d\d UTC at block \d+, stage 0$/);
    expect(r.reasons[0].zh).to.include("交付买家之前");
  });

  it("the right code offered before the claim is claimable (no reason); a typo'd form of it is the same code", async () => {
    const f = await loadFixture(claimsFixture);
    for (const typed of [CODES.authentic, CODES.authentic.toLowerCase().replace(/-/g, " ").replace(/0/g, "o")]) {
      const r = await verify(f, DEMO_CODES.authentic, { claimCode: typed });
      expect([r.verdict, codes(r), r.authenticity!.offered]).to.deep.equal(["authentic", [], "claimable"]);
    }
  });

  it("ATTACK: a copy's code offered for an unclaimed unit is CLAIM_CODE_WRONG (check the code, maybe a copy)", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, DEMO_CODES.authentic, { claimCode: CODES.copy });
    expect([r.verdict, codes(r), r.authenticity!.offered]).to.deep.equal([
      "warning",
      ["CLAIM_CODE_WRONG"],
      "wrong-code",
    ]);
    expect(buyerStanding(r, new Map()).kind).to.equal("warning");
  });

  it("ATTACK: the genuine code offered again after its claim, or a copy's code for a claimed unit: 'already claimed — likely a copy'", async () => {
    const f = await loadFixture(claimsFixture);
    for (const [typed, offered, says] of [
      [CODES.sibling, "already-claimed", "is this product's"],
      [CODES.copy, "wrong-code", "is not this product's"],
    ] as const) {
      const r = await verify(f, DEMO_CODES.authenticSibling, { claimCode: typed });
      expect([r.verdict, codes(r), r.authenticity!.offered]).to.deep.equal(["warning", ["CLAIM_CODE_COPIED"], offered]);
      expect(r.reasons[0].en).to.match(/already claimed .* likely a copy/);
      expect(r.reasons[0].zh).to.include("此码已被首位买家认领");
      expect(r.reasons[0].detail).to.include(says);
      const standing = buyerStanding(r, new Map());
      expect(standing).to.deep.equal({ kind: "copied", claimedAt: r.authenticity!.claim.claimedAt });
    }
  });

  it("a code offered for a unit without a commitment is a notice (nothing to check), not a warning", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, DEMO_CODES.recalled, { claimCode: CODES.copy });
    expect(r.authenticity!.offered).to.equal("no-commitment");
    expect(codes(r)).to.deep.equal(codes(await verifyDemo(f, DEMO_CODES.recalled)));
    expect(r.notices!.map((n) => n.code)).to.deep.equal(["NO_CLAIM_CODE"]);
  });

  it("a malformed claim code is refused before anything is read, saying what a code looks like", async () => {
    const f = await loadFixture(claimsFixture);
    let reads = 0;
    const counting = editingClient(() => {
      reads++;
      return undefined;
    });
    for (const typed of ["AB12C", "AB12C-DE34F-GH56J-KM78U"]) {
      const error = await verify(f, DEMO_CODES.authentic, { claimCode: typed }, counting).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ClaimCodeError);
      expect((error as Error).message).to.match(/claim code/i);
    }
    expect(reads).to.equal(0);
  });

  it("pinned before the claim, the claim is not shown: everything is read at the pinned block", async () => {
    const f = await loadFixture(claimsFixture);
    const r = await verify(f, DEMO_CODES.authenticSibling, { pinAt: f.beforeClaims, claimCode: CODES.sibling });
    expect(r.asOf!.blockNumber).to.equal(f.beforeClaims);
    expect(r.authenticity!.claim).to.deep.include({ claimed: false, committed: true });
    expect(r.authenticity!.tag.kind).to.equal(0);
    expect([codes(r), r.authenticity!.offered]).to.deep.equal([[], "claimable"]);
  });

  it("ATTACK: an endpoint answering claimOf from the latest block while the verdict is pinned earlier fails the verdict", async () => {
    const f = await loadFixture(claimsFixture);
    const fromLatest = editingClient((method, params) =>
      isCall(method, params, CLAIM_OF)
        ? network.provider.request({ method, params: [params[0], "latest"] })
        : undefined,
    );
    const r = await verify(f, DEMO_CODES.authenticSibling, { pinAt: f.beforeClaims }, fromLatest);
    expect([r.verdict, codes(r)]).to.deep.equal(["fail", ["AUTHENTICITY_MISMATCH"]]);
    expect(r.reasons[0].detail).to.match(/served from block \d+, after the pinned block \d+/);
    expect(r.authenticity).to.equal(undefined);
    // The same endpoint is harmless when the verdict is read at the latest block.
    const latest = await verify(f, DEMO_CODES.authenticSibling, {}, fromLatest);
    expect([latest.verdict, codes(latest)]).to.deep.equal(["authentic", []]);
  });

  it("ATTACK: a forged claim (another time, or on a unit without a commitment) fails the verdict", async () => {
    const f = await loadFixture(claimsFixture);
    const forge = (change: (c: readonly [Hex, number, bigint, number]) => readonly [Hex, number, bigint, number]) =>
      editingClient((method, params) => {
        if (!isCall(method, params, CLAIM_OF)) return undefined;
        return (network.provider.request({ method, params }) as Promise<Hex>).then((raw) => {
          const c = decodeFunctionResult({ abi: unitClaimsAbi, functionName: "claimOf", data: raw }) as never;
          return encodeFunctionResult({ abi: unitClaimsAbi, functionName: "claimOf", result: change(c) as never });
        });
      });
    const earlier = forge(([commitment, at, block, stage]) => [commitment, at - 86_400, block, stage]);
    const r1 = await verify(f, DEMO_CODES.authenticSibling, {}, earlier);
    expect([r1.verdict, codes(r1)]).to.deep.equal(["fail", ["AUTHENTICITY_MISMATCH"]]);
    expect(r1.reasons[0].detail).to.match(/is not the time \d+ of its block/);
    const onNothing = forge(() => [`0x${"0".repeat(64)}`, 1_767_225_600, 1n, STAGES.DELIVERED]);
    const r2 = await verify(f, DEMO_CODES.recalled, {}, onNothing);
    expect(codes(r2)).to.deep.equal(["AUTHENTICITY_MISMATCH"]);
    expect(r2.reasons[0].detail).to.include("without a commitment");
  });

  it("ATTACK: an endpoint hiding the registry (no code) once it was deployed fails; before its deployment block it is simply absent", async () => {
    const f = await loadFixture(claimsFixture);
    const hiding = editingClient((method, params) =>
      method === "eth_getCode" && String(params[0]).toLowerCase() === f.registry.toLowerCase()
        ? Promise.resolve("0x")
        : undefined,
    );
    const deployed = await network.provider.request({ method: "eth_blockNumber" });
    const claims = { address: f.registry, deploymentBlock: 1n };
    const r = await verifyDemo(f, DEMO_CODES.authenticSibling, hiding, { claims });
    expect([r.verdict, codes(r)]).to.deep.equal(["fail", ["AUTHENTICITY_MISMATCH"]]);
    expect(r.reasons[0].detail).to.include("has no code at block");
    const later = { address: f.registry, deploymentBlock: BigInt(deployed as string) + 10n };
    const absent = await verifyDemo(f, DEMO_CODES.authenticSibling, hiding, { claims: later });
    expect([absent.verdict, absent.authenticity]).to.deep.equal(["authentic", undefined]);
  });

  it("in words (trace verify): the claim's date and stage, a claim before delivery, the tag's last read, the code offered", async () => {
    const f = await loadFixture(claimsFixture);
    const en = async (code: string, extra: object = {}) =>
      authenticityLines((await verify(f, code, extra)).authenticity).map((l) => l.en);
    const sibling = await en(DEMO_CODES.authenticSibling, { claimCode: CODES.copy });
    expect(sibling[0]).to.match(
      /^first-scan claim: claimed by its buyer on \d{4}-\d\d-\d\d \d\d:\d\d UTC \(block \d+, stage DELIVERED\)$/,
    );
    expect(sibling[1]).to.equal("  the code offered is not this product's");
    expect(sibling[2]).to.match(new RegExp(`^NFC tag: NTAG 424 DNA UID ${SUN_UID}, last verified read #7 on `));
    expect((await en(EARLY))[0]).to.match(/stage ACTIVE, BEFORE DELIVERY\)$/);
    expect(await en(DEMO_CODES.authentic)).to.deep.equal(["first-scan claim: not claimed yet"]);
    expect(await en(DEMO_CODES.recalled)).to.deep.equal(["first-scan claim: none (the brand committed no claim code)"]);
    expect(authenticityLines(undefined)).to.deep.equal([]);
  });
});
