/**
 * Dealing a run's buckets out to scoring tasks. A bucket's slot is where its first (smallest) member
 * falls in the run's contact id span; a task takes a contiguous range of slots. The buckets of a
 * duplicate pair (it shares several keys: email, phone, name...) all start with the same member, so
 * they land in one task, which then loads each of those contacts once rather than once per bucket.
 */

/** Slots per run: fine enough that a task can stop near its pair budget. */
export const BUCKET_SLOTS = 4096;

/** The slot of a bucket whose smallest member is `firstMember`, for ids in [minId, maxId]. */
export function slotOf(firstMember: number, minId: number, maxId: number): number {
  const span = maxId - minId + 1;
  if (!(span > 0)) return 0;
  const s = Math.floor(((firstMember - minId) * BUCKET_SLOTS) / span);
  return Math.min(BUCKET_SLOTS - 1, Math.max(0, s));
}

export interface SlotLoad {
  slot: number;
  /** Candidate pairs of the slot's buckets (an oversized bucket counts at the cap's worth). */
  pairs: number;
}

export interface ScoreTaskRange {
  fromSlot: number;
  toSlot: number;
  pairs: number;
}

/**
 * Contiguous slot ranges of about `pairsPerTask` pairs each (a slot is never split, so a task may go
 * over by one slot's worth). Together the ranges cover every slot from 0 to BUCKET_SLOTS - 1: no
 * bucket is left without a task, whatever slot it has.
 */
export function planScoreTasks(loads: readonly SlotLoad[], pairsPerTask: number): ScoreTaskRange[] {
  if (!(pairsPerTask > 0)) throw new RangeError(`pairsPerTask must be > 0, got ${pairsPerTask}`);
  const sorted = [...loads].filter((l) => l.pairs > 0).sort((a, b) => a.slot - b.slot);
  if (sorted.length === 0) return [];
  const tasks: ScoreTaskRange[] = [];
  let from = 0;
  let pairs = 0;
  for (const l of sorted) {
    pairs += l.pairs;
    if (pairs >= pairsPerTask) {
      tasks.push({ fromSlot: from, toSlot: l.slot, pairs });
      from = l.slot + 1;
      pairs = 0;
    }
  }
  if (pairs > 0 || from < BUCKET_SLOTS) {
    const last = tasks[tasks.length - 1];
    // What is left after the last cut: its own task, or the tail of the last one when it is only slots.
    if (pairs > 0 || !last) tasks.push({ fromSlot: from, toSlot: BUCKET_SLOTS - 1, pairs });
    else last.toSlot = BUCKET_SLOTS - 1;
  }
  return tasks;
}
