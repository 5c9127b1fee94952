/** Disjoint sets over 0..n-1 (union by size, path halving): near-constant time per operation. */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }

  find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      const grand = parent[parent[x]!]!;
      parent[x] = grand;
      x = grand;
    }
    return x;
  }

  /** Joins the sets of x and y; returns false when they already were one. */
  union(x: number, y: number): boolean {
    let rx = this.find(x);
    let ry = this.find(y);
    if (rx === ry) return false;
    if (this.size[rx]! < this.size[ry]!) [rx, ry] = [ry, rx];
    this.parent[ry] = rx;
    this.size[rx] = this.size[rx]! + this.size[ry]!;
    return true;
  }

  /** Size of x's set. */
  setSize(x: number): number {
    return this.size[this.find(x)]!;
  }
}
