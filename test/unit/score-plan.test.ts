import { describe, expect, test } from 'vitest';
import { BUCKET_SLOTS, planScoreTasks, type SlotLoad, slotOf } from '../../src/core/score-plan.js';
import { ScoreJob } from '../../src/queues/payloads.js';

describe('slotOf', () => {
  test.each([
    ['first id', 1, 1, 1000, 0],
    ['last id', 1000, 1, 1000, Math.floor((999 * BUCKET_SLOTS) / 1000)],
    ['middle', 501, 1, 1000, Math.floor((500 * BUCKET_SLOTS) / 1000)],
    ['one contact', 7, 7, 7, 0],
    ['below the span (clamped)', 0, 1, 1000, 0],
    ['above the span (clamped)', 5000, 1, 1000, BUCKET_SLOTS - 1],
    ['empty span', 5, 10, 1, 0],
  ])('%s', (_name, first, min, max, slot) => {
    expect(slotOf(first, min, max)).toBe(slot);
  });

  test('is monotonic in the first member', () => {
    let last = 0;
    for (let id = 1; id <= 100_000; id += 37) {
      const s = slotOf(id, 1, 100_000);
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
  });
});

const covered = (tasks: ReturnType<typeof planScoreTasks>) => {
  for (let i = 1; i < tasks.length; i++) expect(tasks[i]!.fromSlot).toBe(tasks[i - 1]!.toSlot + 1);
  expect(tasks[0]!.fromSlot).toBe(0);
  expect(tasks[tasks.length - 1]!.toSlot).toBe(BUCKET_SLOTS - 1);
};

describe('planScoreTasks', () => {
  test('no pairs, no task', () => {
    expect(planScoreTasks([], 100)).toEqual([]);
    expect(planScoreTasks([{ slot: 3, pairs: 0 }], 100)).toEqual([]);
  });

  test('one slot under budget: one task over every slot', () => {
    expect(planScoreTasks([{ slot: 10, pairs: 5 }], 100)).toEqual([
      { fromSlot: 0, toSlot: BUCKET_SLOTS - 1, pairs: 5 },
    ]);
  });

  test('cuts at the budget, never splits a slot, covers every slot', () => {
    const loads: SlotLoad[] = Array.from({ length: 100 }, (_, i) => ({ slot: i * 40, pairs: 30 }));
    const tasks = planScoreTasks(loads, 100);
    covered(tasks);
    expect(tasks.reduce((a, t) => a + t.pairs, 0)).toBe(3000);
    for (const t of tasks.slice(0, -1)) expect(t.pairs).toBe(120);
    expect(tasks).toHaveLength(25);
  });

  test('a huge slot is a task of its own; a cut on the last slot leaves no empty task', () => {
    const tasks = planScoreTasks(
      [
        { slot: 5, pairs: 10 },
        { slot: 6, pairs: 1000 },
        { slot: BUCKET_SLOTS - 1, pairs: 100 },
      ],
      100,
    );
    expect(tasks).toEqual([
      { fromSlot: 0, toSlot: 6, pairs: 1010 },
      { fromSlot: 7, toSlot: BUCKET_SLOTS - 1, pairs: 100 },
    ]);
  });

  test('trailing slots without pairs join the last task', () => {
    const tasks = planScoreTasks([{ slot: 1, pairs: 100 }], 100);
    expect(tasks).toEqual([{ fromSlot: 0, toSlot: BUCKET_SLOTS - 1, pairs: 100 }]);
  });

  test('unsorted input', () => {
    const tasks = planScoreTasks(
      [
        { slot: 900, pairs: 60 },
        { slot: 2, pairs: 60 },
      ],
      100,
    );
    expect(tasks).toEqual([{ fromSlot: 0, toSlot: BUCKET_SLOTS - 1, pairs: 120 }]);
  });

  test('refuses a budget of 0', () => {
    expect(() => planScoreTasks([{ slot: 0, pairs: 1 }], 0)).toThrow(RangeError);
  });
});

describe('ScoreJob payload', () => {
  test.each([
    [{ runId: 1, taskNo: 0, fromSlot: 0, toSlot: 10 }, true],
    [{ runId: 1, taskNo: 0, fromSlot: 11, toSlot: 10 }, false],
    [{ runId: 1, taskNo: 0 }, false],
    [{ runId: 1, taskNo: 0, fromSlot: -1, toSlot: 10 }, false],
    [{ runId: 1, taskNo: 0, fromSlot: 0, toSlot: 10, email: 'x@y.z' }, false],
  ])('%j valid: %s', (payload, ok) => {
    expect(ScoreJob.safeParse(payload).success).toBe(ok);
  });
});
