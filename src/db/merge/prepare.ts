import type pg from 'pg';
import { type MergedIntoMap, resolveChain, resolveMergeTargets } from '../../core/merge/chains.js';
import { MergeError, type MergeErrorCode } from '../../core/merge/errors.js';
import { type FieldChoices, resolveRules, validateFieldChoices } from '../../core/merge/plan.js';
import { lockContacts, tryLockContacts, unlockContacts } from './locks.js';
import { emptyOutcome, type MergeOutcome, type ResolvedOptions } from './options.js';
import { fromPg, inTransaction } from './pg.js';
import { loadMergedInto } from './resolve.js';
import {
  type EngineMerge,
  inFlightOverlaps,
  isFresh,
  loadMerges,
  markRefused,
  markResumed,
  markRunning,
  outcomeOf,
} from './store.js';

/**
 * Getting a wave of merges ready: lock every contact they may touch, follow chains under the
 * locks, refuse what must be refused (self-merge, cycle, bad field choice), and set aside what
 * cannot run now (contacts locked by another engine, or part of another merge in flight).
 */

export interface RunnableMerge {
  merge: EngineMerge;
  survivor: number;
  losers: number[];
  /** Field choices with every contact id followed to where it lives now. */
  choices: FieldChoices;
}

export interface WaveResult {
  runnable: RunnableMerge[];
  refusals: { id: number; code: MergeErrorCode; reason: string }[];
  /** Merges to try again with a waiting lock (their contacts were busy). */
  deferred: EngineMerge[];
}

/** Started and interrupted (or failed half-way): resumes with the contacts it recorded. */
const resumable = (m: EngineMerge) =>
  (m.status === 'running' || m.status === 'failed') && m.effectiveSurvivorId !== null;

/** Every contact a merge may touch: for a resumed merge its recorded ones, else its ids and their chains. */
export function contactsOf(m: EngineMerge, map: MergedIntoMap): number[] {
  if (resumable(m) && m.effectiveSurvivorId !== null)
    return [m.effectiveSurvivorId, ...(m.effectiveLoserIds ?? [])];
  const out = new Set<number>();
  for (let id of [m.survivorId, ...m.loserIds]) {
    for (let hops = 0; !out.has(id) && hops < 10_000; hops++) {
      out.add(id);
      const next = map.get(id);
      if (next === null || next === undefined) break;
      id = next;
    }
  }
  return [...out];
}

type Decision =
  | { kind: 'run'; run: RunnableMerge; needs: number[] }
  | { kind: 'refuse'; code: MergeErrorCode; reason: string };

function decide(m: EngineMerge, map: MergedIntoMap, o: ResolvedOptions): Decision {
  if (resumable(m) && m.effectiveSurvivorId !== null) {
    const losers = m.effectiveLoserIds ?? [];
    const run = {
      merge: m,
      survivor: m.effectiveSurvivorId,
      losers,
      choices: mapChoices(m.fieldChoices, map),
    };
    return { kind: 'run', run, needs: [run.survivor, ...losers] };
  }
  try {
    const t = resolveMergeTargets(map, m.survivorId, m.loserIds);
    // Every chosen contact is live (or refused here): the choices stand as asked.
    refuseMovedChoices(m.fieldChoices, map);
    const choices = { ...m.fieldChoices };
    validateFieldChoices(choices, [t.survivorId, ...t.loserIds]);
    resolveRules(o.fieldRules);
    const needs = [...new Set([...contactsOf(m, map), t.survivorId, ...t.loserIds])];
    return { kind: 'run', run: { merge: m, survivor: t.survivorId, losers: t.loserIds, choices }, needs };
  } catch (err) {
    if (!(err instanceof MergeError) || err.retryable) throw err;
    return { kind: 'refuse', code: err.code, reason: err.message };
  }
}

/**
 * A person chose a field's value from a contact that has been merged into another since: that
 * contact's record is gone, and the value now there may not be the one chosen. Refused, so the
 * choice is made again, rather than silently taking another value.
 */
function refuseMovedChoices(choices: FieldChoices, map: MergedIntoMap): void {
  for (const [field, id] of Object.entries(choices ?? {})) {
    const into = map.get(id);
    if (into !== null && into !== undefined)
      throw new MergeError(
        'BAD_REQUEST',
        `field choice ${field}=${id}: contact ${id} has been merged into ${resolveChain(map, id).root} since this merge was asked for; ask again with a live contact`,
      );
  }
}

/** Field choices of a resumed merge, each contact followed to where it lives now. */
function mapChoices(choices: FieldChoices, map: MergedIntoMap): FieldChoices {
  const out: FieldChoices = {};
  for (const [field, id] of Object.entries(choices ?? {}))
    out[field] = map.has(id) ? resolveChain(map, id).root : id;
  return out;
}

/** Locks the contacts of each merge; returns the merges whose contacts are all locked, with them. */
async function lockWave(
  client: pg.PoolClient,
  merges: EngineMerge[],
  map: MergedIntoMap,
  o: ResolvedOptions,
  blocking: boolean,
): Promise<{ locked: Map<number, Set<number>>; busy: EngineMerge[] }> {
  const locked = new Map<number, Set<number>>();
  const busy: EngineMerge[] = [];
  if (blocking) {
    for (const m of merges) {
      const ids = contactsOf(m, map);
      await lockContacts(client, ids, o.lockTimeoutMs);
      locked.set(m.id, new Set(ids));
    }
    return { locked, busy };
  }
  const wanted = merges.map((m) => contactsOf(m, map));
  const got = await tryLockContacts(client, wanted.flat());
  for (const [i, m] of merges.entries()) {
    const ids = wanted[i]!;
    if (ids.every((id) => got.has(id))) locked.set(m.id, new Set(ids));
    else {
      busy.push(m);
      await unlockContacts(
        client,
        ids.filter((id) => got.has(id)),
      );
    }
  }
  return { locked, busy };
}

