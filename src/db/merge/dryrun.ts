import type { Kysely } from 'kysely';
import { resolveChain, resolveMergeTargets } from '../../core/merge/chains.js';
import { MergeError, type MergeErrorCode } from '../../core/merge/errors.js';
import type { ContactRecord } from '../../core/merge/fields.js';
import { type FieldChoices, type MergePlan, planMerge } from '../../core/merge/plan.js';
import type { Database } from '../schema.js';
import { activitiesTarget, countLinksSql } from './activities.js';
import { discoverTargets } from './catalog.js';
import type { EngineOptions } from './options.js';
import { fromKysely } from './pg.js';
import { loadMergedInto } from './resolve.js';
import { countRowsSql } from './statements.js';

export interface DryRunRequest {
  survivorId: number;
  duplicateIds: readonly number[];
  fieldChoices?: FieldChoices | undefined;
}

export interface DryRunResult {
  /** The live survivor and losers the merge would apply to, chains followed. */
  survivorId: number;
  loserIds: number[];
  refused?: { code: MergeErrorCode; reason: string };
  plan?: MergePlan;
  /** Per table: rows that would move, rows that would be set aside on a unique key. */
  rows: Record<string, { move: number; setAside: number }>;
  /** Activities that would be linked as duplicates of another. */
  linkable: number;
}

/** What a merge would do, as of now. Reads only; writes nothing. */
export async function planMergeDryRun(
  db: Kysely<Database>,
  request: DryRunRequest,
  opts: EngineOptions = {},
): Promise<DryRunResult> {
  const q = fromKysely(db as Kysely<unknown>);
  const base: DryRunResult = {
    survivorId: request.survivorId,
    loserIds: [...request.duplicateIds],
    rows: {},
    linkable: 0,
  };
  let survivor: number;
  let losers: number[];
  const choices: FieldChoices = {};
  try {
    const map = await loadMergedInto(q, [request.survivorId, ...request.duplicateIds]);
    ({ survivorId: survivor, loserIds: losers } = resolveMergeTargets(
      map,
      request.survivorId,
      request.duplicateIds,
    ));
    for (const [field, id] of Object.entries(request.fieldChoices ?? {})) {
      choices[field] = map.has(id) ? resolveChain(map, id).root : id;
    }
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    return { ...base, refused: { code: err.code, reason: err.message } };
  }
  const { rows } = await q.query<{ r: ContactRecord }>(
    'SELECT to_jsonb(c) AS r FROM contacts c WHERE id IN (SELECT unnest($1::bigint[]))',
    [[survivor, ...losers]],
  );
  const out: DryRunResult = { ...base, survivorId: survivor, loserIds: losers };
  try {
    out.plan = planMerge({
      survivorId: survivor,
      loserIds: losers,
      records: rows.map((r) => r.r),
      rules: opts.fieldRules,
      fieldChoices: choices,
    });
  } catch (err) {
    if (!(err instanceof MergeError)) throw err;
    return { ...out, refused: { code: err.code, reason: err.message } };
  }
  const targets = await discoverTargets(q, opts);
  const arrays = [losers, losers.map(() => survivor), losers.map(() => 0)];
  for (const t of targets) {
    const { rows: c } = await q.query<{ moved: number; set_aside: number }>(countRowsSql(t), arrays);
    out.rows[t.label] = { move: c[0]?.moved ?? 0, setAside: c[0]?.set_aside ?? 0 };
  }
  const acts = activitiesTarget(targets);
  if (acts) {
    const all = [survivor, ...losers];
    const { rows: l } = await q.query<{ n: number }>(countLinksSql(acts), [
      all,
      all.map(() => survivor),
      all.map(() => 0),
    ]);
    out.linkable = l[0]?.n ?? 0;
  }
  return out;
}
