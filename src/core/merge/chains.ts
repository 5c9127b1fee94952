import { MergeError } from './errors.js';

/**
 * Tombstone chains: a merged contact points at the contact it was merged into, which may itself
 * have been merged later. These helpers follow such chains over a `merged_into` map (contact id →
 * merged_into or null when live), refuse merges that would loop, and order many merges into waves
 * that can run side by side.
 */

export type MergedIntoMap = ReadonlyMap<number, number | null>;

export interface Chain {
  /** The live contact the chain ends at. */
  root: number;
  /** The ids visited, from the requested id to the root, both included. */
  path: number[];
}

export function resolveChain(mergedInto: MergedIntoMap, id: number): Chain {
  const path: number[] = [];
  let current = id;
  for (;;) {
    if (!mergedInto.has(current)) {
      throw new MergeError(
        'CONTACT_NOT_FOUND',
        current === id
          ? `contact ${id} does not exist`
          : `contact ${id} is merged into ${current}, which does not exist`,
      );
    }
    if (path.includes(current)) {
      throw new MergeError(
        'MERGE_CYCLE',
        `the merge chain of contact ${id} loops: ${[...path, current].join(' → ')}`,
      );
    }
    path.push(current);
    const next = mergedInto.get(current);
    if (next === null || next === undefined) return { root: current, path };
    current = next;
  }
}

export interface MergeTargets {
  /** The live contact that will survive (the requested survivor, or where its chain ends). */
  survivorId: number;
  /** The live contacts to merge into it, each loser's chain followed, without repeats. */
  loserIds: number[];
}

/**
 * What a request (survivor, losers) means today, following chains; throws the refusal:
 * MERGE_SELF when a loser is, or already resolves to, the survivor; MERGE_CYCLE when the survivor
 * was itself merged into a loser (merging back would close a loop).
 */
export function resolveMergeTargets(
  mergedInto: MergedIntoMap,
  survivorId: number,
  loserIds: readonly number[],
): MergeTargets {
  if (loserIds.length === 0) throw new MergeError('BAD_REQUEST', 'a merge needs at least one duplicate');
  if (loserIds.includes(survivorId)) {
    throw new MergeError('MERGE_SELF', `contact ${survivorId} cannot be merged into itself`);
  }
  const survivor = resolveChain(mergedInto, survivorId);
  const losers: number[] = [];
  for (const loserId of loserIds) {
    if (survivor.path.includes(loserId)) {
      throw new MergeError(
        'MERGE_CYCLE',
        `contact ${survivorId} was merged into ${loserId} (${survivor.path.join(' → ')}); merging ${loserId} into it would make a cycle`,
      );
    }
    const loser = resolveChain(mergedInto, loserId);
    if (loser.root === survivor.root) {
      throw new MergeError(
        'MERGE_SELF',
        `contact ${loserId} is already merged into ${survivor.root} (${loser.path.join(' → ')})`,
      );
    }
    if (!losers.includes(loser.root)) losers.push(loser.root);
  }
  return { survivorId: survivor.root, loserIds: losers };
}

/** Items grouped by their wave (assignWaves), in wave order; each wave keeps the items' order. */
export function groupByWave<T>(items: readonly T[], waves: readonly number[]): T[][] {
  const groups: T[][] = [];
  items.forEach((item, i) => {
    const w = waves[i]!;
    while (groups.length <= w) groups.push([]);
    groups[w]!.push(item);
  });
  return groups.filter((g) => g.length > 0);
}

/**
 * Waves for many merges: merges in one wave share no contact, so they can be applied by the same
 * set-based statements; a merge sharing a contact with an earlier one lands in a later wave, so
 * their order is kept. At most `maxPerWave` merges per wave. Returns the wave index of each item.
 */
export function assignWaves(contactsPerItem: readonly (readonly number[])[], maxPerWave: number): number[] {
  if (!(maxPerWave >= 1)) throw new MergeError('BAD_REQUEST', 'maxPerWave must be at least 1');
  const lastWave = new Map<number, number>();
  const sizes: number[] = [];
  return contactsPerItem.map((contacts) => {
    let wave = 0;
    for (const c of contacts) wave = Math.max(wave, (lastWave.get(c) ?? -1) + 1);
    while ((sizes[wave] ?? 0) >= maxPerWave) wave++;
    sizes[wave] = (sizes[wave] ?? 0) + 1;
    for (const c of contacts) lastWave.set(c, wave);
    return wave;
  });
}
