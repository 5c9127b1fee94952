/**
 * How many merges to try in one transaction, learnt as merges go: a wave whose busiest statement
 * would exceed chunkRows rows is rolled back (the work wasted), so slices are sized to fill about
 * 80% of a chunk from what the last one did, and halved when one was still too big. CRMs with
 * dozens of activities per contact thus get smaller slices instead of failing every wave.
 */

/**
 * The size learnt, carried from one engine call to the next: a merge worker keeps one for its
 * process, so that each job does not first roll back a whole wave to learn it again.
 */
export interface SliceMemory {
  size?: number;
}

export class OneTransactionSizer {
  private current: number;

  constructor(
    private readonly max: number,
    private readonly chunkRows: number,
    private readonly memory: SliceMemory = {},
  ) {
    this.current = Math.max(1, Math.min(max, memory.size ?? max));
  }

  get size(): number {
    return this.current;
  }

  set size(n: number) {
    this.current = n;
    this.memory.size = n;
  }

  tooBig(tried: number): void {
    this.size = Math.max(1, Math.floor(tried / 2));
  }

  fitted(tried: number, busiest: number): void {
    if (tried < this.size) return; // a short last slice says little
    const fit = busiest > 0 ? Math.floor((tried * 0.8 * this.chunkRows) / busiest) : this.max;
    this.size = Math.max(1, Math.min(this.max, fit));
  }
}
