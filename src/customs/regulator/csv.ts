/**
 * CSV as RFC 4180 writes it, the one writer of every `--csv` and of the explorer's downloads: a header row,
 * the columns in the order given, CRLF line ends, and a field quoted when it holds a comma, a double quote,
 * CR or LF (a quote doubled inside). The text is a JavaScript string; callers write it as UTF-8.
 */

/** One column: its header and how a row shows in it. */
export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | bigint | undefined;
}

/** A field as RFC 4180 needs it. */
export function csvField(value: string | number | boolean | bigint | undefined): string {
  const text = value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The CSV text of `rows`.
 * @param columns The columns, in order (the header row names them).
 * @param rows The rows.
 * @returns Header and rows, each line ended by CRLF.
 */
export function toCsv<T>(columns: readonly Column<T>[], rows: readonly T[]): string {
  const line = (fields: string[]) => `${fields.join(",")}\r\n`;
  return (
    line(columns.map((c) => csvField(c.header))) +
    rows.map((r) => line(columns.map((c) => csvField(c.value(r))))).join("")
  );
}
