/**
 * Checking signatures without trusting anyone: for each transaction that wrote an entry, the verifier reads
 * the transaction itself. A direct call is signed by its sender (the node checked the transaction
 * signature; the sender must be the entry's account). A relayed batch (`recordBySig`) carries an EIP-712
 * signature, which the verifier recovers here and compares with the entry's account.
 */
import { decodeFunctionData, recoverTypedDataAddress, type Hex, type PublicClient } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { TRACE_BATCH_TYPES, type TraceDomain } from "../eip712";
import type { TraceEntry } from "../read/types";

export interface SignatureCheck {
  valid: boolean;
  via: "sender" | "eip712";
}

/** Checks every entry's account against the transaction that wrote it. Keyed by `txHash:logIndex`. */
export async function checkSignatures(
  client: PublicClient,
  domain: TraceDomain,
  entries: TraceEntry[],
): Promise<Map<string, SignatureCheck>> {
  const result = new Map<string, SignatureCheck>();
  const byTx = new Map<Hex, TraceEntry[]>();
  for (const e of entries) byTx.set(e.transactionHash, [...(byTx.get(e.transactionHash) ?? []), e]);
  await Promise.all(
    [...byTx.entries()].map(async ([hash, list]) => {
      const tx = await client.getTransaction({ hash });
      let decoded: { functionName: string; args?: readonly unknown[] } | undefined;
      try {
        decoded = decodeFunctionData({ abi: traceLedgerAbi, data: tx.input });
      } catch {
        decoded = undefined;
      }
      if (decoded?.functionName !== "recordBySig") {
        for (const e of list) {
          result.set(`${hash}:${e.logIndex}`, {
            valid: tx.from.toLowerCase() === e.account.toLowerCase(),
            via: "sender",
          });
        }
        return;
      }
      type Batch = {
        signer: Hex;
        nonce: bigint;
        deadline: number;
        events: readonly Record<string, unknown>[];
        signature: Hex;
      };
      const batches = decoded.args![0] as readonly Batch[];
      const typed = (b: Batch) => ({
        domain: {
          name: domain.name,
          version: domain.version,
          chainId: domain.chainId,
          verifyingContract: domain.verifyingContract as Hex,
        },
        types: { TraceBatch: [...TRACE_BATCH_TYPES.TraceBatch], TraceEvent: [...TRACE_BATCH_TYPES.TraceEvent] },
        primaryType: "TraceBatch" as const,
        message: { signer: b.signer, nonce: b.nonce, deadline: b.deadline, events: b.events as never },
        signature: b.signature,
      });
      const signers = await Promise.all(
        batches.map(async (b) => {
          const recovered = await recoverTypedDataAddress(typed(b)).catch(() => undefined);
          if (recovered && recovered.toLowerCase() === b.signer.toLowerCase()) return recovered;
          // A contract account (ERC-1271) signs by approving the digest: ask it, at the transaction's block.
          const ok = await client
            .verifyTypedData({ address: b.signer, ...typed(b), blockNumber: tx.blockNumber ?? undefined })
            .catch(() => false);
          return ok ? b.signer : recovered;
        }),
      );
      for (const e of list) {
        // The entry's batch: one signed by the entry's account that contains its unit and record hash. Of
        // several batches relayed together a refused one stays in the input (`SignedBatchFailed`), so a copy
        // with a forged signature must not hide the genuine batch: a batch whose signature checks out wins.
        const i = batches.findIndex(
          (b, k) =>
            b.signer.toLowerCase() === e.account.toLowerCase() &&
            signers[k]?.toLowerCase() === e.account.toLowerCase() &&
            b.events.some(
              (x) =>
                String(x.unit).toLowerCase() === e.unit.toLowerCase() &&
                String(x.recordHash).toLowerCase() === e.data.toLowerCase(),
            ),
        );
        const recovered = i >= 0 ? signers[i] : undefined;
        result.set(`${hash}:${e.logIndex}`, {
          valid: recovered !== undefined && recovered.toLowerCase() === e.account.toLowerCase(),
          via: "eip712",
        });
      }
    }),
  );
  return result;
}
