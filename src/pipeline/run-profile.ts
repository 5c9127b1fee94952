import type { Kysely } from 'kysely';
import { type CompiledModel, compileModel, type ModelParams, parseModelParams } from '../core/model/index.js';
import {
  type CompiledProfile,
  compileProfile,
  type MatchingProfile,
  parseProfile,
} from '../core/profile/index.js';
import { getRun } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import { DomainError } from '../errors.js';

export interface RunSetup {
  runId: number;
  dryRun: boolean;
  profile: MatchingProfile;
  compiled: CompiledProfile;
  model?: CompiledModel;
  params?: ModelParams;
}

// A worker handles many jobs of the same run: parse and compile its profile (and model) once.
const cache = new Map<number, RunSetup>();

/** The run's validated profile (and fitted model once trained); a missing run is bad input. */
export async function runSetup(
  db: Kysely<Database>,
  runId: number,
  opts: { needModel?: boolean } = {},
): Promise<RunSetup> {
  const cached = cache.get(runId);
  if (cached && (!opts.needModel || cached.model)) return cached;
  const run = await getRun(db, runId);
  if (!run) throw new DomainError('RUN_NOT_FOUND', `run ${runId} does not exist`);
  const profile = parseProfile(run.profile);
  const setup: RunSetup = { runId, dryRun: run.dry_run, profile, compiled: compileProfile(profile) };
  if (run.model) {
    setup.params = parseModelParams(run.model);
    setup.model = compileModel(setup.params);
  } else if (opts.needModel) {
    throw new DomainError('RUN_NOT_TRAINED', `run ${runId} has no fitted model yet`, true);
  }
  if (cache.size > 16) cache.clear();
  cache.set(runId, setup);
  return setup;
}
