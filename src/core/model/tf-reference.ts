import type { ModelParams } from './params.js';

/**
 * The reference frequency of each TF field's adjustment (FieldParams.tfBase): the geometric mean
 * term frequency over the candidate pairs that agree exactly on the field. The exact level's m/u was
 * fitted on those pairs, so the adjustment log2(tfBase / tf) spreads their weight around it: a value
 * more common than usual weighs less, a rarer one more, and on average nothing changes.
 *
 * The random-pair exact rate is the wrong reference for identifiers: two random contacts share an
 * email or phone almost only when they are duplicates, so that rate is far below the frequency of
 * any shared value (2/N for a pair), and every duplicate's agreement would lose several bits.
 */
export class TfReference {
  private readonly logSums: Float64Array;
  private readonly counts: Float64Array;

  constructor(readonly fieldCount: number) {
    this.logSums = new Float64Array(fieldCount);
    this.counts = new Float64Array(fieldCount);
  }

  /** One exact agreement on field i whose value has relative frequency tf (ignored unless tf > 0). */
  add(field: number, tf: number): void {
    if (!(field >= 0 && field < this.fieldCount)) throw new RangeError(`field ${field} out of range`);
    if (!(tf > 0)) return;
    this.logSums[field] = this.logSums[field]! + Math.log(Math.min(tf, 1));
    this.counts[field] = this.counts[field]! + 1;
  }

  /** Agreements counted on field i. */
  count(field: number): number {
    return this.counts[field] ?? 0;
  }

  /** The geometric mean frequency of field i, or undefined when no agreement was counted. */
  reference(field: number): number | undefined {
    const n = this.counts[field] ?? 0;
    return n > 0 ? Math.exp(this.logSums[field]! / n) : undefined;
  }

  /** Sets tfBase of every TF field with at least `minCount` agreements; others keep theirs. */
  apply(params: ModelParams, minCount = 20): ModelParams {
    if (params.fields.length !== this.fieldCount) {
      throw new RangeError(`model has ${params.fields.length} fields, reference ${this.fieldCount}`);
    }
    params.fields.forEach((f, i) => {
      const ref = this.reference(i);
      if (f.tf && ref !== undefined && this.counts[i]! >= minCount) f.tfBase = ref;
    });
    return params;
  }
}
