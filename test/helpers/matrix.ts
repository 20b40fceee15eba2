/**
 * The default role × step permission matrix as the tests state it (the spec, written by role names, as in
 * contracts/libraries/DefaultPermissions.sol), and the member organizations the matrix tests go through.
 */
import { STEP_NAMES, ROLES, type RoleName, type StepName } from "../../src/codes";
import type { MemberName } from "./ledger";

const GOODS: RoleName[] = ["EXPORTER", "MANUFACTURER", "WAREHOUSE", "CARRIER"];
const REG: RoleName[] = ["CUSTOMS", "MARKET_REGULATOR"];
const EXP_PLT: RoleName[] = ["EXPORTER", "PLATFORM"];
const CUS: RoleName[] = ["CUSTOMS"];

/** The default matrix (spec): which roles may record each step. */
export const DEFAULT_MATRIX: Record<StepName, RoleName[]> = {
  COMMISSIONING: ["EXPORTER", "MANUFACTURER"],
  INSPECTING: ["EXPORTER", "MANUFACTURER", "WAREHOUSE", "INSPECTION_LAB", ...REG],
  SAMPLING: ["INSPECTION_LAB", ...REG],
  STORING: ["EXPORTER", "MANUFACTURER", "WAREHOUSE"],
  RECEIVING: GOODS,
  ACCEPTING: ["EXPORTER", "WAREHOUSE", "CARRIER"],
  PACKING: [...GOODS, "CUSTOMS"],
  UNPACKING: [...GOODS, "CUSTOMS", "MARKET_REGULATOR"],
  LOADING: ["WAREHOUSE", "CARRIER"],
  SHIPPING: GOODS,
  DEPARTING: ["CARRIER"],
  TRANSPORTING: ["CARRIER"],
  ARRIVING: ["WAREHOUSE", "CARRIER"],
  UNLOADING: ["WAREHOUSE", "CARRIER"],
  RETAIL_SELLING: EXP_PLT,
  DESTROYING: ["EXPORTER", "MANUFACTURER", "WAREHOUSE", ...REG],
  DECOMMISSIONING: ["EXPORTER", "MANUFACTURER"],
  REPAIRING: ["EXPORTER", "MANUFACTURER"],
  STOCKING: ["EXPORTER", "WAREHOUSE"],
  STAGING_OUTBOUND: ["EXPORTER", "MANUFACTURER", "WAREHOUSE"],
  ENTERING_EXITING: ["WAREHOUSE", "CARRIER", "CUSTOMS"],
  HOLDING: GOODS,
  DELIVERED: ["CARRIER"],
  RETURNED: ["EXPORTER", "WAREHOUSE", "CARRIER"],
  // Trust model v2: customs accepts custody of goods it seizes (offer + accept share the step).
  CUSTODY_TRANSFERRED: [...GOODS, "CUSTOMS"],
  ASSIGNED: GOODS,
  CORRECTION: [...GOODS, "CUSTOMS_BROKER", "INSPECTION_LAB", "PLATFORM", ...REG],
  CUSTOMS_DECLARED: ["EXPORTER", "CUSTOMS_BROKER"],
  CUSTOMS_INSPECTED: CUS,
  CUSTOMS_HELD: CUS,
  CUSTOMS_RELEASED: CUS,
  CUSTOMS_EXITED: CUS,
  CUSTOMS_RETURNED: CUS,
  CUSTOMS_REJECTED: CUS,
  // Customs documents (issue 14): each filed by its issuer, through `fileDocument` only.
  ORDER_PLACED: EXP_PLT,
  PAYMENT_RECEIVED: ["PAYMENT_INSTITUTION"],
  TAX_REFUNDED: ["TAX_AUTHORITY"],
  FX_SETTLED: ["PAYMENT_INSTITUTION"],
  HOLD: REG,
  HOLD_LIFTED: REG,
  FLAGGED: REG,
  FLAG_LIFTED: REG,
  RECALL: ["EXPORTER", ...REG],
  RECALL_LIFTED: REG,
  WAYBILL_ISSUED: ["CARRIER"],
  WAREHOUSE_BOOKED: ["EXPORTER", "WAREHOUSE"],
  SUMMARY_DECLARED: ["EXPORTER", "CUSTOMS_BROKER"],
};

/** Steps with an entry point of their own, which `record` refuses. */
export const DEDICATED_STEPS = [
  "COMMISSIONING",
  "PACKING",
  "UNPACKING",
  "CUSTODY_TRANSFERRED",
  "ASSIGNED",
  "CORRECTION",
  // Customs documents: `fileDocument`.
  "ORDER_PLACED",
  "PAYMENT_RECEIVED",
  "WAYBILL_ISSUED",
  "WAREHOUSE_BOOKED",
  "CUSTOMS_DECLARED",
  "SUMMARY_DECLARED",
  "FX_SETTLED",
  "TAX_REFUNDED",
] as const;

/** The dedicated steps that customs documents record (`fileDocument`). */
export const DOCUMENT_STEPS = DEDICATED_STEPS.slice(6);
export type RecordableStep = Exclude<StepName, (typeof DEDICATED_STEPS)[number]>;

/** The steps `record` takes, in step order. */
export const RECORDABLE_STEPS = STEP_NAMES.filter(
  (s): s is RecordableStep => !(DEDICATED_STEPS as readonly string[]).includes(s),
);

/** The default matrix restricted to the steps `record` takes. */
export const RECORDABLE_MATRIX = Object.fromEntries(RECORDABLE_STEPS.map((s) => [s, DEFAULT_MATRIX[s]])) as Record<
  RecordableStep,
  RoleName[]
>;

/** Every role bit set. */
export const ALL_ROLES = (1 << ROLES.COUNT) - 1;

/** Members that need an assignment to be in scope (the exporter registers, regulators need no scope). */
export const ASSIGNEES = [
  "factory",
  "warehouse",
  "carrier",
  "broker",
  "lab",
  "platform",
] as const satisfies readonly MemberName[];

/** The member organizations of the matrix (one role each); `rival` is a second exporter, left out. */
export const MATRIX_MEMBERS = ["exporter", ...ASSIGNEES, "customs", "market"] as const satisfies readonly MemberName[];
export type MatrixMember = (typeof MATRIX_MEMBERS)[number];
