/**
 * The demo journey with a claims registry beside its ledger (in-process network), shared by the verdict and
 * bundle tests of issue 17: the delivered authentic item committed and unclaimed, its delivered sibling
 * claimed and carrying a SUN tag with two taps, and an item of the brand's claimed before any delivery.
 */
import { ethers } from "hardhat";
import type { Address, Hex } from "viem";
import type { UnitClaims } from "../../typechain-types";
import { demoFixture, type DemoFixture } from "../helpers/demo";
import { writerFor } from "../helpers/sdk";
import { DEMO_CODES } from "../../src/demo/journey";
import { parseGs1, toDigitalLink } from "../../src/gs1";
import { RecordStore, recordRegistration } from "../../src/records";
import { claimSecret } from "../../src/authenticity/claimCode";
import { claimCommitment } from "../../src/authenticity/domain";

/** A unit registered by the brand (the factory, under the exporter's authorization) and claimed while still in its warehouse. */
export const EARLY = "https://id.gs1.org/01/06901234567892/10/2026A09/21/SN0777";
/** The claim codes printed inside the packaging (fixed: tests type them). */
export const CODES = {
  authentic: "AB12C-DE34F-GH56J-KM78N",
  sibling: "PQ9RS-TV0WX-YZ123-45678",
  early: "0A1B2-C3D4E-F5G6H-J7K8M",
  /** The code a cloner printed in a copy of the sibling. */
  copy: "ZZZZZ-YYYYY-XXXXX-WWWWW",
} as const;
export const SUN_UID = "0x04de5f1eacc040";

export interface ClaimsFixture extends DemoFixture {
  claims: UnitClaims;
  registry: Address;
  chainId: number;
  /** Block of the sibling's claim. */
  siblingClaimBlock: number;
  /** Head before the sibling was claimed. */
  beforeClaims: bigint;
}

export const keyOf = (code: string) => parseGs1(code).key as Hex;

export async function claimsFixture(): Promise<ClaimsFixture> {
  const f = await demoFixture();
  const claims = await (await ethers.getContractFactory("UnitClaims")).deploy(f.address);
  await claims.waitForDeployment();
  const registry = (await claims.getAddress()) as Address;
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const at = { chainId, claims: registry };
  const commit = (code: string, secretCode: string) => claimCommitment(at, keyOf(code), claimSecret(secretCode));
  // Registered through the SDK as the demo does, with its record in the platform's store.
  const id = parseGs1(EARLY);
  const unit = { key: id.key as Hex, uri: toDigitalLink(id, { attributes: false }), path: id.canonicalPath };
  const writer = await writerFor(f.ledger, f.accounts.factory.address);
  const store = new RecordStore(f.records);
  await writer.register([
    recordRegistration(store, unit, { eventTime: "2026-11-10T09:00:00+08:00", location: "6901234000016" }).input,
  ]);
  // The demo items are registered by the factory (under the exporter's authorization).
  await (
    await claims
      .connect(f.accounts.factory)
      .commitClaims(
        [keyOf(DEMO_CODES.authentic), keyOf(DEMO_CODES.authenticSibling)],
        [commit(DEMO_CODES.authentic, CODES.authentic), commit(DEMO_CODES.authenticSibling, CODES.sibling)],
      )
  ).wait();
  await (await claims.connect(f.accounts.factory).commitClaims([keyOf(EARLY)], [commit(EARLY, CODES.early)])).wait();
  const beforeClaims = BigInt(await ethers.provider.getBlockNumber());
  const relayer = f.stranger;
  const receipt = await (
    await claims.connect(relayer).claim(keyOf(DEMO_CODES.authenticSibling), claimSecret(CODES.sibling))
  ).wait();
  await (await claims.connect(relayer).claim(keyOf(EARLY), claimSecret(CODES.early))).wait();
  const brand = claims.connect(f.accounts.factory);
  await (await brand.bindSunTag(keyOf(DEMO_CODES.authenticSibling), SUN_UID)).wait();
  for (const counter of [3, 7]) {
    await (await brand.recordSunTap(keyOf(DEMO_CODES.authenticSibling), SUN_UID, counter)).wait();
  }
  return { ...f, claims, registry, chainId, siblingClaimBlock: receipt!.blockNumber, beforeClaims };
}
