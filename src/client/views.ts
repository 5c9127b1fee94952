import type { MergeRecord, ResolvedContact } from '../db/merge/index.js';
import type { MergeView, ResolvedContactView } from './types.js';

const iso = (d: Date | string | null): string | null =>
  d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString();

/**
 * The audit record of a merge as product code sees it. The snapshot (the full pre-merge copy of
 * the contacts), the plan and the engine's checkpoint stay in the database: they are large, hold
 * the contacts' personal data in bulk, and only the engine and undo need them.
 */
export function toMergeView(r: MergeRecord): MergeView {
  return {
    id: r.id,
    status: r.status,
    source: r.source,
    requestedBy: r.requestedBy,
    runId: r.runId,
    idempotencyKey: r.idempotencyKey,
    survivorId: r.survivorId,
    duplicateIds: r.loserIds,
    effectiveSurvivorId: r.effectiveSurvivorId,
    effectiveDuplicateIds: r.effectiveLoserIds,
    score: r.score,
    reason: r.reason,
    fieldChoices: r.fieldChoices,
    errorCode: r.errorCode,
    error: r.error,
    conflicts: r.conflicts,
    rowsMoved: r.rowsMoved,
    createdAt: iso(r.createdAt) ?? '',
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    undoneAt: iso(r.undoneAt),
  };
}

export function toResolvedView(r: ResolvedContact): ResolvedContactView {
  return { id: r.requestedId, survivorId: r.contactId, chain: r.chain, merged: r.merged };
}
