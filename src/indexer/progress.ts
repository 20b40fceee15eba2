/**
 * Catch-up progress on stderr: a bar redrawn in place on a terminal, and a plain line every 10 % (and at
 * the end) otherwise, so CI logs and `npm start` output stay readable.
 */
import type { CatchUpSummary, FollowerProgress } from "./follower";

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** A progress callback for the follower, writing to `stream` (default: stderr). */
export function progressPrinter(stream: ProgressStream = process.stderr): (p: FollowerProgress) => void {
  let lastTenth = -1;
  let entries = 0;
  return (p) => {
    if (p.step.kind === "indexed") entries += p.step.entries;
    if (p.step.kind === "reorg") {
      stream.write(
        `${stream.isTTY ? "\n" : ""}index: reorganization: rolled back to block ${p.step.forkPoint} (${p.step.droppedEntries} entries dropped)\n`,
      );
      return;
    }
    const span = p.target - p.start;
    const done = p.cursor - p.start;
    const ratio = span <= 0n ? 1 : Math.min(1, Number(done) / Number(span));
    const line = `index: block ${p.cursor} of ${p.target}, ${entries} entries (${Math.floor(ratio * 100)} %)`;
    if (stream.isTTY) {
      const width = 30;
      const full = Math.round(ratio * width);
      stream.write(`\r[${"#".repeat(full)}${"-".repeat(width - full)}] ${line}${ratio >= 1 ? "\n" : ""}`);
      return;
    }
    const tenth = Math.floor(ratio * 10);
    if (tenth > lastTenth) {
      lastTenth = tenth;
      stream.write(`${line}\n`);
    }
  };
}

/** The summary line of a catch-up (`trace index --once`, `npm start`). */
export function summaryLine(s: CatchUpSummary): string {
  return `indexed ${s.blocks} blocks, ${s.entries} entries, ${s.units} units in ${s.seconds.toFixed(1)} s (cursor ${s.cursor}${s.reorgs ? `, ${s.reorgs} reorganizations` : ""})`;
}
