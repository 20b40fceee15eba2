/**
 * What a verification read, as plain data: `collect` fills it from the chain, `judge` turns it into reasons
 * without any I/O. Reading stops at the first thing that settles a failing verdict, so later fields of a
 * ledger evidence are empty when an earlier one fails.
 */
import type { Hex } from "viem";
import type { UnitState } from "../read/types";
import type { StateDisagreement } from "./derive";
import type { OrganizationInfo, VerifiedEntry } from "./types";
import type { OwnershipEvidence } from "./licence";
import type { KeyEvidence } from "./keys";
import type { AuthenticityEvidence } from "./authenticity";

/** The block every read of one verification is pinned to, and the depth it was chosen at. */
export interface ChainView {
  blockNumber: bigint;
  blockHash: Hex;
  confirmations: number;
}

/** The input is not a GS1 code: nothing was read. */
export interface InvalidCodeEvidence {
  kind: "invalidCode";
  /** Why the parser refused it. */
  error: string;
}

/** The endpoint serves another chain, or the address is not a cbec-trace ledger: nothing else was read. */
export interface WrongDeploymentEvidence {
  kind: "wrongDeployment";
  /** What the deployment check found (it names the actual chain). */
  error: string;
}

/** A current parent of the unit (innermost first). */
export interface ParentEvidence {
  unit: Hex;
  /** Its state, when its history is part of the journey (the one its flags and stage count from). */
  state?: UnitState;
}

/** What the ledger says about the unit, read as of one pinned block. */
export interface LedgerEvidence {
  kind: "ledger";
  view: ChainView;
  /** The unit's state; undefined when the ledger did not exist yet at the pinned block. */
  state?: UnitState;
  /** Why the logs served cannot be the unit's journey (an `InconsistentLogsError`), when so. */
  inconsistentLogs?: string;
  /** Units of the journey whose history does not match its hash-chain head. */
  brokenHistories: Hex[];
  /** Fields of the served states of the unit and its parents that their proven histories contradict. */
  stateDisagreements: StateDisagreement[];
  /** The parents the unit is packed in now, innermost first. */
  parents: ParentEvidence[];
  /** The stage that holds for the unit: its own, or a parent's further one. */
  effectiveStage?: number;
  /** The registering organization; undefined when the ledger does not know it. */
  registrant?: OrganizationInfo;
  /** The journey, each entry with its proofs (organization, signature, record, correction). */
  entries: VerifiedEntry[];
  /** The current allowed-roles mask of every step in the journey. */
  matrix: Map<number, number>;
  /**
   * Who owned the code at its registration (prefix registry history); set once the journey is proven. Its
   * absence on a read that got that far is itself a failure (`judge`), never taken for "fine".
   */
  ownership?: OwnershipEvidence;
  /** How the journey's signing keys got there (set once the journey is proven). */
  keys?: KeyEvidence;
  /** The unit's first-scan claim and tag, when a claims registry was named and existed at the pinned block. */
  authenticity?: AuthenticityEvidence;
}

export type Evidence = InvalidCodeEvidence | WrongDeploymentEvidence | LedgerEvidence;
