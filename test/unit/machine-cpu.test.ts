import { describe, expect, it } from 'vitest';
import { cpuSince, markCpu } from '../../scripts/machine-cpu.js';

// The benchmarks' CPU accounting (Linux /proc/stat): busy time of the whole machine.
describe.runIf(markCpu() !== undefined)('machine CPU', () => {
  it('counts at least the CPU time this process spent, as a share of every CPU', () => {
    const mark = markCpu();
    const own = process.cpuUsage();
    let spin = 0;
    // Burn ~300 ms of this process's CPU (measured by the process itself, not by the wall clock).
    while (process.cpuUsage(own).user < 300_000) spin += Math.sqrt(spin + 1);
    const used = cpuSince(mark);
    expect(spin).toBeGreaterThan(0);
    expect(used).toBeDefined();
    // The machine's busy time includes ours; /proc/stat counts in sampled 10 ms ticks, hence the slack.
    expect(used!.cpuSeconds).toBeGreaterThanOrEqual(0.2);
    expect(used!.cpus).toBeGreaterThanOrEqual(1);
    expect(used!.utilization).toBeGreaterThan(0);
    expect(used!.utilization).toBeLessThanOrEqual(1.1);
  });

  it('says nothing without a starting mark', () => {
    expect(cpuSince(undefined)).toBeUndefined();
  });
});
