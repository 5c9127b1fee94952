import type pg from 'pg';
import { assignWaves, groupByWave, type MergedIntoMap } from '../../core/merge/chains.js';
import { MergeError, type MergeErrorCode } from '../../core/merge/errors.js';
import { OneTransactionSizer } from '../../core/merge/slices.js';
import { discoverTargets } from './catalog.js';
import { mergeInOneTransaction } from './fast.js';
import { finalizeWave } from './finalize.js';
import { unlockAll } from './locks.js';
import { moveAll } from './move.js';
import {
  type EngineOptions,
  emptyOutcome,
  type MergeOutcome,
  type ResolvedOptions,
  resolveOptions,
  StepInterrupted,
} from './options.js';
import { fromPg, withClient } from './pg.js';
import { contactsOf, markStarted, prepareWave, type RunnableMerge } from './prepare.js';
import { loadMergedInto } from './resolve.js';
import { type EngineMerge, isFresh, loadMerges, markFailed, outcomeOf } from './store.js';

/**
 * Applying merges. Many small merges are applied together: they are sorted into waves of merges
 * that share no contact, and each wave runs the same few set-based statements per table whatever
 * its number of merges (one per loser rank for tables with unique keys), never a round trip per row
 * or per merge. Everything is resumable: running a merge again after
 * a crash at any point carries on from what the database says and ends in the same state as one
 * clean run.
 */

/** Unexpected errors surface as MergeError INTERNAL (not retryable), the original as the cause. */
const asMergeError = (err: unknown) =>
  err instanceof MergeError
    ? err
    : new MergeError('INTERNAL', (err as Error)?.message ?? String(err), { cause: err });

const DONE_STATUSES = new Set(['completed', 'refused', 'undoing', 'undone']);

/** What the waves of one engine call share. */
interface EngineCall {
  client: pg.PoolClient;
  o: ResolvedOptions;
  targets: Awaited<ReturnType<typeof discoverTargets>>;
  outcomes: Map<number, MergeOutcome>;
  sizer: OneTransactionSizer;
}

async function runWave(
  call: EngineCall,
  merges: EngineMerge[],
  blocking: boolean,
  recent?: MergedIntoMap,
): Promise<EngineMerge[]> {
  const { client, o, targets, outcomes } = call;
  const { runnable, refusals, deferred } = await prepareWave(client, merges, o, blocking, outcomes, recent);
  // Fresh merges first try the one-transaction path; resumed ones, and waves too big for one
  // transaction, go through the chunked path (marked running first, so they can be resumed).
  let chunked = runnable.filter((r) => !isFresh(r.merge));
  const fresh = runnable.filter((r) => isFresh(r.merge));
  if (refusals.length > 0) await markStarted(client, o, refusals, []);
  if (fresh.length > 0) chunked = [...chunked, ...(await oneTransaction(call, fresh, blocking))];
  if (chunked.length === 0) {
    await unlockAll(client);
    return deferred;
  }
  await markStarted(client, o, [], chunked);
  try {
    await moveAll(client, targets, chunked, o);
    for (const out of await finalizeWave(client, targets, chunked, o)) outcomes.set(out.mergeId, out);
  } catch (err) {
    // Retryable trouble leaves the merges running, to be resumed; anything else marks them failed
    // (still resumable, or undoable) so that the audit says what happened.
    if (!(err instanceof MergeError && err.retryable) && !(err instanceof StepInterrupted)) {
      await markFailed(
        fromPg(client),
        chunked.map((r) => r.merge.id),
        err instanceof MergeError ? err.code : 'INTERNAL',
        (err as Error).message ?? String(err),
      ).catch(() => {});
    }
    throw err instanceof StepInterrupted ? err : asMergeError(err);
  }
  await unlockAll(client);
  return deferred;
}

/**
 * The one-transaction path for fresh merges, in slices sized by `sizer`; returns those that need the
 * chunked path (a single merge too big for one transaction).
 */
async function oneTransaction(
  call: EngineCall,
  runs: RunnableMerge[],
  single: boolean,
): Promise<RunnableMerge[]> {
  const { sizer } = call;
  const chunked: RunnableMerge[] = [];
  for (let i = 0; i < runs.length; ) {
    const slice = runs.slice(i, i + sizer.size);
    const r = await sliceInOneTransaction(call, slice, single);
    if ('tooBig' in r) {
      if (slice.length > 1) {
        sizer.tooBig(slice.length);
        continue;
      }
      chunked.push(...slice);
    } else {
      chunked.push(...r.chunked);
      if (r.busiest !== undefined) sizer.fitted(slice.length, r.busiest);
    }
    i += slice.length;
  }
  return chunked;
}

/**
 * One slice in one transaction. A merge that makes the transaction fail for good (a bug, a
 * constraint of the CRM) must not take the whole slice down with it: the slice is halved until the
 * culprit is alone, which is then recorded as failed (nothing of it was written) while the others go
 * through (each half sliced again as needed).
 */
