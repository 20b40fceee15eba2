/** A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise (logs, CI). */
export class Progress {
  private done = 0;
  private lastTenth = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly enabled: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  add(n: number): void {
    this.done += n;
    if (!this.enabled || this.total === 0) return;
    const ratio = this.done / this.total;
    const rate = this.done / Math.max(0.001, (Date.now() - this.started) / 1000);
    const text = `${this.label} ${this.done}/${this.total} (${Math.floor(ratio * 100)}%) ${rate.toFixed(0)}/s`;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      this.stream.write(`\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${text}`);
      if (this.done >= this.total) this.stream.write("\n");
    } else if (Math.floor(ratio * 10) !== this.lastTenth) {
      this.lastTenth = Math.floor(ratio * 10);
      this.stream.write(`${text}\n`);
    }
  }
}
