import { readFileSync } from 'node:fs';

/**
 * CPU time spent by the whole machine (every process: PostgreSQL backends, Node, Redis...), read
 * from /proc/stat. The benchmarks use it to tell "slower because it does more work" from "slower
 * because it cannot use the cores": the engine's database work runs in many backends, the
 * single-statement baseline in one. Undefined where /proc/stat does not exist (not Linux).
 */

// USER_HZ: the unit of /proc/stat, 100 on every Linux architecture Node supports.
const TICKS_PER_SECOND = 100;

export interface CpuMark {
  busy: number;
  /** CPUs the figures cover: the host's, as /proc/stat counts them (not this process's affinity). */
  cpus: number;
  at: number;
}

export function markCpu(): CpuMark | undefined {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    // cpu user nice system idle iowait irq softirq steal ... Steal (time the hypervisor gave to
    // other machines) is no work of this one: left out.
    const [, user, nice, system, , , irq, softirq] = (lines[0] ?? '').trim().split(/\s+/).map(Number);
    const busy = [user, nice, system, irq, softirq].reduce<number>((a, b) => a + (b ?? 0), 0);
    const cpus = lines.filter((l) => /^cpu\d+ /.test(l)).length;
    return Number.isFinite(busy) && cpus > 0 ? { busy, cpus, at: performance.now() } : undefined;
  } catch {
    return undefined;
  }
}

/** Busy CPU-seconds of the machine since `from`, and the share of all its CPUs they used. */
export function cpuSince(
  from: CpuMark | undefined,
): { cpuSeconds: number; utilization: number; cpus: number } | undefined {
  const to = markCpu();
  if (!from || !to) return undefined;
  const cpuSeconds = (to.busy - from.busy) / TICKS_PER_SECOND;
  const wallSeconds = (to.at - from.at) / 1000;
  return { cpuSeconds, utilization: cpuSeconds / (wallSeconds * to.cpus), cpus: to.cpus };
}
