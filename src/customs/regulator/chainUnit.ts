/**
 * A unit's customs as the chain itself says it, without an index (`trace customs show`): its documents from
 * the `CustomsDocumentFiled` logs with the unit as topic, each read back through `customsDocument(docId)`,
 * its `customsState`, and its declaration's status from the unit's own verified history (`readHistory`
 * checks the hash chain). Every filing also appends an entry, so the logs are looked for only between the
 * unit's first and last entries.
 */
import { encodeEventTopics, type Hex } from "viem";
import { CUSTOMS_FLAGS, documentKindName, type DocumentKindName } from "../../codes";
import { traceLedgerAbi } from "../../generated/abi";
import { readLedgerLogs, comparePositions, type LogPosition } from "../../read/logRange";
import type { TraceReader } from "../../read/reader";
import { declarationStatus, type DeclarationStatus } from "./status";

/** A filed document, as the ledger stores it. */
export interface ChainCustomsDocument extends LogPosition {
  docId: Hex;
  kind: DocumentKindName;
  issuerOrg: number;
  numberHash: Hex;
  orderRef: Hex;
  terms: readonly [Hex, Hex];
  mode: number;
  recordHash: Hex;
  /** The live declaration (or summary) citing it. */
  citedBy?: Hex;
}

/** A unit's customs on chain. */
export interface ChainUnitCustoms {
  unit: Hex;
  /** The mode of its accepted declaration (customsState), 0 for none. */
  mode: number;
  declaration?: Hex;
  /** `CustomsFlags` set on the unit, by name. */
  flags: string[];
  /** The newest declaration's status (undefined when never declared). */
  status?: DeclarationStatus;
  documents: ChainCustomsDocument[];
  /** Whether the unit's history verified against its on-chain head. */
  intact: boolean;
}

const ZERO = `0x${"0".repeat(64)}` as Hex;
const FILED_TOPIC = encodeEventTopics({ abi: traceLedgerAbi, eventName: "CustomsDocumentFiled" })[0];

/**
 * Reads a unit's customs from the chain.
 * @param reader The read client.
 * @param unit The unit key.
 */
export async function readUnitCustoms(reader: TraceReader, unit: Hex): Promise<ChainUnitCustoms> {
  const address = reader.ledger.address;
  const history = await reader.history(unit);
  const [mode, declaration, flags] = await reader.client.readContract({
    address,
    abi: traceLedgerAbi,
    functionName: "customsState",
    args: [unit],
  });
  const entries = history.entries;
  const documents: ChainCustomsDocument[] = [];
  if (entries.length > 0) {
    const { logs } = await readLedgerLogs(reader.client, {
      address,
      topics: [FILED_TOPIC, unit.toLowerCase() as Hex],
      fromBlock: entries[0].blockNumber,
      toBlock: entries[entries.length - 1].blockNumber,
    });
    const views = await Promise.all(
      logs.map((l) =>
        reader.client.readContract({
          address,
          abi: traceLedgerAbi,
          functionName: "customsDocument",
          args: [l.args.docId as Hex],
        }),
      ),
    );
    logs.forEach((l, i) => {
      const [kind, issuerOrg, , orderRef, terms, docMode, recordHash, citedBy] = views[i];
      documents.push({
        blockNumber: l.blockNumber,
        logIndex: l.logIndex,
        transactionHash: l.transactionHash,
        blockHash: l.blockHash,
        docId: l.args.docId as Hex,
        kind: documentKindName(Number(kind)) ?? (`KIND_${kind}` as DocumentKindName),
        issuerOrg: Number(issuerOrg),
        numberHash: l.args.numberHash as Hex,
        orderRef,
        terms: [terms[0], terms[1]],
        mode: Number(docMode),
        recordHash,
        ...(citedBy !== ZERO ? { citedBy } : {}),
      });
    });
  }
  const newest = [...documents].reverse().find((d) => d.kind === "DECLARATION");
  const status = newest
    ? declarationStatus(entries.filter((e) => comparePositions(e, newest) > 0).map((e) => e.step))
    : undefined;
  return {
    unit,
    mode: Number(mode),
    ...(declaration !== ZERO ? { declaration } : {}),
    flags: Object.entries(CUSTOMS_FLAGS)
      .filter(([, bit]) => (Number(flags) & bit) !== 0)
      .map(([name]) => name),
    ...(status ? { status } : {}),
    documents,
    intact: history.intact,
  };
}
