import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import YAML from 'yaml';
import { DEFAULT_PROFILE, type MatchingProfile, parseProfile } from '../core/profile/index.js';
import { activeRuns, createRun } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';
import { QUEUES } from '../queues/names.js';
import { jobIds, type ScheduledRunJob } from '../queues/payloads.js';
import type { QueueSet } from '../queues/queues.js';

/** Reads and validates a matching profile (JSON or YAML); without a path, the default profile. */
export function loadProfile(path?: string): MatchingProfile {
  if (!path) return DEFAULT_PROFILE;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DomainError('PROFILE_UNREADABLE', `cannot read profile ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? YAML.parse(text) : JSON.parse(text);
  } catch (err) {
    throw new DomainError(
      'PROFILE_INVALID',
      `profile ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`,
    );
  }
  try {
    return parseProfile(raw);
  } catch (err) {
    throw new DomainError('PROFILE_INVALID', `profile ${path}: ${(err as Error).message}`);
  }
}

export interface StartRunOptions {
  profile: MatchingProfile;
  dryRun: boolean;
  trigger: 'cli' | 'schedule' | 'api' | 'bench';
  scheduleName?: string;
}

/** Creates a run and enqueues its first job; workers do the rest. */
export async function startRun(db: Kysely<Database>, queues: QueueSet, opts: StartRunOptions) {
  const run = await createRun(db, {
    profile: opts.profile as unknown as Record<string, unknown>,
    dryRun: opts.dryRun,
    trigger: opts.trigger,
    scheduleName: opts.scheduleName ?? null,
  });
  await queues.queue(QUEUES.runs).add('start', { runId: run.id }, { jobId: jobIds.runStep(run.id, 'start') });
  return run;
}

/** A schedule's tick: starts a run unless an earlier one is still going. */
export async function startScheduledRun(db: Kysely<Database>, queues: QueueSet, job: ScheduledRunJob) {
  const active = await activeRuns(db);
  if (active.length > 0) return { skipped: `run ${active.map((r) => r.id).join(', ')} still going` };
  const profile = job.profile ? parseProfile(job.profile) : DEFAULT_PROFILE;
  const run = await startRun(db, queues, {
    profile,
    dryRun: job.dryRun,
    trigger: 'schedule',
    scheduleName: job.scheduleName,
  });
  return { runId: run.id };
}
