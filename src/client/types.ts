/**
 * The shapes product code sees, the same through the producer (direct PostgreSQL/Redis access) and
 * through the HTTP API: plain JSON values, timestamps as ISO-8601 strings.
 */

export type MergeStatus = 'pending' | 'running' | 'completed' | 'failed' | 'refused' | 'undoing' | 'undone';

/** States a merge leaves only through an undo (or, for 'failed', a retry of its job). */
export const SETTLED_STATUSES: readonly MergeStatus[] = ['completed', 'failed', 'refused', 'undone'];

export interface MergeRequestInput {
  /** The contact that stays. */
  survivorId: number;
  /** The contacts merged into it (at least one; not the survivor). */
  duplicateIds: number[];
  /** field (or `attributes.<key>`) → the contact whose value the survivor keeps. */
  fieldChoices?: Record<string, number>;
  /** The same key always yields the same merge: a retried request creates nothing new. */
  idempotencyKey?: string;
}

/** A merge's audit record: who asked what, what it came to, and when. */
export interface MergeView {
  id: number;
  status: MergeStatus;
  source: string;
  requestedBy: string;
  runId: number | null;
  idempotencyKey: string | null;
  /** As requested. */
  survivorId: number;
  duplicateIds: number[];
  /** The live contacts the merge applied to once earlier merges were followed (null until it runs). */
  effectiveSurvivorId: number | null;
  effectiveDuplicateIds: number[] | null;
  score: number | null;
  reason: string | null;
  fieldChoices: Record<string, unknown>;
  /** Refusal or failure code (MERGE_CYCLE, MERGE_SELF, UNDO_DEPENDENT...) and message. */
  errorCode: string | null;
  error: string | null;
  /** Field and unique-key conflicts met and how they were decided. */
  conflicts: unknown[];
  /** Rows moved / set aside / linked, by table. */
  rowsMoved: Record<string, unknown>;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  undoneAt: string | null;
}

/** `GET /v1/contacts/:id/resolve`: the live contact an id stands for now. */
export interface ResolvedContactView {
  /** The id asked about. */
  id: number;
  /** The live contact it resolves to (itself when never merged). */
  survivorId: number;
  /** From `id` to `survivorId`, both included. */
  chain: number[];
  merged: boolean;
}

/** What undoing a merge came to (undoing an undone merge again answers the same, with zero counts). */
export interface UndoResultView {
  id: number;
  status: 'undone';
  /** Per table: rows moved back to their original contact. */
  movedBack: Record<string, number>;
  /** Per table: rows set aside on a unique key at merge time, inserted again. */
  reinserted: Record<string, number>;
  /** Per table: activities whose duplicate link was removed. */
  unlinked: Record<string, number>;
  /** Per table: set-aside rows not inserted again because their key is taken now (they stay in the journal). */
  keyTaken: Record<string, number>;
}

/** The answer to an enqueue through the HTTP API. */
export interface EnqueuedMerge {
  id: number;
  status: MergeStatus;
  /** False when the idempotency key matched an earlier request (answered 200 instead of 202). */
  created: boolean;
}
