/**
 * Synthetic but realistic index rows for the index benchmark: groups of one consignment, 10 cartons and 100
 * items, each unit with 20 entries (registration, events, the items packed into their carton and the cartons
 * into the consignment, later unpacked), 100 entries per block and one transaction per block, written by 10
 * organizations. Rows go through the follower's own `writeBatch`.
 */
import { keccak256, numberToHex, pad, type Hex } from "viem";
import { encodeInfo, STEPS } from "../../src/codes";
import { traceLedgerAbi } from "../../src/generated/abi";
import { encodeEventTopics } from "viem";
import { consignmentPath, gs1CheckDigit, itemPath, ssccPath, unitKeyOfPath } from "../../src/gs1/key";
import { unitRow, type ConsortiumChange, type EntryRow, type IndexBatch } from "../../src/indexer/decode";

export const ENTRIES_PER_UNIT = 20;
export const ITEMS_PER_CARTON = 10;
export const CARTONS_PER_GROUP = 10;
const ENTRIES_PER_BLOCK = 100;
const ORGS = 10;
const TRACED = encodeEventTopics({ abi: traceLedgerAbi, eventName: "Traced" })[0].toLowerCase() as Hex;
const GTIN = "0690123456789" + gs1CheckDigit("0690123456789");
const LEDGER = "0x5fbdb2315678afecb367f032d93f642f64180aa3" as Hex;

const word = (n: number, salt: number): Hex => pad(numberToHex(n * 7919 + salt), { size: 32 });
const account = (org: number): Hex => pad(numberToHex(0x1000 + org), { size: 20 });

/** One synthetic group's unit keys and paths. */
export interface SyntheticGroup {
  consignment: { key: Hex; path: string };
  cartons: Array<{ key: Hex; path: string }>;
  items: Array<{ key: Hex; path: string }>;
}

function group(g: number): SyntheticGroup {
  const unit = (path: string) => ({ key: unitKeyOfPath(path), path });
  const sscc = (c: number) => {
    const body = "0690123" + String(g * CARTONS_PER_GROUP + c).padStart(10, "0");
    return ssccPath(body + gs1CheckDigit(body));
  };
  return {
    consignment: unit(consignmentPath(`6901234MAWB${g}`)),
    cartons: Array.from({ length: CARTONS_PER_GROUP }, (_, c) => unit(sscc(c))),
    items: Array.from({ length: CARTONS_PER_GROUP * ITEMS_PER_CARTON }, (_, i) =>
      unit(itemPath({ gtin: GTIN, lot: `L${g}`, serial: `S${i}` })),
    ),
  };
}

/** The organizations and their accounts (the first batch's consortium logs). */
export function consortiumChanges(): ConsortiumChange[] {
  const changes: ConsortiumChange[] = [];
  for (let o = 1; o <= ORGS; o++) {
    changes.push({
      block: 1n,
      logIndex: 2 * o,
      event: "OrganizationAdded",
      orgId: o,
      name: `Synthetic Trading Co ${o}`,
      creditCode: `91440300MA5F${String(o).padStart(6, "0")}`,
      country: "CN",
      roles: 0b11111,
    });
    changes.push({
      block: 1n,
      logIndex: 2 * o + 1,
      event: "AccountAdded",
      account: account(o),
      orgId: o,
      by: account(0),
      orgAdmin: true,
    });
  }
  return changes;
}

/** Generates groups one at a time, as index batches of whole blocks (blocks from 2 on). */
export class SyntheticChain {
  private block = 1n;
  private blockHash: Hex = "0x";
  private txHash: Hex = "0x";
  private logIndex = ENTRIES_PER_BLOCK;
  private last = new Map<Hex, { seq: number; block: bigint }>();
  readonly groups: SyntheticGroup[] = [];
  entries = 0;

