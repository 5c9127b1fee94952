import type { Command } from 'commander';
import {
  createMergeRequest,
  type DryRunResult,
  engineOptionsFromConfig,
  executeMerge,
  type FieldConflict,
  getMerge,
  isMergeError,
  listMerges,
  type MergeEngineStatus,
  type MergeOutcome,
  type MergeRecord,
  planMergeDryRun,
  resolveContact,
  sweepTombstones,
  type UndoOutcome,
  undoMerge,
  undoRun,
} from '../../db/merge/index.js';
import { action, parseIntOption, UserError, withContext } from '../context.js';

/**
 * `dedupe merge`, `merges list|show`, `unmerge`, `resolve`: one merge run synchronously in this
 * process, the audit trail, undo, and where a (possibly merged) contact lives now.
 */

const STATUSES: MergeEngineStatus[] = [
  'pending',
  'running',
  'completed',
  'failed',
  'refused',
  'undoing',
  'undone',
];
const contactId = parseIntOption('contact id', 1);
const out = (line: string) => void process.stdout.write(`${line}\n`);
const json = (value: unknown) => out(JSON.stringify(value));
const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const perTable = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ') || 'none';

/** Merge-engine errors are the whole story for a user: message and code, no stack trace. */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!isMergeError(err)) throw err;
    throw new UserError(
      `${err.code}: ${err.message}${err.retryable ? ' (temporary: try again)' : ''}`,
      err.code,
    );
  }
}

function parseChoice(value: string, previous: Record<string, number>): Record<string, number> {
  const m = /^([a-z_][\w.]*)=(\d+)$/i.exec(value.trim());
  if (!m) throw new UserError(`--field-choice must look like field=contactId, got "${value}"`);
  return { ...previous, [m[1]!]: Number(m[2]) };
}

/** A field conflict: every contact's value, the value kept, and the rule (or person) that chose it. */
function conflictLine(c: Pick<FieldConflict, 'field' | 'values' | 'chosen' | 'rule'>): string {
  const values = Object.entries(c.values ?? {})
    .map(([id, v]) => `${id}: ${JSON.stringify(v)}`)
    .join(', ');
  return `  conflict ${c.field} (${values}) → ${JSON.stringify(c.chosen)} by ${c.rule}`;
}

function printDryRun(d: DryRunResult): void {
  out(`dry run: merge ${d.loserIds.join(', ')} into ${d.survivorId} (nothing written)`);
  if (d.refused) {
    out(`  would be refused: ${d.refused.code}: ${d.refused.reason}`);
    return;
  }
  for (const c of d.plan?.changes ?? [])
    out(`  ${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`);
  for (const c of d.plan?.conflicts ?? []) out(conflictLine(c));
  for (const [t, r] of Object.entries(d.rows))
    if (r.move + r.setAside > 0) out(`  ${t}: ${r.move} to move, ${r.setAside} to set aside`);
  if (d.linkable > 0) out(`  ${d.linkable} activities to link as duplicates`);
}

function printOutcome(o: MergeOutcome): void {
  if (o.status !== 'completed') {
    out(`merge ${o.mergeId} ${o.status}: ${o.code ?? ''} ${o.reason ?? ''}`.trim());
    return;
  }
  out(`merge ${o.mergeId}: ${o.loserIds.join(', ')} merged into ${o.survivorId}`);
  out(`  moved: ${perTable(o.rowsMoved)}`);
  if (total(o.setAside) > 0)
    out(`  set aside (duplicate keys, kept in the journal): ${perTable(o.setAside)}`);
  if (total(o.linked) > 0) out(`  linked duplicate activities: ${total(o.linked)}`);
  out(`  field conflicts: ${o.fieldConflicts}`);
}

function printRecord(m: MergeRecord, detail: boolean): void {
  const losers = (m.effectiveLoserIds ?? m.loserIds).join(', ');
  const moved = total(
    ((m.rowsMoved as { moved?: Record<string, number> }).moved ?? {}) as Record<string, number>,
  );
  out(
    `${String(m.id).padStart(6)}  ${m.status.padEnd(9)} ${m.effectiveSurvivorId ?? m.survivorId} ← ${losers}` +
      `  rows ${moved}  ${m.source === 'run' && m.runId ? `run ${m.runId}` : `${m.source}${m.runId ? ` (run ${m.runId})` : ''}`}  ${m.createdAt.toISOString()}` +
      (m.errorCode ? `  ${m.errorCode}` : ''),
  );
  if (!detail) return;
  out(
    `  requested: ${m.survivorId} ← ${m.loserIds.join(', ')} by ${m.requestedBy}${m.reason ? ` (${m.reason})` : ''}`,
  );
  if (m.error) out(`  ${m.errorCode}: ${m.error}`);
  const rm = m.rowsMoved as Record<string, Record<string, number>>;
  for (const kind of ['moved', 'set_aside', 'linked'])
    if (rm[kind] && total(rm[kind])) out(`  ${kind}: ${perTable(rm[kind])}`);
  for (const c of m.conflicts as (FieldConflict | { kind: 'unique'; table: string; count: number })[]) {
    out(c.kind === 'field' ? conflictLine(c) : `  ${c.kind} conflicts on ${c.table}: ${c.count}`);
  }
  for (const [k, v] of [
    ['started', m.startedAt],
    ['finished', m.finishedAt],
    ['undone', m.undoneAt],
  ] as const) {
    if (v) out(`  ${k}: ${v.toISOString()}`);
  }
}