export async function prepareWave(
  client: pg.PoolClient,
  merges: EngineMerge[],
  o: ResolvedOptions,
  blocking: boolean,
  outcomes: Map<number, MergeOutcome>,
  /** A recent look at the chains, to know what to lock (checked again under the locks). */
  recent?: MergedIntoMap,
): Promise<WaveResult> {
  const q = fromPg(client);
  const allIds = (ms: EngineMerge[]) =>
    ms.flatMap((m) => [m.survivorId, ...m.loserIds, ...(m.effectiveLoserIds ?? [])]);
  let map: MergedIntoMap = recent ?? (await loadMergedInto(q, allIds(merges)));
  const { locked, busy } = await lockWave(client, merges, map, o, blocking);
  const deferred = [...busy];
  // Another engine may have finished (or refused) some of these merges before we got the locks:
  // decide on the rows as they are now, under the locks.
  const current = new Map((await loadMerges(q, [...locked.keys()])).map((m) => [m.id, m]));
  const lockedMerges: EngineMerge[] = [];
  for (const m of merges.filter((x) => locked.has(x.id))) {
    const now = current.get(m.id);
    if (now && (isFresh(now) || resumable(now))) lockedMerges.push(now);
    else {
      if (now) outcomes.set(m.id, outcomeOf(now));
      await unlockContacts(client, locked.get(m.id) ?? []);
      locked.delete(m.id);
    }
  }
  // Chains may have moved between the first look and the locks: decide on what is locked now.
  map = await loadMergedInto(q, allIds(lockedMerges));
  const runnable: RunnableMerge[] = [];
  const refusals: { id: number; code: MergeErrorCode; reason: string }[] = [];
  for (const m of lockedMerges) {
    const d = decide(m, map, o);
    if (d.kind === 'refuse') {
      refusals.push({ id: m.id, code: d.code, reason: d.reason });
      continue;
    }
    const mine = locked.get(m.id)!;
    const missing = d.needs.filter((id) => !mine.has(id));
    // A chain moved since the first look: try the extra locks without waiting (cannot deadlock),
    // unless another merge of this wave holds them (a session may take its own lock twice).
    const heldByOthers = (id: number) => [...locked].some(([other, ids]) => other !== m.id && ids.has(id));
    if (missing.length > 0 && !blocking && !missing.some(heldByOthers)) {
      for (const id of await tryLockContacts(client, missing)) mine.add(id);
    }
    if (d.needs.every((id) => mine.has(id))) {
      runnable.push(d.run);
      continue;
    }
    await unlockContacts(client, mine);
    locked.delete(m.id);
    if (blocking)
      throw new MergeError(
        'CONCURRENT_CHANGE',
        `the merge chains of merge ${m.id} changed while locking; retry`,
      );
    deferred.push(m);
  }
  // A merge interrupted (or being undone) on some of these contacts must be finished first.
  const overlaps = await inFlightOverlaps(
    q,
    runnable.map((r) => r.merge.id),
    runnable.flatMap((r) => [r.survivor, ...r.losers]),
  );
  const blocked = runnable.filter((r) =>
    overlaps.some((x) => x.contacts.some((c) => c === r.survivor || r.losers.includes(c))),
  );
  for (const r of blocked) {
    const other = overlaps.find((x) => x.contacts.some((c) => c === r.survivor || r.losers.includes(c)))!;
    outcomes.set(r.merge.id, {
      ...emptyOutcome(r.merge.id, 'retry'),
      code: 'MERGE_IN_PROGRESS',
      reason: `merge ${other.id} on some of these contacts is in progress or was interrupted; finish or undo it first`,
    });
    await unlockContacts(client, locked.get(r.merge.id) ?? []);
  }
  for (const r of refusals) {
    await unlockContacts(client, locked.get(r.id) ?? []);
    outcomes.set(r.id, { ...emptyOutcome(r.id, 'refused'), code: r.code, reason: r.reason });
  }
  return { runnable: runnable.filter((r) => !blocked.includes(r)), refusals, deferred };
}

/** Records refusals, and marks merges about to run in chunks as running (resumed ones keep their checkpoint). */
export async function markStarted(
  client: pg.PoolClient,
  o: ResolvedOptions,
  refusals: WaveResult['refusals'],
  runs: RunnableMerge[],
) {
  if (refusals.length === 0 && runs.length === 0) return;
  await inTransaction(client, o, async (tx) => {
    await markRefused(tx, refusals);
    await markRunning(
      tx,
      runs
        .filter((r) => isFresh(r.merge))
        .map((r) => ({ id: r.merge.id, survivor: r.survivor, losers: r.losers })),
    );
    await markResumed(
      tx,
      runs.filter((r) => r.merge.status === 'failed' && !isFresh(r.merge)).map((r) => r.merge.id),
    );
  });
  for (const r of runs) {
    if (isFresh(r.merge)) r.merge.checkpoint = { phase: 'moving', linked: false, done: [] };
  }
}
