import { z } from 'zod';

/**
 * Fellegi-Sunter parameters. A comparison vector holds one level per field:
 * -1 = missing (a side is empty), 0 = disagree, 1..k = increasingly strong agreement, k = exact.
 * For every field, m[l] = P(level l | the pair is a match) and u[l] = P(level l | not a match);
 * `lambda` is the prior probability that a random candidate pair is a match.
 */
export interface FieldParams {
  name: string;
  /** m[l] for l = 0 (disagree) .. k (exact). */
  m: number[];
  /** u[l] for l = 0 (disagree) .. k (exact); same length as m. */
  u: number[];
  /** Term-frequency adjustment of the exact level (the last one). */
  tf?: boolean;
  /** How much of the TF adjustment to apply, 0..1 (Splink's tf_adjustment_weight). Default 1. */
  tfWeight?: number;
  /**
   * P(exact agreement) between two random records, the reference a value's frequency is compared
   * with. Needed when u was fitted on blocked pairs: there u_exact is far above the random rate
   * (blocking gathers agreeing records), and log2(u_exact / tf) would inflate every rare value.
   * Default: u_exact.
   */
  tfBase?: number;
  /**
   * u by stratum (see ModelParams.stratifyBy): uStrata[s][l] = P(level l | not a match, stratum s).
   * Absent on the stratifying field itself and in an unstratified model, where `u` applies everywhere.
   */
  uStrata?: number[][];
}

export interface ModelParams {
  lambda: number;
  fields: FieldParams[];
  /** Lower bound of a term frequency (a value never counted must not weigh infinitely). */
  tfMinimum?: number;
  /**
   * The field whose level picks the non-matches' u of every other field. Non-matches are not
   * independent across fields: relatives share a surname, phone and address but not a given name;
   * colleagues a company and an email domain. Stratifying by the given name lets "shares a phone"
   * weigh little among people with different given names and much among namesakes. Stratum s is the
   * field's level + 1 (0 = the field is missing on a side).
   */
  stratifyBy?: string;
  /**
   * Strata in which duplicates are too rare for the summed evidence to be trusted: look-alikes there
   * agree on several fields at once, which independence counts several times over. A pair in such a
   * stratum is merged only when one field alone makes the case (needsReview); otherwise it goes to review.
   */
  reviewStrata?: number[];
  /** Expected share of matches among the candidate pairs of each stratum (fitted by EM). */
  strataMatchShare?: number[];
}

/** Strata of a field with highest level k: missing, then one per level 0..k. */
export function strataCount(maxLevel: number): number {
  return maxLevel + 2;
}

/** Index of the stratifying field, or -1 when the model is not stratified. */
export function stratifierIndex(params: ModelParams): number {
  if (params.stratifyBy === undefined) return -1;
  const i = params.fields.findIndex((f) => f.name === params.stratifyBy);
  if (i < 0) throw new RangeError(`stratifyBy: unknown field ${params.stratifyBy}`);
  return i;
}

/**
 * Probabilities are kept in [PROB_MIN, 1 - PROB_MIN]: a level never observed would otherwise give an
 * infinite weight, and one pair agreeing on it would decide alone. Bounds one field's weight to ±~20 bits.
 */
export const PROB_MIN = 1e-6;
export const PROB_MAX = 1 - PROB_MIN;
/** Default floor of term frequencies when the profile does not give 1/N. */
export const DEFAULT_TF_MINIMUM = 1e-6;
/** Levels are stored in an Int8Array; 0..MAX_LEVEL. */
export const MAX_LEVEL = 126;

export function clampProbability(p: number): number {
  if (Number.isNaN(p)) throw new RangeError('probability is NaN');
  return p < PROB_MIN ? PROB_MIN : Math.min(p, PROB_MAX);
}

const probability = z.number().min(0).max(1);

export const fieldParamsSchema = z
  .object({
    name: z.string().min(1),
    m: z
      .array(probability)
      .min(2)
      .max(MAX_LEVEL + 1),
    u: z
      .array(probability)
      .min(2)
      .max(MAX_LEVEL + 1),
    tf: z.boolean().optional(),
    tfWeight: z.number().min(0).max(1).optional(),
    tfBase: probability.optional(),
    uStrata: z.array(z.array(probability)).optional(),
  })
  .refine((f) => f.m.length === f.u.length, { message: 'm and u must have one entry per level' })
  .refine((f) => f.uStrata === undefined || f.uStrata.every((row) => row.length === f.u.length), {
    message: 'every uStrata row needs one entry per level',
  });

