/**
 * The brand's SUN tap service (issue 17): it holds the tags' AES keys, checks a tapped URL's message against the
 * tag the chain binds to the unit (`tagOf`) and the chain's last counter, and only when the counter rises records
 * `recordSunTap(unit, uid, counter)` with the brand's member key. The chain learns "tap verified, counter n" and
 * never a key. Taps of one unit are checked one at a time, so the same message sent twice at once is recorded
 * once; a second service racing this one loses at the contract (`UnitClaimsTapReplayed`) and says "replayed".
 * The platform server's `POST /taps/sun`, the demo's seeding and `trace tag tap` (which only assesses) use it.
 * Node-only.
 */
import { decodeEventLog, type Address, type Hex, type PublicClient } from "viem";
import type { AbstractSigner } from "ethers";
import { UnitClaims__factory } from "../../typechain-types";
import { unitClaimsAbi } from "../generated/abi";
import { TAG_KINDS } from "../generated/codes";
import { TransactionSender, type SendOptions } from "../write/sender";
import { ReplayedTapError, TagNotGenuineError } from "./errors";
import { readUnitAuthenticity } from "./read";
import { verifySunMessage } from "./sun";
import { claimsRefusalOf } from "./claimsRefusal";
import type { TagKeyStore } from "./tagKeys";

/** A tapped URL's SUN message for a unit: the URL's `e=` and `c=`. */
export interface SunTapRequest {
  unit: Hex;
  e: string;
  c: string;
}

/** What a tap says, checked against the chain's tag and counter (no transaction). */
export type SunTapAssessment =
  | { outcome: "genuine"; uid: string; counter: number; lastCounter: number }
  | { outcome: "replayed"; uid: string; counter: number; lastCounter: number }
  | { outcome: "not-genuine"; reason: string }
  | { outcome: "no-tag" }
  /** The chain binds a SUN tag the keys file does not hold: the service cannot check it (not the buyer's fault). */
  | { outcome: "no-keys"; uid: string };

/** A tap the service recorded on chain. */
export interface RecordedSunTap {
  outcome: "verified";
  unit: Hex;
  /** 0x + 14 hex digits. */
  uid: Hex;
  counter: number;
  txHash: Hex;
  blockNumber: bigint;
}

export type SunTapResult = RecordedSunTap | Exclude<SunTapAssessment, { outcome: "genuine" }>;

export interface SunTapServiceOptions {
  client: Pick<PublicClient, "readContract">;
  /** The claims registry (`manifest.claims.address`). */
  claims: Address;
  keys: TagKeyStore;
  /** An account of the brand (the units' registrant organization), connected to a provider. */
  signer: AbstractSigner;
  send?: SendOptions;
  /** The signer's sender, when it writes elsewhere too (one nonce counter per key); default: a new one. */
  sender?: TransactionSender;
}

export interface SunTapService {
  /** Checks a tap against the chain's tag and counter, without recording. */
  assess(tap: SunTapRequest): Promise<SunTapAssessment>;
  /** Checks a tap and, when genuine and its counter rose, records it and answers from the receipt. */
  verifyAndRecord(tap: SunTapRequest): Promise<SunTapResult>;
}

/** The SUN UID a `tagOf` id holds (bytes7 left-aligned in bytes20), lower-case, without 0x. */
export const sunUidOf = (id: Hex): string => id.slice(2, 16).toLowerCase();

/**
 * Checks a SUN message against a unit's tag as the chain has it (kind, UID, last counter) and the brand's keys.
 * Pure apart from the read: `trace tag tap` uses it offline of the service.
 */
export function assessSunMessage(
  keys: TagKeyStore,
  tag: { kind: number; id: Hex; lastCounter: number },
  message: { e: string; c: string },
): SunTapAssessment {
  if (tag.kind !== TAG_KINDS.SUN) return { outcome: "no-tag" };
  const uid = sunUidOf(tag.id);
  const tagKeys = keys.keysFor(uid);
  if (!tagKeys) return { outcome: "no-keys", uid };
  try {
    const tap = verifySunMessage({
      piccDataHex: message.e,
      cmacHex: message.c,
      ...tagKeys,
      lastCounter: tag.lastCounter,
      expectedUid: uid,
    });
    return { outcome: "genuine", uid, counter: tap.counter, lastCounter: tag.lastCounter };
  } catch (error) {
    if (error instanceof ReplayedTapError) {
      return { outcome: "replayed", uid, counter: error.counter, lastCounter: error.lastCounter };
    }
    if (error instanceof TagNotGenuineError) return { outcome: "not-genuine", reason: error.shortMessage };
    throw error;
  }
}

/** Creates the service. */
export function createSunTapService(options: SunTapServiceOptions): SunTapService {
  if (!options.signer.provider) throw new TypeError("The tap service's signer must be connected to a provider.");
  const contract = UnitClaims__factory.connect(options.claims, options.signer);
  let sender: Promise<TransactionSender> | undefined = options.sender && Promise.resolve(options.sender);
  const senderOf = () =>
    (sender ??= options.signer
      .getAddress()
      .then((address) => new TransactionSender(options.signer, options.signer.provider!, address, options.send)));
  /** The tail of each unit's queue: a unit's taps run one after another, different units in parallel. */
  const queues = new Map<Hex, Promise<unknown>>();

  const assess = async (tap: SunTapRequest): Promise<SunTapAssessment> => {
    const { tag } = await readUnitAuthenticity(options.client, options.claims, tap.unit);
    return assessSunMessage(options.keys, tag, tap);
  };

  const record = async (tap: SunTapRequest): Promise<SunTapResult> => {
    const assessed = await assess(tap);
    if (assessed.outcome !== "genuine") return assessed;
    const uid = `0x${assessed.uid}` as Hex;
    try {
      const tx = await contract.recordSunTap.populateTransaction(tap.unit, uid, assessed.counter);
      const sent = await (await senderOf()).send(tx);
      const recorded = sent.receipt.logs
        .filter((log) => log.address.toLowerCase() === options.claims.toLowerCase())
        .map((log) => decodeEventLog({ abi: unitClaimsAbi, data: log.data as Hex, topics: log.topics as [Hex] }))
        .find((e) => e.eventName === "TapRecorded");
      const counter = Number((recorded?.args as { counter?: number } | undefined)?.counter ?? assessed.counter);
      return {
        outcome: "verified",
        unit: tap.unit,
        uid,
        counter,
        txHash: sent.hash as Hex,
        blockNumber: BigInt(sent.blockNumber),
      };
    } catch (error) {
      // Another service (or a restart that lost this queue) recorded this counter or a later one first.
      const refusal = claimsRefusalOf(error);
      if (refusal?.name === "UnitClaimsTapReplayed") {
        return {
          outcome: "replayed",
          uid: assessed.uid,
          counter: assessed.counter,
          lastCounter: Number(refusal.args[2]),
        };
      }
      throw error;
    }
  };

  const verifyAndRecord = (tap: SunTapRequest): Promise<SunTapResult> => {
    const unit = tap.unit.toLowerCase() as Hex;
    const run = (queues.get(unit) ?? Promise.resolve()).catch(() => undefined).then(() => record({ ...tap, unit }));
    queues.set(unit, run);
    void run
      .finally(() => {
        if (queues.get(unit) === run) queues.delete(unit);
      })
      .catch(() => undefined);
    return run;
  };

  return { assess, verifyAndRecord };
}
