/**
 * A progress line on stderr: an updating bar on a terminal, a plain line every few seconds otherwise
 * (CI logs), so long commands never look hung.
 */
export class Progress {
  private readonly started = performance.now();
  private lastPrint = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly label: string,
    private readonly total?: number,
    private readonly quiet = false,
  ) {}

  update(done: number): void {
    if (this.quiet) return;
    const now = performance.now();
    if (now - this.lastPrint < (this.tty ? 200 : 5000)) return;
    this.lastPrint = now;
    const line = this.render(done, now);
    process.stderr.write(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  finish(done: number): { seconds: number; rate: number } {
    const seconds = (performance.now() - this.started) / 1000;
    if (!this.quiet && this.tty) process.stderr.write(`\r${this.render(done, performance.now())}\x1b[K\n`);
    return { seconds, rate: seconds > 0 ? done / seconds : done };
  }

  private render(done: number, now: number): string {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    if (!this.total) return `${this.label}: ${fmt(done)} (${fmt(rate)}/s)`;
    const ratio = Math.min(1, done / this.total);
    const width = 30;
    const bar = '#'.repeat(Math.round(ratio * width)).padEnd(width, '.');
    const eta = rate > 0 ? Math.max(0, (this.total - done) / rate) : 0;
    return `${this.label} [${bar}] ${(ratio * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(this.total)} ${fmt(rate)}/s ETA ${eta.toFixed(0)}s`;
  }
}

export function formatRate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