export const modelParamsSchema = z
  .object({
    lambda: probability,
    fields: z.array(fieldParamsSchema).min(1),
    tfMinimum: z.number().gt(0).lt(1).optional(),
    stratifyBy: z.string().min(1).optional(),
    reviewStrata: z.array(z.int().min(0)).optional(),
    strataMatchShare: z.array(probability).optional(),
  })
  .refine((p) => new Set(p.fields.map((f) => f.name)).size === p.fields.length, {
    message: 'field names must be unique',
  })
  .superRefine((p, ctx) => {
    const s = p.stratifyBy === undefined ? undefined : p.fields.find((f) => f.name === p.stratifyBy);
    if (p.stratifyBy !== undefined && s === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stratifyBy'], message: `unknown field ${p.stratifyBy}` });
      return;
    }
    const strata = s === undefined ? 1 : strataCount(s.m.length - 1);
    p.fields.forEach((f, i) => {
      if (f.uStrata === undefined) return;
      if (s === undefined || f === s || f.uStrata.length !== strata) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'uStrata'],
          message: s === undefined ? 'uStrata needs stratifyBy' : `needs ${strata} strata (not on ${s.name})`,
        });
      }
    });
    for (const r of p.reviewStrata ?? []) {
      if (r >= strata)
        ctx.addIssue({ code: 'custom', path: ['reviewStrata'], message: `stratum ${r} out of range` });
    }
    if (p.reviewStrata !== undefined && p.strataMatchShare?.length !== strata) {
      ctx.addIssue({
        code: 'custom',
        path: ['strataMatchShare'],
        message: `needs ${strata} entries with reviewStrata`,
      });
    }
  });

/** Validates parameters from a profile or a stored run; throws a ZodError naming the problem. */
export function parseModelParams(input: unknown): ModelParams {
  return modelParamsSchema.parse(input);
}

export interface FieldSpec {
  name: string;
  /** Highest agreement level k (exact); the field has levels 0..k. */
  maxLevel: number;
  tf?: boolean;
  tfWeight?: number;
}

/**
 * Starting values for EM when nothing better is known: m puts most mass on strong agreement,
 * u on disagreement (the geometric spread keeps every level's weight ordered, and EM only needs
 * a start on the right side of the match/non-match symmetry to avoid label switching).
 */
export function initialParams(specs: readonly FieldSpec[], lambda = 0.01): ModelParams {
  const fields = specs.map((spec): FieldParams => {
    if (!Number.isInteger(spec.maxLevel) || spec.maxLevel < 1 || spec.maxLevel > MAX_LEVEL) {
      throw new RangeError(`field ${spec.name}: maxLevel must be an integer in 1..${MAX_LEVEL}`);
    }
    const levels = spec.maxLevel + 1;
    const m = normalise(Array.from({ length: levels }, (_, l) => 4 ** l));
    const u = normalise(Array.from({ length: levels }, (_, l) => 0.1 ** l));
    const field: FieldParams = { name: spec.name, m, u };
    if (spec.tf !== undefined) field.tf = spec.tf;
    if (spec.tfWeight !== undefined) field.tfWeight = spec.tfWeight;
    return field;
  });
  return { lambda, fields };
}

export function normalise(values: readonly number[]): number[] {
  const sum = values.reduce((s, v) => s + v, 0);
  if (!(sum > 0)) throw new RangeError('cannot normalise values that sum to 0');
  return values.map((v) => v / sum);
}

/** Deep copy, so EM and u estimation never mutate the caller's parameters. */
export function cloneParams(params: ModelParams): ModelParams {
  const copy: ModelParams = {
    lambda: params.lambda,
    fields: params.fields.map((f) => {
      const c: FieldParams = { ...f, m: [...f.m], u: [...f.u] };
      if (f.uStrata) c.uStrata = f.uStrata.map((row) => [...row]);
      return c;
    }),
  };
  if (params.tfMinimum !== undefined) copy.tfMinimum = params.tfMinimum;
  if (params.stratifyBy !== undefined) copy.stratifyBy = params.stratifyBy;
  if (params.reviewStrata !== undefined) copy.reviewStrata = [...params.reviewStrata];
  if (params.strataMatchShare !== undefined) copy.strataMatchShare = [...params.strataMatchShare];
  return copy;
}