function printUndo(u: UndoOutcome): void {
  if (u.status !== 'undone') {
    out(`merge ${u.mergeId} not undone: ${u.code}: ${u.reason}`);
    return;
  }
  out(
    `merge ${u.mergeId} undone: moved back ${total(u.movedBack)}, re-inserted ${total(u.reinserted)}, unlinked ${total(u.unlinked)}`,
  );
  if (total(u.keyTaken) > 0) out(keyTakenLine(u.keyTaken));
}

/** Set-aside rows an undo could not put back: said, never silent. */
const keyTakenLine = (keyTaken: Record<string, number>) =>
  `  not re-inserted, their key being taken now (still in the journal): ${perTable(keyTaken)}`;

/** Per-table sums of one count over many undo outcomes. */
function sumTables(
  results: readonly UndoOutcome[],
  key: 'movedBack' | 'reinserted' | 'unlinked' | 'keyTaken',
) {
  const sums: Record<string, number> = {};
  for (const u of results) for (const [t, n] of Object.entries(u[key])) sums[t] = (sums[t] ?? 0) + n;
  return sums;
}

const SHOWN_FAILURES = 20;

/**
 * A run's undo can cover 100,000 merges: one summary, and the merges that were not undone (the
 * first few, with why); --json has every outcome.
 */
function printRunUndo(runId: number, results: readonly UndoOutcome[]): void {
  const failed = results.filter((u) => u.status !== 'undone');
  for (const u of failed.slice(0, SHOWN_FAILURES)) printUndo(u);
  if (failed.length > SHOWN_FAILURES)
    out(`... and ${failed.length - SHOWN_FAILURES} more not undone (--json lists every merge)`);
  out(`run ${runId}: ${results.length - failed.length} of ${results.length} merges undone`);
  out(`  moved back: ${perTable(sumTables(results, 'movedBack'))}`);
  out(`  re-inserted (set aside): ${perTable(sumTables(results, 'reinserted'))}`);
  out(`  unlinked activities: ${total(sumTables(results, 'unlinked'))}`);
  const keyTaken = sumTables(results, 'keyTaken');
  if (total(keyTaken) > 0) out(keyTakenLine(keyTaken));
}