  /** The rows of the next group (about 2,220 entries). */
  nextGroup(): IndexBatch {
    const g = group(this.groups.length);
    this.groups.push(g);
    const batch: IndexBatch = { blocks: [], transactions: [], logs: [], entries: [], units: [], consortium: [] };
    const org = (this.groups.length % ORGS) + 1;
    const all = [g.consignment, ...g.cartons, ...g.items];
    const cartonOf = (i: number) => g.cartons[Math.floor(i / ITEMS_PER_CARTON)].key;
    for (let s = 0; s < ENTRIES_PER_UNIT; s++) {
      all.forEach((u, index) => {
        const isItem = index > CARTONS_PER_GROUP;
        const isCarton = index >= 1 && index <= CARTONS_PER_GROUP;
        let step: number = STEPS.STORING;
        let data = word(this.entries, 1);
        let aux = 0n;
        if (s === 0) step = STEPS.COMMISSIONING;
        else if (s === 4 && isItem) [step, data] = [STEPS.PACKING, cartonOf(index - 1 - CARTONS_PER_GROUP)];
        else if (s === 4 && isCarton) [step, aux] = [STEPS.PACKING, BigInt(ITEMS_PER_CARTON)];
        else if (s === 5 && isCarton) [step, data] = [STEPS.PACKING, g.consignment.key];
        else if (s === 5 && index === 0) [step, aux] = [STEPS.PACKING, BigInt(CARTONS_PER_GROUP)];
        else if (s === 15 && isCarton) [step, data] = [STEPS.UNPACKING, g.consignment.key];
        else if (s === 16 && isItem) [step, data] = [STEPS.UNPACKING, cartonOf(index - 1 - CARTONS_PER_GROUP)];
        this.push(batch, u, { step, data, aux, org });
      });
    }
    if (this.groups.length === 1) batch.consortium.push(...consortiumChanges());
    return batch;
  }

  private push(
    batch: IndexBatch,
    u: { key: Hex; path: string },
    e: { step: number; data: Hex; aux: bigint; org: number },
  ) {
    if (this.logIndex >= ENTRIES_PER_BLOCK) this.newBlock(batch);
    const prev = this.last.get(u.key);
    const seq = (prev?.seq ?? 0) + 1;
    const info = encodeInfo({
      step: e.step,
      disposition: 0,
      eventTime: 1_767_225_600 + this.entries,
      location: 6901234000016n,
      prevBlock: Number(prev?.block ?? 0n),
      seq,
      org: e.org,
      aux: e.aux,
    });
    const tx = this.txHash;
    const row: EntryRow = {
      unit: u.key,
      seq,
      step: e.step,
      disposition: 0,
      eventTime: 1_767_225_600 + this.entries,
      location: 6901234000016n,
      prevBlock: Number(prev?.block ?? 0n),
      org: e.org,
      aux: e.aux,
      account: account(e.org),
      data: e.data,
      info,
      block: this.block,
      logIndex: this.logIndex,
      txHash: tx,
    };
    batch.entries.push(row);
    batch.logs.push({
      block: this.block,
      logIndex: this.logIndex,
      txHash: tx,
      txIndex: 0,
      blockHash: this.blockHash,
      address: LEDGER,
      topics: [TRACED, u.key, pad(account(e.org))],
      data: `${e.data}${numberToHex(info, { size: 32 }).slice(2)}` as Hex,
    });
    if (seq === 1) batch.units.push(unitRow(u.key, u.path, e.org, { block: this.block, logIndex: this.logIndex }));
    this.last.set(u.key, { seq, block: this.block });
    this.logIndex++;
    this.entries++;
  }

  private newBlock(batch: IndexBatch) {
    this.block++;
    this.logIndex = 0;
    const hash = keccak256(numberToHex(this.block));
    this.blockHash = hash;
    this.txHash = word(Number(this.block), 9);
    batch.blocks.push({
      number: this.block,
      hash,
      parentHash: keccak256(numberToHex(this.block - 1n)),
      timestamp: 1_767_225_600n + this.block * 2n,
    });
    batch.transactions.push({
      hash: this.txHash,
      block: this.block,
      index: 0,
      from: account(1),
      to: LEDGER,
      selector: "0x12345678",
      relayed: false,
    });
  }

  /** The block of the last row generated. */
  get head(): bigint {
    return this.block;
  }
}
