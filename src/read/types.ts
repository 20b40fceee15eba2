/** Types of the read path: unit state, history entries and journeys. */
import type { Address, Hex } from "viem";
import type { StepName, StageName } from "../codes";
import type { BlockHeader } from "./blocks";

/** Where a ledger lives: enough to read it from any JSON-RPC endpoint. */
export interface LedgerLocation {
  /** The ledger contract address. */
  address: Address;
  /** The chain id the ledger was deployed on; reads refuse an endpoint serving another chain. */
  chainId?: number;
  /** The deployment block: no log query goes below it. */
  deploymentBlock?: bigint;
  /** The ledger's `version()` (it decides the hash-chain format); read from the ledger when not given. */
  version?: string;
}

/** A unit's on-chain state (`unitState`). */
export interface UnitState {
  unit: Hex;
  registered: boolean;
  head: Hex;
  seq: number;
  lastBlock: bigint;
  stage: number;
  stageName: StageName | undefined;
  held: boolean;
  recalled: boolean;
  flagged: boolean;
  packed: boolean;
  /** A unit packed inside it (at any depth) is held or recalled: it may not move until that is lifted or unpacked. */
  holdsStopped: boolean;
  registrant: number;
  custodian: number;
  /** The parent unit key while packed, else undefined. */
  parent: Hex | undefined;
}

/** One entry of a unit's history, decoded from its `Traced` log. */
export interface TraceEntry {
  unit: Hex;
  account: Address;
  data: Hex;
  info: bigint;
  seq: number;
  step: number;
  stepName: StepName | undefined;
  disposition: number;
  eventTime: number;
  location: bigint;
  prevBlock: number;
  org: number;
  aux: bigint;
  blockNumber: bigint;
  /** The timestamp of the entry's block (Unix seconds), from its header; covered by the hash chain. */
  blockTime: number;
  logIndex: number;
  transactionHash: Hex;
  blockHash: Hex;
}

/** A unit's own history, checked against its chain head. */
export interface UnitHistory {
  state: UnitState;
  entries: TraceEntry[];
  /** The head recomputed from the entries. */
  recomputedHead: Hex;
  /** True when the recomputed head and count equal the on-chain ones. */
  intact: boolean;
  /** How many `eth_getLogs` calls collecting it took. */
  logQueries: number;
  /** The headers of the entries' blocks, as read. */
  headers: Map<bigint, BlockHeader>;
}

/** An entry of a journey: the unit's own entries and those of the parents it was packed in at the time. */
export interface JourneyEntry extends TraceEntry {
  /** Set when the entry was recorded on a parent while the unit was inside it. */
  inheritedFrom?: Hex;
}

/** A unit's journey with every history it depends on. */
export interface Journey {
  unit: Hex;
  entries: JourneyEntry[];
  /** The unit's own history and those of every parent involved, by unit key. */
  histories: Map<Hex, UnitHistory>;
  /** True when every history involved is intact. */
  intact: boolean;
}
