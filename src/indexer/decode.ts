/**
 * From what the node returned for one block range (raw ledger logs, the blocks holding them with their
 * transactions) to the rows the index writes. Pure: no database, no network, so the benchmark and the
 * follower share it. A registration's GS1 path is only in the `register` / `registerBatch` call data (the
 * `Traced` log has the key alone): it is decoded here and kept only when `unitKeyOfPath(path)` is the key.
 */
import {
  decodeEventLog,
  decodeFunctionData,
  encodeEventTopics,
  hexToString,
  toFunctionSelector,
  type Hex,
  type RpcLog,
} from "viem";
import { traceLedgerAbi } from "../generated/abi";
import { decodeInfo } from "../codes";
import { parseGs1, unitKeyOfPath } from "../gs1";
import { countryText, creditCodeText } from "../read/organizations";
import { IndexSourceError } from "./errors";
import { filedInputs, takeFiledInput, type CustomsBatch, type FiledInput } from "./customs";

/** A block header as the index keeps it. */
export interface BlockRow {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

/** A transaction that wrote ledger logs. */
export interface TransactionRow {
  hash: Hex;
  block: bigint;
  index: number;
  from: Hex;
  to: Hex | null;
  selector: Hex | null;
  /** Sent through `recordBySig`: `from` is the relayer, each entry's account its signer. */
  relayed: boolean;
}

/** A raw ledger log. */
export interface LogRow {
  block: bigint;
  logIndex: number;
  txHash: Hex;
  txIndex: number;
  blockHash: Hex;
  address: Hex;
  topics: Hex[];
  data: Hex;
}

/** A decoded `Traced` log. */
export interface EntryRow {
  unit: Hex;
  seq: number;
  step: number;
  disposition: number;
  eventTime: number;
  location: bigint;
  prevBlock: number;
  org: number;
  aux: bigint;
  account: Hex;
  data: Hex;
  info: bigint;
  block: bigint;
  logIndex: number;
  txHash: Hex;
}

/** A unit registered in the range (its first entry). */
export interface UnitRow {
  key: Hex;
  /** Undefined when the registering call could not be decoded (e.g. made through another contract). */
  path?: string;
  kind?: string;
  gtin?: string;
  cpv?: string;
  lot?: string;
  serial?: string;
  sscc?: string;
  ginc?: string;
  gln?: string;
  registrant: number;
  block: bigint;
  logIndex: number;
}

/** A consortium log (organizations, accounts, prefixes), decoded, in chain order. */
export type ConsortiumChange = { block: bigint; logIndex: number } & (
  | {
      event: "OrganizationAdded";
      orgId: number;
      name: string;
      creditCode: string;
      gln?: string;
      country: string;
      roles: number;
    }
  | { event: "OrganizationRolesChanged"; orgId: number; roles: number }
  | { event: "OrganizationSuspended" | "OrganizationReactivated"; orgId: number }
  | { event: "AccountAdded"; account: Hex; orgId: number; by: Hex; orgAdmin: boolean }
  | { event: "AccountSuspended" | "AccountReactivated"; account: Hex }
  | { event: "AccountRotated"; from: Hex; to: Hex; orgId: number; by: Hex }
  | { event: "PrefixLicensed" | "PrefixRevoked"; prefixHash: Hex; orgId: number; licence: bigint; prefix: string }
  | {
      event: "ManufacturerAuthorized";
      prefixHash: Hex;
      holder: number;
      manufacturer: number;
      licence: bigint;
      authorized: boolean;
    }
);

/** Everything one range adds to the index. */
export interface IndexBatch {
  blocks: BlockRow[];
  transactions: TransactionRow[];
  logs: LogRow[];
  entries: EntryRow[];
  units: UnitRow[];
  consortium: ConsortiumChange[];
  /** Customs documents and refunds to repay (issue 14); absent when the range has none. */
  customs?: CustomsBatch;
}

/** What the decoder needs of a block fetched with its transactions. */
export interface SourceBlock {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
  transactions: Array<{ hash: Hex; transactionIndex: number; from: Hex; to: Hex | null; input: Hex }>;
}

const RELAY_SELECTOR = selectorOf("recordBySig");
const REGISTER_SELECTORS = new Set([selectorOf("register"), selectorOf("registerBatch")]);

function selectorOf(name: "recordBySig" | "register" | "registerBatch"): Hex {
  const item = traceLedgerAbi.find((x) => x.type === "function" && x.name === name);
  return toFunctionSelector(item as never);
}

const lower = (h: string) => h.toLowerCase() as Hex;
const TRACED_TOPIC = lower(encodeEventTopics({ abi: traceLedgerAbi, eventName: "Traced" })[0]);

/**
 * Decodes one range.
 *
 * @param logs - Every ledger log of the range, as `eth_getLogs` returns them (any order).
 * @param blocks - The blocks holding them, with their transactions.
 * @returns The rows, in chain order.
 * @throws IndexSourceError when a log names a block hash or transaction its block does not have.
 */
export function decodeRange(logs: RpcLog[], blocks: SourceBlock[]): IndexBatch {
  const byNumber = new Map(blocks.map((b) => [b.number, b]));
  const sorted = logs
    .map(toLogRow)
    .sort((a, b) => (a.block === b.block ? a.logIndex - b.logIndex : a.block < b.block ? -1 : 1));
  const batch: IndexBatch = { blocks: [], transactions: [], logs: sorted, entries: [], units: [], consortium: [] };
  const paths = new Map<Hex, string>();
  const filings = new Map<Hex, FiledInput[]>();
  const seenTx = new Set<Hex>();
  const seenBlock = new Set<bigint>();
  for (const log of sorted) {
    const block = byNumber.get(log.block);
    if (!block || lower(block.hash) !== log.blockHash) {
      throw new IndexSourceError(
        `The node's log ${log.block}/${log.logIndex} names block hash ${log.blockHash}, not its block's.`,
        {
          hints: ["The chain reorganized while the range was read; it is read again."],
        },
      );
    }
    if (!seenBlock.has(log.block)) {
      seenBlock.add(log.block);
      batch.blocks.push({
        number: block.number,
        hash: lower(block.hash),
        parentHash: lower(block.parentHash),
        timestamp: block.timestamp,
      });
    }
    if (!seenTx.has(log.txHash)) {
      seenTx.add(log.txHash);
      const tx = block.transactions.find((t) => lower(t.hash) === log.txHash);
      if (!tx) throw new IndexSourceError(`Block ${log.block} has no transaction ${log.txHash}, which its log names.`);
      batch.transactions.push(transactionRow(tx, log.block));
      for (const path of registeredPaths(tx.input)) paths.set(unitKeyOfPath(path), path);
      const filed = filedInputs(tx.input);
      if (filed.length > 0) filings.set(log.txHash, filed);
    }
    decodeLogInto(log, batch, paths, filings);
  }
  return batch;
}

function toLogRow(log: RpcLog): LogRow {
  if (log.blockNumber === null || log.logIndex === null || log.transactionHash === null || log.blockHash === null) {
    throw new IndexSourceError("The node returned a pending log for a mined block range.");
  }
  return {
    block: BigInt(log.blockNumber),
    logIndex: Number(log.logIndex),
    txHash: lower(log.transactionHash),
    txIndex: Number(log.transactionIndex),
    blockHash: lower(log.blockHash),
    address: lower(log.address),
    topics: log.topics.map(lower),
    data: lower(log.data),
  };
}

function transactionRow(tx: SourceBlock["transactions"][number], block: bigint): TransactionRow {
  const selector = tx.input.length >= 10 ? lower(tx.input.slice(0, 10)) : null;
  return {
    hash: lower(tx.hash),
    block,
    index: Number(tx.transactionIndex),
    from: lower(tx.from),
    to: tx.to ? lower(tx.to) : null,
    selector,
    relayed: selector === RELAY_SELECTOR,
  };
}

/** The paths a `register` / `registerBatch` call registers (none for any other call). */
function registeredPaths(input: Hex): string[] {
  if (!REGISTER_SELECTORS.has(lower(input.slice(0, 10)))) return [];
  try {
    const call = decodeFunctionData({ abi: traceLedgerAbi, data: input });
    const regs =
      call.functionName === "register"
        ? [call.args[0] as { path: Hex }]
        : call.functionName === "registerBatch"
          ? (call.args[0] as readonly { path: Hex }[])
          : [];
    return regs.map((r) => hexToString(r.path));
  } catch {
    return [];
  }
}

/**
 * Decodes one ledger log into `batch` (a `Traced` log into an entry, and a unit when it is a registration,
 * whose path `paths` may hold; a consortium log into a change). Logs of other events are left out.
 */
export function decodeLogInto(
  log: LogRow,
  batch: IndexBatch,
  paths: Map<Hex, string> = new Map(),
  filings: Map<Hex, FiledInput[]> = new Map(),
): void {
  // Nearly every log is a Traced one: its layout is fixed (2 indexed words, 2 data words), so it is read
  // directly; the generic ABI decoder costs several times more per log.
  if (log.topics[0] === TRACED_TOPIC && log.topics.length === 3 && log.data.length === 130) {
    const info = BigInt(`0x${log.data.slice(66)}`);
    const f = decodeInfo(info);
    const unit = log.topics[1];
    batch.entries.push({
      unit,
      ...f,
      account: `0x${log.topics[2].slice(26)}` as Hex,
      data: log.data.slice(0, 66) as Hex,
      info,
      block: log.block,
      logIndex: log.logIndex,
      txHash: log.txHash,
    });
    if (f.seq === 1)
      batch.units.push(unitRow(unit, paths.get(unit), f.org, { block: log.block, logIndex: log.logIndex }));
    return;
  }
  let decoded;
  try {
    decoded = decodeEventLog({
      abi: traceLedgerAbi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    });
  } catch {
    return; // A log the index does not decode stays in the raw table only.
  }
  const at = { block: log.block, logIndex: log.logIndex };
  const a = decoded.args as Record<string, unknown>;
  switch (decoded.eventName) {
    case "Traced": {
      const f = decodeInfo(a.info as bigint);
      const unit = lower(a.unit as string);
      batch.entries.push({
        unit,
        ...f,
        account: lower(a.account as string),
        data: lower(a.data as string),
        info: a.info as bigint,
        block: log.block,
        logIndex: log.logIndex,
        txHash: log.txHash,
      });
      if (f.seq === 1) batch.units.push(unitRow(unit, paths.get(unit), f.org, at));
      return;
    }
    case "OrganizationAdded": {
      const gln = a.gln as bigint;
      batch.consortium.push({
        ...at,
        event: "OrganizationAdded",
        orgId: Number(a.orgId),
        name: a.name as string,
        creditCode: creditCodeText(a.creditCode as Hex),
        country: countryText(a.country as Hex),
        roles: Number(a.roles),
        ...(gln > 0n ? { gln: gln.toString().padStart(13, "0") } : {}),
      });
      return;
    }
    case "OrganizationRolesChanged":
      batch.consortium.push({ ...at, event: decoded.eventName, orgId: Number(a.orgId), roles: Number(a.roles) });
      return;
    case "OrganizationSuspended":
    case "OrganizationReactivated":
      batch.consortium.push({ ...at, event: decoded.eventName, orgId: Number(a.orgId) });
      return;
    case "AccountAdded":
      batch.consortium.push({
        ...at,
        event: "AccountAdded",
        account: lower(a.account as string),
        orgId: Number(a.orgId),
        by: lower(a.by as string),
        orgAdmin: a.orgAdmin as boolean,
      });
      return;
    case "AccountSuspended":
    case "AccountReactivated":
      batch.consortium.push({ ...at, event: decoded.eventName, account: lower(a.account as string) });
      return;
    case "AccountRotated":
      batch.consortium.push({
        ...at,
        event: "AccountRotated",
        from: lower(a.from as string),
        to: lower(a.to as string),
        orgId: Number(a.orgId),
        by: lower(a.by as string),
      });
      return;
    case "PrefixLicensed":
    case "PrefixRevoked":
      batch.consortium.push({
        ...at,
        event: decoded.eventName,
        prefixHash: lower(a.prefixHash as string),
        orgId: Number(a.orgId),
        licence: a.licence as bigint,
        prefix: a.prefix as string,
      });
      return;
    case "ManufacturerAuthorized":
      batch.consortium.push({
        ...at,
        event: "ManufacturerAuthorized",
        prefixHash: lower(a.prefixHash as string),
        holder: Number(a.holder),
        manufacturer: Number(a.manufacturer),
        licence: a.licence as bigint,
        authorized: a.authorized as boolean,
      });
      return;
    case "CustomsDocumentFiled": {
      const doc = {
        unit: lower(a.unit as string),
        kind: Number(a.kind),
        numberHash: lower(a.numberHash as string),
        recordHash: lower(a.recordHash as string),
      };
      const input = takeFiledInput(filings.get(log.txHash), doc);
      batch.customs ??= { documents: [], refundsToRepay: [] };
      batch.customs.documents.push({
        ...doc,
        docId: lower(a.docId as string),
        org: Number(a.org),
        orderRef: lower(a.orderRef as string),
        mode: Number(a.mode),
        ...(input ? { terms: input.terms } : {}),
        cites: input?.cites ?? [],
        ...at,
        txHash: log.txHash,
      });
      return;
    }
    case "CustomsRefundToRepay":
      batch.customs ??= { documents: [], refundsToRepay: [] };
      batch.customs.refundsToRepay.push({ unit: lower(a.unit as string), ...at, txHash: log.txHash });
      return;
    default:
      return;
  }
}

/** The unit row of a registration; the GS1 parts only when the path is a valid canonical code. */
export function unitRow(
  key: Hex,
  path: string | undefined,
  registrant: number,
  at: { block: bigint; logIndex: number },
): UnitRow {
  const row: UnitRow = { key, registrant, block: at.block, logIndex: at.logIndex };
  if (path === undefined || unitKeyOfPath(path) !== key) return row;
  row.path = path;
  try {
    const id = parseGs1(path);
    if (id.canonicalPath !== path) return row;
    Object.assign(row, {
      kind: id.kind,
      gtin: id.gtin,
      cpv: id.cpv,
      lot: id.lot,
      serial: id.serial,
      sscc: id.sscc,
      ginc: id.ginc,
      gln: id.gln,
    });
  } catch {
    // The ledger checks the prefix, not the whole code: an invalid code keeps its path, without parts.
  }
  return row;
}
