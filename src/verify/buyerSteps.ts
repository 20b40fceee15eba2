/**
 * Which steps a buyer sees, in which stage of the journey, and dispositions in words. Finance and document
 * steps (order, payment, tax refund, FX settlement, the customs documents) are the seller's business, not
 * the goods' journey: they are never shown to buyers (they stay in the explorer and the proofs). The one
 * table the page and the CLI's buyer view share. Pure, browser-safe.
 */
import { DISPOSITIONS, STEPS, dispositionName, type StepName } from "../codes";
import { DISPOSITION_LABELS, type JourneyStage } from "../page/text";

/**
 * Steps a buyer is not shown, by name: the finance steps, the party assignments (bookkeeping of who may
 * write), and the customs filings that are paperwork rather than the goods' journey (the overseas warehouse
 * booking, the summary declaration). Buyers see origin, inspection, customs release and exit, transport and
 * delivery: the carrier's waybill is shown, as the moment the shipment was booked.
 */
const HIDDEN_STEP_NAMES: readonly string[] = [
  "ORDER_PLACED",
  "PAYMENT_RECEIVED",
  "TAX_REFUNDED",
  "FX_SETTLED",
  "ASSIGNED",
  "WAREHOUSE_BOOKED",
  "SUMMARY_DECLARED",
];

/** The step codes hidden from buyers: {@link HIDDEN_STEP_NAMES} the generated codes define. */
export const HIDDEN_FROM_BUYERS: ReadonlySet<number> = new Set(
  HIDDEN_STEP_NAMES.filter((n) => Object.prototype.hasOwnProperty.call(STEPS, n)).map(
    (n) => STEPS[n as keyof typeof STEPS],
  ),
);

/** Whether a buyer is shown this step. */
export function shownToBuyers(step: number): boolean {
  return !HIDDEN_FROM_BUYERS.has(step);
}

const STAGE_OF: Partial<Record<StepName, JourneyStage>> = {
  COMMISSIONING: "production",
  WAYBILL_ISSUED: "shipment",
  INSPECTING: "inspection",
  SAMPLING: "inspection",
  RECEIVING: "warehousing",
  ACCEPTING: "warehousing",
  STORING: "warehousing",
  STOCKING: "warehousing",
  STAGING_OUTBOUND: "warehousing",
  ENTERING_EXITING: "warehousing",
  HOLDING: "warehousing",
  CUSTOMS_DECLARED: "customs",
  CUSTOMS_INSPECTED: "customs",
  CUSTOMS_HELD: "customs",
  CUSTOMS_RELEASED: "customs",
  CUSTOMS_EXITED: "customs",
  CUSTOMS_RETURNED: "customs",
  CUSTOMS_REJECTED: "customs",
  LOADING: "transport",
  SHIPPING: "transport",
  DEPARTING: "transport",
  TRANSPORTING: "transport",
  ARRIVING: "transport",
  UNLOADING: "transport",
  DELIVERED: "delivery",
  RETAIL_SELLING: "delivery",
  RETURNED: "afterSale",
  REPAIRING: "afterSale",
  DESTROYING: "afterSale",
  DECOMMISSIONING: "afterSale",
};

/**
 * The stage a step belongs to, or undefined for steps that happen in any stage (packing, custody handovers,
 * corrections, regulator holds, flags and recalls): those stay in the stage the goods were in. A carton's or
 * consignment's own registration (`container`) starts its shipment, not a production.
 */
export function stageOfStep(step: StepName | undefined, container = false): JourneyStage | undefined {
  if (container && step === "COMMISSIONING") return "shipment";
  return step ? STAGE_OF[step] : undefined;
}

/** A disposition in words (`passed` / `合格`), or undefined for none or an unknown code. */
export function dispositionWords(code: number): { en: string; zh: string } | undefined {
  if (code === DISPOSITIONS.NONE) return undefined;
  const name = dispositionName(code);
  if (!name) return undefined;
  const [en, zh] = DISPOSITION_LABELS[name];
  return { en, zh };
}
