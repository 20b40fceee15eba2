/** A ledger refusal during `trace import`, named by the file's row and the code as written there. */
import { BatchItemRejectedError, ContractRefusalError } from "../../errors/contract";
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
export function refusedRow<T extends { unit: string }>(
  error: ContractRefusalError,
  items: T[],
  rowOf: Map<T, ImportRow>,
): ImportRow | undefined {
  if (error instanceof BatchItemRejectedError) return items[error.index] && rowOf.get(items[error.index]);
  const args = error.args.map((a) => String(a).toLowerCase());
  const named = items.find((i) => args.includes(i.unit.toLowerCase()));
  if (named) return rowOf.get(named);
  return items.length === 1 ? rowOf.get(items[0]) : undefined;
}
