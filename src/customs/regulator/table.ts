/** The regulator's rows as a plain-text table for a terminal: the same columns as the CSV, padded. */
import type { Column } from "./csv";

/**
 * An aligned text table (header, then one line per row; empty values as "-").
 * @param columns The columns, in order.
 * @param rows The rows.
 */
export function textTable<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const cells = [columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => String(c.value(r) ?? "") || "-"))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells
    .map((line) =>
      line
        .map((cell, i) => cell.padEnd(widths[i]))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