async function sliceInOneTransaction(
  call: EngineCall,
  runs: RunnableMerge[],
  single: boolean,
): Promise<{ chunked: RunnableMerge[]; busiest?: number } | { tooBig: true }> {
  const { client, targets, o, outcomes } = call;
  try {
    const done = await mergeInOneTransaction(client, targets, runs, o);
    if ('tooBig' in done) return done;
    for (const out of done.outcomes) outcomes.set(out.mergeId, out);
    return { chunked: [], busiest: done.busiest };
  } catch (err) {
    if ((err instanceof MergeError && err.retryable) || err instanceof StepInterrupted) throw err;
    if (runs.length > 1) {
      // Each half goes through the sizer again; what they did says nothing of a whole slice.
      const half = Math.ceil(runs.length / 2);
      const chunked: RunnableMerge[] = [];
      for (const part of [runs.slice(0, half), runs.slice(half)])
        chunked.push(...(await oneTransaction(call, part, single)));
      return { chunked };
    }
    const id = runs[0]!.merge.id;
    const code: MergeErrorCode = err instanceof MergeError ? err.code : 'INTERNAL';
    const message = (err as Error).message ?? String(err);
    await markFailed(fromPg(client), [id], code, message);
    if (single) throw asMergeError(err);
    outcomes.set(id, { ...emptyOutcome(id, 'failed'), code, reason: message });
    return { chunked: [] };
  }
}

/**
 * Applies many merges (ids of `merges` rows) and returns one outcome per id, in order. Refusals
 * (self-merge, cycle...) are recorded and returned; merges whose contacts are busy come back with
 * status 'retry'. Throws (a MergeError with `retryable`) only when the database fails us; running
 * the same call again then resumes.
 */
export async function executeMergeBatch(
  pool: pg.Pool,
  mergeIds: readonly number[],
  opts: EngineOptions = {},
): Promise<MergeOutcome[]> {
  return runMerges(pool, mergeIds, resolveOptions(opts), false);
}

async function runMerges(
  pool: pg.Pool,
  mergeIds: readonly number[],
  o: ResolvedOptions,
  blockingOnly: boolean,
) {
  const outcomes = new Map<number, MergeOutcome>();
  await withClient(pool, async (client) => {
    const q = fromPg(client);
    const rows = await loadMerges(q, [...new Set(mergeIds)]);
    const byId = new Map(rows.map((m) => [m.id, m]));
    for (const id of mergeIds) {
      const m = byId.get(id);
      if (!m)
        outcomes.set(id, {
          ...emptyOutcome(id, 'refused'),
          code: 'MERGE_NOT_FOUND',
          reason: `merge ${id} does not exist`,
        });
      else if (DONE_STATUSES.has(m.status)) outcomes.set(id, outcomeOf(m));
    }
    // Interrupted merges first: others on their contacts wait for them to finish.
    const rank = (m: EngineMerge) => (isFresh(m) ? 1 : 0);
    const todo = rows.filter((m) => !outcomes.has(m.id)).sort((a, b) => rank(a) - rank(b) || a.id - b.id);
    if (todo.length === 0) return;
    const targets = await discoverTargets(q, o);
    const map = await loadMergedInto(
      q,
      todo.flatMap((m) => [m.survivorId, ...m.loserIds, ...(m.effectiveLoserIds ?? [])]),
    );
    const waves = assignWaves(
      todo.map((m) => contactsOf(m, map)),
      blockingOnly ? 1 : o.maxWaveMerges,
    );
    const deferred: EngineMerge[] = [];
    const sizer = blockingOnly
      ? new OneTransactionSizer(1, o.chunkRows)
      : new OneTransactionSizer(o.maxWaveMerges, o.chunkRows, o.sliceMemory);
    const call: EngineCall = { client, o, targets, outcomes, sizer };
    for (const wave of groupByWave(todo, waves))
      deferred.push(...(await runWave(call, wave, blockingOnly, map)));
    // Contacts another engine held: one at a time now, waiting up to lock_timeout for each.
    for (const m of deferred) {
      const [fresh] = await loadMerges(q, [m.id]);
      if (!fresh || DONE_STATUSES.has(fresh.status)) continue;
      try {
        await runWave(call, [fresh], true);
      } catch (err) {
        if (!(err instanceof MergeError && err.retryable && blockingOnly === false)) throw err;
        outcomes.set(m.id, { ...emptyOutcome(m.id, 'retry'), code: err.code, reason: err.message });
        await unlockAll(client);
      }
    }
  });
  const result = mergeIds.map(
    (id) => outcomes.get(id) ?? { ...emptyOutcome(id, 'retry'), code: 'MERGE_IN_PROGRESS' as const },
  );
  for (const out of result) if (!out.replayed) o.hooks.onOutcome?.(out);
  return result;
}

export interface ExecuteOptions extends EngineOptions {
  /** Throw a MergeError (not retryable) when the merge is refused, instead of returning the outcome. */
  throwOnRefusal?: boolean;
}

/**
 * Applies one merge, waiting up to lock_timeout for its contacts. Resumable: call it again after
 * any failure. Throws a retryable MergeError (LOCK_TIMEOUT, MERGE_IN_PROGRESS...) when it cannot
 * run now, MERGE_NOT_FOUND for an unknown id; a refusal is returned (status 'refused', code).
 */
export async function executeMerge(
  pool: pg.Pool,
  mergeId: number,
  opts: ExecuteOptions = {},
): Promise<MergeOutcome> {
  const [out] = await runMerges(pool, [mergeId], resolveOptions(opts), true);
  if (!out) throw new MergeError('MERGE_NOT_FOUND', `merge ${mergeId} does not exist`);
  if (out.code === 'MERGE_NOT_FOUND')
    throw new MergeError('MERGE_NOT_FOUND', out.reason ?? `merge ${mergeId} does not exist`);
  if (out.status === 'retry')
    throw new MergeError(out.code ?? 'MERGE_IN_PROGRESS', out.reason ?? 'try again later');
  if (out.status === 'refused' && opts.throwOnRefusal) {
    throw new MergeError(out.code ?? 'BAD_REQUEST', out.reason ?? `merge ${mergeId} was refused`);
  }
  return out;
}