export function registerMerges(program: Command): void {
  program
    .command('merge <survivorId> <duplicateIds...>')
    .description('merge duplicates into a survivor now, in this process (audited, undoable)')
    .option(
      '--field-choice <field=contactId>',
      "take this field from that contact's record (repeatable)",
      parseChoice,
      {},
    )
    .option('--reason <text>', 'why, kept in the audit row')
    .option('--idempotency-key <key>', 'the same key never merges twice')
    .option('--dry-run', 'print the plan (field values, conflicts, rows to move) and write nothing')
    .option('--json', 'print the result as JSON')
    .action(
      action(
        async (
          survivor: string,
          dups: string[],
          opts: {
            fieldChoice: Record<string, number>;
            reason?: string;
            idempotencyKey?: string;
            dryRun?: boolean;
            json?: boolean;
          },
        ) => {
          const survivorId = contactId(survivor);
          const duplicateIds = dups.map((d) => contactId(d));
          await withContext('merge', async ({ db, pool, config }) =>
            userErrors(async () => {
              const engine = engineOptionsFromConfig(config);
              if (opts.dryRun) {
                const plan = await planMergeDryRun(
                  db,
                  { survivorId, duplicateIds, fieldChoices: opts.fieldChoice },
                  engine,
                );
                return opts.json ? json(plan) : printDryRun(plan);
              }
              const { id } = await createMergeRequest(db, {
                survivorId,
                duplicateIds,
                fieldChoices: opts.fieldChoice,
                idempotencyKey: opts.idempotencyKey,
                reason: opts.reason,
                source: 'cli',
                requestedBy: process.env.USER ?? 'cli',
              });
              const outcome = await executeMerge(pool, id, engine);
              if (opts.json) json(outcome);
              else printOutcome(outcome);
              if (outcome.status === 'refused') process.exitCode = 1;
            }),
          );
        },
      ),
    );

  const merges = program.command('merges').description('the audit trail of merges');
  merges
    .command('list')
    .description('merges, newest first')
    .option('--run <id>', 'only the merges of this run', parseIntOption('--run', 1))
    .option('--status <status>', `only merges in this status (${STATUSES.join(', ')})`)
    .option('--contact <id>', 'only merges involving this contact', parseIntOption('--contact', 1))
    .option('--limit <n>', 'how many', parseIntOption('--limit', 1, 100_000), 50)
    .option('--json', 'print as JSON')
    .action(
      action(
        async (opts: { run?: number; status?: string; contact?: number; limit: number; json?: boolean }) => {
          if (opts.status && !STATUSES.includes(opts.status as MergeEngineStatus)) {
            throw new UserError(`--status must be one of ${STATUSES.join(', ')}`);
          }
          await withContext('merges', async ({ db }) => {
            const rows = await listMerges(db, {
              runId: opts.run,
              status: opts.status as MergeEngineStatus | undefined,
              contactId: opts.contact,
              limit: opts.limit,
            });
            if (opts.json) return json(rows);
            if (rows.length === 0) return out('no merges');
            for (const m of rows) printRecord(m, false);
          });
        },
      ),
    );
  merges
    .command('show <mergeId>')
    .description('one merge: who asked, what moved, conflicts, snapshot and timings')
    .option('--json', 'print as JSON (snapshot included)')
    .action(
      action(async (id: string, opts: { json?: boolean }) => {
        const mergeId = parseIntOption('merge id', 1)(id);
        await withContext('merges', async ({ db }) => {
          const m = await getMerge(db, mergeId);
          if (!m) throw new UserError(`merge ${mergeId} does not exist`, 'MERGE_NOT_FOUND');
          return opts.json ? json(m) : printRecord(m, true);
        });
      }),
    );

  program
    .command('unmerge [mergeId]')
    .description('undo a merge (or every merge of a run, newest first): losers back, rows moved back')
    .option('--run <runId>', 'undo every merge of this run', parseIntOption('--run', 1))
    .option('--json', 'print the result as JSON')
    .action(
      action(async (id: string | undefined, opts: { run?: number; json?: boolean }) => {
        if ((id === undefined) === (opts.run === undefined))
          throw new UserError('give either a merge id or --run <runId>');
        await withContext('unmerge', async ({ pool, config }) =>
          userErrors(async () => {
            const engine = engineOptionsFromConfig(config);
            const results = opts.run
              ? await undoRun(pool, opts.run, engine)
              : [await undoMerge(pool, parseIntOption('merge id', 1)(id!), engine)];
            if (opts.json) json(opts.run ? results : results[0]);
            else if (results.length === 0) out(`run ${opts.run} has no merges to undo`);
            else if (opts.run) printRunUndo(opts.run, results);
            else for (const u of results) printUndo(u);
            if (results.some((u) => u.status !== 'undone')) process.exitCode = 1;
          }),
        );
      }),
    );

  program
    .command('sweep')
    .description(
      'move rows that landed on merged contacts after their merge (a stale id) to the survivor, journalled under that merge',
    )
    .option('--json', 'print the result as JSON')
    .action(
      action(async (opts: { json?: boolean }) => {
        await withContext('sweep', async ({ pool, config }) =>
          userErrors(async () => {
            const r = await sweepTombstones(pool, engineOptionsFromConfig(config));
            if (opts.json) return json(r);
            if (r.skipped > 0)
              out(`${r.skipped} merge(s) skipped: their contacts were busy (run the sweep again later)`);
            if (r.merges === 0)
              return out(r.skipped > 0 ? 'nothing else to move' : 'no row points at a merged contact');
            out(`${r.merges} merge(s) took late rows to their survivor`);
            out(`  moved: ${perTable(r.moved)}`);
            if (total(r.setAside) > 0)
              out(`  set aside (duplicate keys, kept in the journal): ${perTable(r.setAside)}`);
          }),
        );
      }),
    );

  program
    .command('resolve <contactId>')
    .description('where a contact lives now: follows merges to the live survivor')
    .option('--json', 'print as JSON')
    .action(
      action(async (id: string, opts: { json?: boolean }) => {
        const requested = contactId(id);
        await withContext('resolve', async ({ db }) =>
          userErrors(async () => {
            const r = await resolveContact(db, requested);
            if (opts.json) return json(r);
            out(
              r.merged
                ? `${r.chain.join(' → ')} (live: ${r.contactId})`
                : `${r.contactId} is live (never merged)`,
            );
          }),
        );
      }),
    );
}
