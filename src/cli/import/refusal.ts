/** A ledger refusal during `trace import`, named by the file's row and the code as written there. */
import { BatchItemRejectedError, ContractRefusalError } from "../../errors/contract";
import { TraceError } from "../../errors/base";
import { unlicensedReason, type CodeNotLicensedError } from "../../errors/licence";
import { unitKeyOfPath } from "../../gs1/key";
import type { ImportRow } from "./rows";

/** The ledger refused the write of one import row; the exit code stays that of a refusal (3). */
export class RowRefusedError extends ContractRefusalError {
  override name = "RowRefusedError" as const;
  constructor(
    readonly file: string,
    readonly row: ImportRow,
    readonly reason: ContractRefusalError,
  ) {
    const inner = reason instanceof BatchItemRejectedError ? reason.reason : reason;
    super(
      reason.errorName,
      reason.args,
      `${file} row ${row.line} (${row.code}) was refused by the ledger: ${inner.shortMessage}`,
      [
        ...inner.hints,
        "Rows before its group are on chain; fix or remove that row and run the import again (written rows are skipped).",
      ],
      reason.data,
    );
  }
}

/**
 * The row a refusal of a group of `items` is about: the item a batch refusal names, else the one whose unit
 * key the refusal carries, else the only one of the group.
 */
export function refusedRow<T extends { unit: string } | { path: string }>(
  error: ContractRefusalError,
  items: T[],
  rowOf: Map<T, ImportRow>,
): ImportRow | undefined {
  if (error instanceof BatchItemRejectedError) return items[error.index] && rowOf.get(items[error.index]);
  const args = error.args.map((a) => String(a).toLowerCase());
  const keyOf = (i: T) => ("unit" in i ? i.unit : unitKeyOfPath(i.path)).toLowerCase();
  const named = items.find((i) => args.includes(keyOf(i)));
  if (named) return rowOf.get(named);
  return items.length === 1 ? rowOf.get(items[0]) : undefined;
}

/** How many refused rows the message lists one by one (all are in `rows`). */
const LISTED = 20;

/**
 * Register rows whose codes the importing organization may not register (prefix not licensed to it, and
 * no authorization from the holder), every one named by its row and code; nothing of the file was sent.
 * Exit code: a refusal (3).
 */
export class RowsNotLicensedError extends TraceError {
  override name = "RowsNotLicensedError" as const;
  constructor(
    readonly file: string,
    readonly rows: ImportRow[],
    readonly reason: CodeNotLicensedError,
  ) {
    const lines = reason.refused.map(
      (c, k) => `row ${rows[k].line} (${rows[k].code}): ${unlicensedReason(c, reason.orgId)}`,
    );
    super(
      `${file}: ${rows.length} register row(s) may not be registered by organization ${reason.orgId}, so nothing was sent.`,
      {
        hints: [
          ...lines.slice(0, LISTED),
          ...(lines.length > LISTED ? [`… and ${lines.length - LISTED} more rows.`] : []),
          "Fix or remove those rows (or get the prefix licensed or your organization authorized) and run the import again.",
        ],
        cause: reason,
      },
    );
  }
}
