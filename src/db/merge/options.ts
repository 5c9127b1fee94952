import type { MergeErrorCode } from '../../core/merge/errors.js';
import type { FieldRules } from '../../core/merge/plan.js';
import type { SliceMemory } from '../../core/merge/slices.js';
import type { MergeStatus } from '../schema.js';
import type { ExtraTarget, UniquePolicy } from './catalog.js';

/** What one merge (or undo) came to. Refusals are outcomes, not exceptions. */
export interface MergeOutcome {
  mergeId: number;
  /** 'retry': nothing was decided (contacts busy); run it again later. */
  status: MergeStatus | 'retry';
  code?: MergeErrorCode | undefined;
  reason?: string | undefined;
  /** The live survivor and losers the merge applied to once chains were followed. */
  survivorId: number | null;
  loserIds: number[];
  /** Per table (or table.column): rows moved, rows set aside on a unique key, activities linked. */
  rowsMoved: Record<string, number>;
  setAside: Record<string, number>;
  linked: Record<string, number>;
  fieldConflicts: number;
  /** Decided before this call (read back from the audit row): nothing was done now. */
  replayed?: boolean;
}

/** Metric callbacks, so a worker can count without this code importing a metrics library. */
export interface MergeHooks {
  onRows?(event: {
    table: string;
    action: 'moved' | 'set_aside' | 'linked' | 'restored';
    rows: number;
  }): void;
  onConflicts?(event: { kind: 'field' | 'unique'; count: number }): void;
  onOutcome?(outcome: MergeOutcome): void;
  /**
   * Called at every step boundary (after locks, after each chunk's statements but before its
   * COMMIT, after each COMMIT...). Throwing from it interrupts the engine right there, as a crash
   * would: the open transaction rolls back and the connection is dropped. For tests.
   */
  onStep?(step: { name: string; mergeIds: readonly number[]; target?: string }): void | Promise<void>;
}

/**
 * Merges in one wave at most: each holds an advisory lock per contact for the wave, and session
 * advisory locks live in the server's shared lock table (max_locks_per_transaction × max_connections,
 * 6,400 by default): four workers at 500 merges of 2-3 contacts hold about 5,000.
 */
export const DEFAULT_MAX_WAVE_MERGES = 500;

export interface EngineOptions {
  /** Rows per chunk transaction (DEDUPE_MERGE_CHUNK_ROWS). */
  chunkRows?: number;
  /** `SET LOCAL lock_timeout` of every transaction, and the wait for contact locks (DEDUPE_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
  /** `SET LOCAL statement_timeout` of every transaction (DEDUPE_STATEMENT_TIMEOUT_MS). */
  statementTimeoutMs?: number;
  /** Merges applied together by one set of statements (DEFAULT_MAX_WAVE_MERGES). */
  maxWaveMerges?: number;
  /** Per-field merge rules; unset fields use DEFAULT_FIELD_RULES. */
  fieldRules?: FieldRules | undefined;
  /** Tables to re-point besides those with a foreign key to contacts: "table.column". */
  extraTargets?: readonly ExtraTarget[] | undefined;
  /** Tables never re-pointed, besides the service's own. */
  excludeTables?: readonly string[] | undefined;
  /** Per-table policy on unique-key collisions (default keep_survivor). */
  uniquePolicies?: Readonly<Record<string, UniquePolicy>> | undefined;
  hooks?: MergeHooks | undefined;
  /** Merges per one-transaction slice learnt by earlier calls (a merge worker keeps one per process). */
  sliceMemory?: SliceMemory | undefined;
}

export type ResolvedOptions = Required<
  Pick<EngineOptions, 'chunkRows' | 'lockTimeoutMs' | 'statementTimeoutMs' | 'maxWaveMerges'>
> &
  EngineOptions & { hooks: MergeHooks };

export function resolveOptions(opts: EngineOptions = {}): ResolvedOptions {
  return {
    ...opts,
    chunkRows: opts.chunkRows ?? 5000,
    lockTimeoutMs: opts.lockTimeoutMs ?? 5000,
    statementTimeoutMs: opts.statementTimeoutMs ?? 60_000,
    maxWaveMerges: opts.maxWaveMerges ?? DEFAULT_MAX_WAVE_MERGES,
    hooks: opts.hooks ?? {},
  };
}

/**
 * The engine settings of the service configuration, the extra targets and unique policies included:
 * every caller (the merge worker, the CLI, the API's undo) must re-point and move back the same
 * columns the same way.
 */
export function engineOptionsFromConfig(config: {
  DEDUPE_MERGE_CHUNK_ROWS: number;
  DEDUPE_LOCK_TIMEOUT_MS: number;
  DEDUPE_STATEMENT_TIMEOUT_MS: number;
  DEDUPE_MERGE_EXTRA_TARGETS: string;
  DEDUPE_MERGE_UNIQUE_POLICIES: string;
}): EngineOptions {
  return {
    chunkRows: config.DEDUPE_MERGE_CHUNK_ROWS,
    lockTimeoutMs: config.DEDUPE_LOCK_TIMEOUT_MS,
    statementTimeoutMs: config.DEDUPE_STATEMENT_TIMEOUT_MS,
    extraTargets: config.DEDUPE_MERGE_EXTRA_TARGETS.split(',').filter(Boolean),
    uniquePolicies: Object.fromEntries(
      config.DEDUPE_MERGE_UNIQUE_POLICIES.split(',')
        .filter(Boolean)
        .map((p) => p.split('=') as [string, UniquePolicy]),
    ),
  };
}

export function emptyOutcome(mergeId: number, status: MergeOutcome['status']): MergeOutcome {
  return {
    mergeId,
    status,
    survivorId: null,
    loserIds: [],
    rowsMoved: {},
    setAside: {},
    linked: {},
    fieldConflicts: 0,
  };
}

/** An error thrown by the onStep hook: a simulated crash, passed through untouched by the engine. */
export class StepInterrupted extends Error {
  constructor(cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.name = 'StepInterrupted';
  }
}

/** Calls the onStep hook; whatever it throws leaves the engine as a crash would. */
export async function emitStep(
  o: { hooks: MergeHooks },
  step: Parameters<NonNullable<MergeHooks['onStep']>>[0],
): Promise<void> {
  try {
    await o.hooks.onStep?.(step);
  } catch (err) {
    throw isRetryableError(err) ? err : new StepInterrupted(err);
  }
}

const isRetryableError = (err: unknown) => (err as { retryable?: unknown })?.retryable === true;
