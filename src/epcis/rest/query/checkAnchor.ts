/**
 * What a client of the query interface does with an event's `cbectrace:anchor` instead of trusting the
 * server: recompute the record hash without the anchor, read the anchored transaction's receipt from its
 * own node, and find the ledger's `Traced` log of that unit and seq holding that hash. The interface
 * serves what its index says; this is how a lying index or server is caught. Browser-safe (viem only).
 */
import { decodeEventLog, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../../../generated/abi";
import { decodeInfo } from "../../../codes";
import { recordHash } from "../../hash";
import { ANCHOR_FIELD, type LedgerAnchor } from "../anchor";

/** Why an anchor does not hold (or `ok`). */
export type AnchorCheck =
  | { ok: true; hash: Hex }
  | {
      ok: false;
      reason:
        | "OFF_CHAIN"
        | "MALFORMED"
        | "WRONG_LEDGER"
        | "WRONG_CHAIN"
        | "NO_TRANSACTION"
        | "WRONG_BLOCK"
        | "NO_ENTRY"
        | "HASH_MISMATCH";
      hash?: Hex;
    };

type Anchor = LedgerAnchor & { transactionHash: Hex; unit: Hex };

const isAnchor = (a: unknown): a is Anchor => {
  const x = a as Record<string, unknown>;
  return (
    !!x &&
    typeof x === "object" &&
    Number.isSafeInteger(x.chainId) &&
    typeof x.ledger === "string" &&
    /^0x[0-9a-fA-F]{64}$/.test(String(x.transactionHash)) &&
    Number.isSafeInteger(x.blockNumber) &&
    /^0x[0-9a-fA-F]{64}$/.test(String(x.unit)) &&
    Number.isSafeInteger(x.seq)
  );
};

/**
 * Checks a served event against the chain.
 *
 * @param client - A client of a node the caller trusts (not the query server's word).
 * @param event - The event as the query interface returned it.
 * @param trusted - The ledger the caller trusts (its deployment manifest, not the anchor's word): an anchor
 *   naming another contract — one a lying server deployed to emit look-alike logs — is refused.
 * @returns `ok` with the record hash, or why the anchor does not hold.
 */
export async function checkAnchor(
  client: PublicClient,
  event: Record<string, unknown>,
  trusted: { ledger: string },
): Promise<AnchorCheck> {
  const { [ANCHOR_FIELD]: anchor, ...record } = event;
  if (anchor === null || anchor === undefined) return { ok: false, reason: "OFF_CHAIN" };
  if (!isAnchor(anchor)) return { ok: false, reason: "MALFORMED" };
  const hash = recordHash(record);
  if (anchor.ledger.toLowerCase() !== trusted.ledger.toLowerCase()) return { ok: false, reason: "WRONG_LEDGER", hash };
  if ((await client.getChainId()) !== anchor.chainId) return { ok: false, reason: "WRONG_CHAIN", hash };
  const receipt = await client.getTransactionReceipt({ hash: anchor.transactionHash }).catch(() => undefined);
  if (!receipt || receipt.status !== "success") return { ok: false, reason: "NO_TRANSACTION", hash };
  if (receipt.blockNumber !== BigInt(anchor.blockNumber)) return { ok: false, reason: "WRONG_BLOCK", hash };
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== trusted.ledger.toLowerCase()) continue;
    let decoded;
    try {
      decoded = decodeEventLog({ abi: traceLedgerAbi, data: log.data, topics: log.topics, eventName: "Traced" });
    } catch {
      continue;
    }
    // A transaction may log other ledger events beside the entry (a customs filing logs CustomsDocumentFiled).
    if (decoded.eventName !== "Traced") continue;
    const args = decoded.args as { unit: Hex; data: Hex; info: bigint };
    if (args.unit.toLowerCase() !== anchor.unit.toLowerCase() || decodeInfo(args.info).seq !== anchor.seq) continue;
    return args.data.toLowerCase() === hash ? { ok: true, hash } : { ok: false, reason: "HASH_MISMATCH", hash };
  }
  return { ok: false, reason: "NO_ENTRY", hash };
}
