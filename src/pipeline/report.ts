import type { Kysely } from 'kysely';
import { getRun, stageProgress } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';

/** In order. `train` (buckets, term frequencies, the model) has no tasks of its own: only a time. */
export const STAGES = ['index', 'train', 'score', 'cluster', 'merge'] as const;

export interface StageReport {
  tasks: number;
  done: number;
  failed: number;
  seconds: number | null;
  /** The stage's main unit: contacts indexed, pairs scored, clusters built, merges done. */
  items: number;
  items_per_s: number | null;
  totals: Record<string, number>;
}

export interface RunReport {
  id: number;
  status: string;
  dry_run: boolean;
  trigger: string;
  stage: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  seconds: number | null;
  error: string | null;
  stages: Partial<Record<(typeof STAGES)[number], StageReport>>;
  stats: Record<string, unknown>;
}

const MAIN_UNIT: Record<(typeof STAGES)[number], string> = {
  index: 'contacts',
  train: 'buckets',
  score: 'pairs_scored',
  cluster: 'clusters',
  merge: 'merges',
};

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** A run's report: status, counts, time and rate per stage (from checkpoints and stage start times). */
export async function runReport(db: Kysely<Database>, runId: number): Promise<RunReport> {
  const run = await getRun(db, runId);
  if (!run) throw new DomainError('RUN_NOT_FOUND', `run ${runId} does not exist`);
  const stats = (run.stats ?? {}) as Record<string, unknown>;
  const progress = new Map((await stageProgress(db, runId)).map((p) => [p.stage, p]));
  const started = (s: string) =>
    typeof stats[`started_${s}`] === 'string' ? Date.parse(stats[`started_${s}`] as string) : null;
  const end = run.finished_at ? new Date(run.finished_at).getTime() : Date.now();
  const stages: RunReport['stages'] = {};
  STAGES.forEach((stage, i) => {
    const p = progress.get(stage);
    const from = started(stage);
    if (!p && from === null) return;
    const next = STAGES.slice(i + 1)
      .map(started)
      .find((t) => t !== null);
    const to = next ?? (run.stage === stage && !run.finished_at ? Date.now() : end);
    const seconds = from !== null ? Math.max(0, (to - from) / 1000) : null;
    const items = p?.result[MAIN_UNIT[stage]] ?? 0;
    stages[stage] = {
      tasks: p?.total ?? 0,
      done: p?.done ?? 0,
      failed: p?.failed ?? 0,
      seconds,
      items,
      items_per_s: seconds ? items / seconds : null,
      totals: p?.result ?? {},
    };
  });
  return {
    id: run.id,
    status: run.status,
    dry_run: run.dry_run,
    trigger: run.trigger,
    stage: run.stage,
    created_at: iso(run.created_at)!,
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    seconds: run.started_at ? (end - new Date(run.started_at).getTime()) / 1000 : null,
    error: run.error,
    stages,
    stats,
  };
}

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** The report as text for a terminal. */
export function formatReport(r: RunReport): string {
  const lines = [
    `run ${r.id}: ${r.status}${r.dry_run ? ' (dry run)' : ''}, ${r.trigger}${r.seconds !== null ? `, ${fmt(r.seconds, 1)} s` : ''}${r.error ? `, error: ${r.error}` : ''}`,
    `  ${'stage'.padEnd(8)} ${'tasks'.padStart(11)} ${'items'.padStart(12)} ${'seconds'.padStart(8)} ${'per s'.padStart(10)}  details`,
  ];
  for (const stage of STAGES) {
    const s = r.stages[stage];
    if (!s) continue;
    const details = Object.entries(s.totals)
      .filter(([k]) => k !== MAIN_UNIT[stage])
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
    lines.push(
      `  ${stage.padEnd(8)} ${`${s.done}/${s.tasks}${s.failed ? ` (${s.failed} failed)` : ''}`.padStart(11)} ${fmt(s.items).padStart(12)} ${fmt(s.seconds, 1).padStart(8)} ${fmt(s.items_per_s).padStart(10)}  ${details}`,
    );
  }
  return lines.join('\n');
}
