/**
 * Customs documents in the index (issue 14): the rows of `CustomsDocumentFiled` and `CustomsRefundToRepay`
 * logs, their writing and their rollback. Pure decoding here and in `decode.ts`; SQL in the two functions
 * at the end, which `write.ts` calls inside the range's (or the rollback's) transaction.
 *
 * A document's terms and the documents a declaration cites are not in the event: they are read from the
 * `fileDocument` / `fileDocuments` call data of the transaction the follower already fetched, rather than
 * with `customsDocument(docId)` at ingestion. The call data is what the chain executed at that block, so it
 * is exactly as final and as reorg-bound as the log, costs no extra request per document, and a range stays
 * a pure function of what the node returned. The view, by contrast, answers with the state at the head
 * (`citedBy` moves when a declaration is rejected), which a cache tied to blocks must not mix in. A filing
 * sent through another contract (a multisig wallet) has no decodable call data: its terms stay NULL and the
 * queries say "terms unknown" instead of guessing.
 */
import { decodeFunctionData, toFunctionSelector, type Hex } from "viem";
import { traceLedgerAbi } from "../generated/abi";
import type { IndexSql } from "./db";

/** A filed customs document as the index keeps it. */
export interface CustomsDocumentRow {
  docId: Hex;
  unit: Hex;
  kind: number;
  org: number;
  numberHash: Hex;
  orderRef: Hex;
  /** From the call data; undefined when the filing call could not be decoded. */
  terms?: readonly [Hex, Hex];
  mode: number;
  recordHash: Hex;
  /** The docIds a declaration or summary cites (from the call data; empty when unknown). */
  cites: Hex[];
  block: bigint;
  logIndex: number;
  txHash: Hex;
}

/** A `CustomsRefundToRepay` log. */
export interface RefundToRepayRow {
  unit: Hex;
  block: bigint;
  logIndex: number;
  txHash: Hex;
}

/** The customs rows of one range. */
export interface CustomsBatch {
  documents: CustomsDocumentRow[];
  refundsToRepay: RefundToRepayRow[];
}

/** One `CustomsDocumentInput` as the call data carries it. */
export interface FiledInput {
  unit: Hex;
  kind: number;
  numberHash: Hex;
  recordHash: Hex;
  terms: readonly [Hex, Hex];
  cites: Hex[];
}

const lower = (h: string) => h.toLowerCase() as Hex;

const selector = (name: "fileDocument" | "fileDocuments") =>
  toFunctionSelector(traceLedgerAbi.find((x) => x.type === "function" && x.name === name) as never).toLowerCase();
const FILE_SELECTORS = new Set([selector("fileDocument"), selector("fileDocuments")]);

/** The documents a `fileDocument` / `fileDocuments` call files, in order (none for any other call). */
export function filedInputs(input: Hex): FiledInput[] {
  if (!FILE_SELECTORS.has(input.slice(0, 10).toLowerCase())) return [];
  try {
    const call = decodeFunctionData({ abi: traceLedgerAbi, data: input });
    type Raw = {
      unit: Hex;
      kind: number;
      numberHash: Hex;
      recordHash: Hex;
      terms: readonly [Hex, Hex];
      cites: readonly Hex[];
    };
    const docs =
      call.functionName === "fileDocument"
        ? [call.args[0] as Raw]
        : call.functionName === "fileDocuments"
          ? (call.args[0] as readonly Raw[])
          : [];
    return docs.map((d) => ({
      unit: lower(d.unit),
      kind: Number(d.kind),
      numberHash: lower(d.numberHash),
      recordHash: lower(d.recordHash),
      terms: [lower(d.terms[0]), lower(d.terms[1])] as const,
      cites: d.cites.map(lower),
    }));
  } catch {
    return [];
  }
}

/**
 * Takes the call-data input that a `CustomsDocumentFiled` log reports (same unit, kind, number and record
 * hash; the first one not taken yet, since a batch files in order), removing it from `inputs`.
 */
export function takeFiledInput(
  inputs: FiledInput[] | undefined,
  log: { unit: Hex; kind: number; numberHash: Hex; recordHash: Hex },
): FiledInput | undefined {
  if (!inputs) return undefined;
  const i = inputs.findIndex(
    (d) =>
      d.unit === log.unit && d.kind === log.kind && d.numberHash === log.numberHash && d.recordHash === log.recordHash,
  );
  return i < 0 ? undefined : inputs.splice(i, 1)[0];
}

/** Writes one range's customs rows (inside the range's transaction). */
export async function writeCustoms(tx: IndexSql, batch: CustomsBatch): Promise<void> {
  const docs = batch.documents;
  if (docs.length > 0) {
    await tx.query(
      `INSERT INTO customs_documents (doc_id, unit, kind, org, number_hash, order_ref, terms0, terms1, mode,
         record_hash, block, log_index, tx_hash)
       SELECT * FROM unnest($1::text[], $2::text[], $3::smallint[], $4::bigint[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::int[], $10::text[], $11::bigint[], $12::int[], $13::text[])`,
      [
        docs.map((d) => d.docId),
        docs.map((d) => d.unit),
        docs.map((d) => d.kind),
        docs.map((d) => d.org),
        docs.map((d) => d.numberHash),
        docs.map((d) => d.orderRef),
        docs.map((d) => d.terms?.[0] ?? null),
        docs.map((d) => d.terms?.[1] ?? null),
        docs.map((d) => d.mode),
        docs.map((d) => d.recordHash),
        docs.map((d) => d.block.toString()),
        docs.map((d) => d.logIndex),
        docs.map((d) => d.txHash),
      ],
    );
  }
  const cites = docs.flatMap((d) => d.cites.map((c) => [d.docId, c, d.block.toString()] as const));
  if (cites.length > 0) {
    await tx.query(
      "INSERT INTO customs_cites (doc_id, cited, block) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])",
      [cites.map((c) => c[0]), cites.map((c) => c[1]), cites.map((c) => c[2])],
    );
  }
  const repay = batch.refundsToRepay;
  if (repay.length > 0) {
    await tx.query(
      `INSERT INTO customs_refunds_to_repay (unit, block, log_index, tx_hash)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[])`,
      [
        repay.map((r) => r.unit),
        repay.map((r) => r.block.toString()),
        repay.map((r) => r.logIndex),
        repay.map((r) => r.txHash),
      ],
    );
  }
}

/**
 * Deletes the customs rows above block `fork`. Every customs row is tied to the block of its own log and
 * no later log updates an earlier row (a rejection's release of cited documents is read from the entries at
 * query time), so a delete is the whole rollback.
 */
export async function rollbackCustomsAbove(tx: IndexSql, fork: bigint): Promise<void> {
  const f = fork.toString();
  await tx.query("DELETE FROM customs_cites WHERE block > $1", [f]);
  await tx.query("DELETE FROM customs_documents WHERE block > $1", [f]);
  await tx.query("DELETE FROM customs_refunds_to_repay WHERE block > $1", [f]);
}
