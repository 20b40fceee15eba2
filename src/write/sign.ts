/**
 * Offline signing of trace events (EIP-712): a scanner, device or participant without gas signs a batch
 * with its key; anyone relays it (`TraceWriter.relay`). Needs no RPC: the domain comes from the
 * deployment manifest (or `eip712Domain()` of the ledger).
 */
import { TypedDataEncoder, type Signer } from "ethers";
import { TRACE_BATCH_TYPES, type TraceDomain } from "../eip712";
import type { TraceInput } from "./types";
import type { Hex } from "viem";

/** A signed batch, as `recordBySig` takes it. */
export interface SignedTraceBatch {
  signer: string;
  nonce: bigint;
  deadline: number;
  events: TraceInput[];
  signature: string;
}

const types = {
  TraceBatch: [...TRACE_BATCH_TYPES.TraceBatch],
  TraceEvent: [...TRACE_BATCH_TYPES.TraceEvent],
};

/** Signs events as `signer` for a ledger's domain. */
export async function signTraceBatch(
  signer: Signer,
  domain: TraceDomain,
  events: TraceInput[],
  opts: { nonce: bigint; deadline: number },
): Promise<SignedTraceBatch> {
  const address = await signer.getAddress();
  const value = { signer: address, nonce: opts.nonce, deadline: opts.deadline, events };
  const signature = await signer.signTypedData(domainOf(domain), types, value);
  return { ...value, signature };
}

/** The EIP-712 digest a signed batch commits to (for checking a signature without a chain). */
export function traceBatchDigest(domain: TraceDomain, batch: Omit<SignedTraceBatch, "signature">): string {
  return TypedDataEncoder.hash(domainOf(domain), types, {
    signer: batch.signer,
    nonce: batch.nonce,
    deadline: batch.deadline,
    events: batch.events,
  });
}

/** JSON form of a signed batch (bigints as decimal strings), for files and HTTP. */
export function signedBatchToJson(batch: SignedTraceBatch): string {
  return JSON.stringify(batch, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Parses the JSON form of a signed batch. */
export function signedBatchFromJson(text: string): SignedTraceBatch {
  const o = JSON.parse(text);
  return {
    signer: String(o.signer),
    nonce: BigInt(o.nonce),
    deadline: Number(o.deadline),
    signature: String(o.signature),
    events: (o.events as Array<Record<string, unknown>>).map((e) => ({
      unit: String(e.unit) as Hex,
      step: Number(e.step),
      disposition: Number(e.disposition),
      eventTime: Number(e.eventTime),
      location: BigInt(e.location as string),
      recordHash: String(e.recordHash) as Hex,
    })),
  };
}

function domainOf(d: TraceDomain) {
  return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
}
