import { describe, expect, it } from 'vitest';
import { OneTransactionSizer, type SliceMemory } from '../../src/core/merge/slices.js';

describe('OneTransactionSizer: merges per one-transaction slice', () => {
  it('starts at the most merges a wave may hold', () => {
    expect(new OneTransactionSizer(500, 5000).size).toBe(500);
  });

  it.each([
    // [max, chunkRows, tried, busiest statement's rows, next size]
    [500, 5000, 500, 1000, 500], // far below the chunk: stays at the most
    [500, 5000, 500, 4000, 500], // 80% of the chunk: just fits
    [500, 5000, 500, 4999, 400], // nearly full: aims at 80%
    [1000, 5000, 1000, 4500, 888],
    [500, 5000, 500, 0, 500], // nothing moved at all
    [500, 10, 1, 200, 1], // never below one merge
  ])(
    'max %i, chunks of %i: %i merges whose busiest statement changed %i rows → %i',
    (max, chunk, tried, busiest, next) => {
      const s = new OneTransactionSizer(max, chunk);
      s.size = tried;
      s.fitted(tried, busiest);
      expect(s.size).toBe(next);
    },
  );

  it('halves after a slice too big for one transaction, down to one merge', () => {
    const s = new OneTransactionSizer(500, 5000);
    s.tooBig(500);
    expect(s.size).toBe(250);
    s.tooBig(250);
    expect(s.size).toBe(125);
    s.tooBig(1);
    expect(s.size).toBe(1);
  });

  it('learns nothing from a short last slice', () => {
    const s = new OneTransactionSizer(500, 5000);
    s.size = 200;
    s.fitted(30, 4900);
    expect(s.size).toBe(200);
  });

  it('starts from, and keeps, the size an earlier call learnt', () => {
    const memory: SliceMemory = {};
    const first = new OneTransactionSizer(500, 5000, memory);
    first.tooBig(500);
    expect(memory.size).toBe(250);
    expect(new OneTransactionSizer(500, 5000, memory).size).toBe(250);
    expect(new OneTransactionSizer(100, 5000, memory).size).toBe(100); // never above the wave
    const later = new OneTransactionSizer(500, 5000, memory);
    later.fitted(250, 1000);
    expect(memory.size).toBe(500);
  });
});
