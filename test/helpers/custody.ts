/**
 * Trust model v2 test helpers (issue 11 items 3-5): custody moves by offer + acceptance, and a correction
 * carries a hash-chain proof of who recorded the corrected entry.
 */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Address, Hex } from "viem";
import type { TraceLedger } from "../../typechain-types";
import { correctionProof } from "../../src/hashChain/hashChain";
import { decodeInfo } from "../../src/codes";
import { readHistory, toChainEntry } from "./history";
import { recordHash, type LedgerFixture, type MemberName, EVENT_TIME } from "./ledger";

/** A proof no chain has: for calls refused before the proof is checked. */
export const NO_PROOF: [head: string, entries: never[]] = [ethers.ZeroHash.slice(0, 34), []];

/** `[head, entries]` proving entry `seq` of `unit`, built from its current history as the SDK does. */
export async function proofOf(ledger: TraceLedger, unit: string, seq: number) {
  const { chainId } = await ethers.provider.getNetwork();
  const history = (await readHistory(ledger, unit)).map(toChainEntry);
  const p = correctionProof(chainId, (await ledger.getAddress()) as Address, unit as Hex, history, seq);
  return [p.head, p.entries] as const;
}

/**
 * `signer` corrects entry `seq` of `unit` with a valid proof, dated `eventTime` (default: the corrected
 * entry's own time, the earliest the ledger takes, or `EVENT_TIME` when that is earlier still).
 */
export async function correctAs(
  ledger: TraceLedger,
  signer: HardhatEthersSigner,
  unit: string,
  seq: number,
  label = "fix",
  eventTime?: number,
) {
  const [head, entries] = await proofOf(ledger, unit, seq);
  const entryTime = entries.length ? decodeInfo(entries[0].info).eventTime : 0;
  const at = eventTime ?? Math.max(EVENT_TIME, entryTime);
  return ledger.connect(signer).correct(unit, seq, at, recordHash(label), head, entries);
}

/** Custody of `unit` moves from `from` to `to`: `from` offers, `to` accepts. */
export async function handOver(
  f: LedgerFixture,
  unit: string,
  from: MemberName,
  to: MemberName,
  label = `${from}>${to}`,
) {
  await (
    await f.ledger.connect(f.accounts[from]).handover(unit, f.orgIds[to], EVENT_TIME, 0, recordHash(`offer ${label}`))
  ).wait();
  return f.ledger.connect(f.accounts[to]).acceptHandover(unit, EVENT_TIME, 0, recordHash(`accept ${label}`));
}
