import { describe, expect, it, test } from 'vitest';
import {
  assignWaves,
  groupByWave,
  MergeError,
  resolveChain,
  resolveMergeTargets,
} from '../../src/core/merge/index.js';

// 1 ← 2 ← 3 (3 merged into 2, 2 into 1); 4 live; 5 → 6 → 5 (corrupt loop); 7 → 99 (missing)
const map = new Map<number, number | null>([
  [1, null],
  [2, 1],
  [3, 2],
  [4, null],
  [5, 6],
  [6, 5],
  [7, 99],
]);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof MergeError ? err.code : 'OTHER';
  }
  return undefined;
}

describe('resolveChain', () => {
  const cases = [
    { id: 1, root: 1, path: [1] },
    { id: 2, root: 1, path: [2, 1] },
    { id: 3, root: 1, path: [3, 2, 1] },
    { id: 4, root: 4, path: [4] },
  ];
  it.each(cases)('$id resolves to $root', ({ id, root, path }) => {
    expect(resolveChain(map, id)).toEqual({ root, path });
  });

  it.each([
    { id: 5, code: 'MERGE_CYCLE' },
    { id: 42, code: 'CONTACT_NOT_FOUND' },
    { id: 7, code: 'CONTACT_NOT_FOUND' },
  ])('$id: $code', ({ id, code }) => {
    expect(codeOf(() => resolveChain(map, id))).toBe(code);
  });
});

describe('resolveMergeTargets', () => {
  const ok = [
    { name: 'plain', survivor: 4, losers: [1], expected: { survivorId: 4, loserIds: [1] } },
    {
      name: 'survivor merged since: follows its chain',
      survivor: 3,
      losers: [4],
      expected: { survivorId: 1, loserIds: [4] },
    },
    {
      name: 'loser merged since: its live contact goes',
      survivor: 4,
      losers: [3, 2],
      expected: { survivorId: 4, loserIds: [1] },
    },
  ];
  it.each(ok)('$name', ({ survivor, losers, expected }) => {
    expect(resolveMergeTargets(map, survivor, losers)).toEqual(expected);
  });

  const refused = [
    { name: 'survivor among the losers', survivor: 4, losers: [4], code: 'MERGE_SELF' },
    { name: 'loser already merged into the survivor', survivor: 1, losers: [3], code: 'MERGE_SELF' },
    { name: 'survivor was merged into the loser', survivor: 3, losers: [2], code: 'MERGE_CYCLE' },
    { name: 'survivor merged into the loser further up', survivor: 3, losers: [1], code: 'MERGE_CYCLE' },
    { name: 'corrupt loop in the data', survivor: 5, losers: [4], code: 'MERGE_CYCLE' },
    { name: 'unknown loser', survivor: 4, losers: [42], code: 'CONTACT_NOT_FOUND' },
    { name: 'no losers', survivor: 4, losers: [], code: 'BAD_REQUEST' },
  ];
  it.each(refused)('refuses: $name', ({ survivor, losers, code }) => {
    expect(codeOf(() => resolveMergeTargets(map, survivor, losers))).toBe(code);
  });
});

describe('assignWaves', () => {
  const cases = [
    { name: 'disjoint merges share a wave', items: [[1, 2], [3, 4], [5]], max: 10, waves: [0, 0, 0] },
    {
      name: 'a shared contact pushes the later merge to a later wave',
      items: [
        [1, 2],
        [2, 3],
        [3, 4],
      ],
      max: 10,
      waves: [0, 1, 2],
    },
    {
      name: 'order is kept through shared contacts only',
      items: [
        [1, 2],
        [2, 3],
        [5, 6],
      ],
      max: 10,
      waves: [0, 1, 0],
    },
    { name: 'full waves overflow', items: [[1], [2], [3], [4], [5]], max: 2, waves: [0, 0, 1, 1, 2] },
    { name: 'overflow still keeps order', items: [[1], [2], [1, 3]], max: 1, waves: [0, 1, 2] },
  ];
  it.each(cases)('$name', ({ items, max, waves }) => {
    expect(assignWaves(items, max)).toEqual(waves);
  });

  it('no wave holds two merges sharing a contact, and shared contacts keep their order', () => {
    // Deterministic pseudo-random merges over 30 contacts.
    let x = 7;
    const rnd = (n: number) => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x % n;
    };
    const items = Array.from({ length: 200 }, () => [rnd(30), rnd(30), rnd(30)]);
    const waves = assignWaves(items, 7);
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        if (items[i]!.some((c) => items[j]!.includes(c))) expect(waves[j]!).toBeGreaterThan(waves[i]!);
      }
    }
    const sizes = new Map<number, number>();
    for (const w of waves) sizes.set(w, (sizes.get(w) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBeLessThanOrEqual(7);
  });
});

describe('groupByWave', () => {
  test.each([
    [[], [], []],
    [['a', 'b', 'c'], [0, 0, 0], [['a', 'b', 'c']]],
    [
      ['a', 'b', 'c', 'd'],
      [1, 0, 1, 3],
      [['b'], ['a', 'c'], ['d']],
    ],
  ])('%j in waves %j', (items, waves, groups) => {
    expect(groupByWave(items, waves)).toEqual(groups);
  });

  test('groups 200,000 merges, more than a spread could pass as arguments', () => {
    const contacts = Array.from({ length: 200_000 }, (_, i) => [i % 1000, 1000 + i]);
    const waves = assignWaves(contacts, 500);
    const groups = groupByWave(contacts, waves);
    expect(groups.reduce((a, g) => a + g.length, 0)).toBe(200_000);
    expect(groups.every((g) => g.length <= 500)).toBe(true);
  });
});
