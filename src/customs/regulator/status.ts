/**
 * A declaration's status, from the customs receipts recorded on its unit after it: the one definition the
 * index's SQL (`src/indexer/queries/customs.ts`) and the chain reading of `trace customs show` both follow.
 * Receipts are ordinary steps (spec of issue 14): release 800, exit 899, return 700, rejection 100. A unit is
 * declared again only after a rejection, so "after it" means up to the unit's next declaration.
 */
import { STEPS } from "../../codes";

/** What became of a declaration. */
export type DeclarationStatus = "declared" | "released" | "exited" | "rejected" | "returned";

/**
 * The statuses a receipt gives, strongest first: a rejection voids the declaration, a return (退运, or a
 * buyer's return) undoes the export, an exit supersedes a release. No receipt at all: "declared".
 */
export const STATUS_RECEIPTS: ReadonlyArray<readonly [DeclarationStatus, readonly number[]]> = [
  ["rejected", [STEPS.CUSTOMS_REJECTED]],
  ["returned", [STEPS.CUSTOMS_RETURNED, STEPS.RETURNED]],
  ["exited", [STEPS.CUSTOMS_EXITED]],
  ["released", [STEPS.CUSTOMS_RELEASED]],
];

/** Every status, in the order lists and filters name them. */
export const DECLARATION_STATUSES: readonly DeclarationStatus[] = [
  "declared",
  "released",
  "exited",
  "rejected",
  "returned",
];

/** Every step that is a receipt for {@link STATUS_RECEIPTS}. */
export const RECEIPT_STEPS: readonly number[] = STATUS_RECEIPTS.flatMap(([, steps]) => steps);

/**
 * The status of a declaration given the steps recorded on its unit after it (and before its next one).
 * @param steps Step codes, any order.
 */
export function declarationStatus(steps: Iterable<number>): DeclarationStatus {
  const seen = new Set(steps);
  return STATUS_RECEIPTS.find(([, codes]) => codes.some((c) => seen.has(c)))?.[0] ?? "declared";
}
