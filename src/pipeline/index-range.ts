import type { Kysely } from 'kysely';
import type pg from 'pg';
import { blockingKeyHashes } from '../core/blocking.js';
import { type ContactInput, packRecord, prepareCompiled, tfValuesOf } from '../core/profile/index.js';
import { contactsPage, type IndexedContact, writeIndexTask } from '../db/detection.js';
import { taskResult } from '../db/runs.js';
import type { Database } from '../db/schema.js';
import type { RunSetup } from './run-profile.js';

const PAGE = 5000;

export interface IndexResult {
  contacts: number;
  keys: number;
}

/**
 * Indexes live contacts with fromId <= id < toId in keyset pages: normalizes each once, derives its
 * blocking keys, and writes prepared records + keys + the task checkpoint in one transaction.
 * A task already done returns its recorded result (a retry after a crash repeats nothing).
 */
export async function indexRange(
  db: Kysely<Database>,
  pool: pg.Pool,
  setup: RunSetup,
  task: { taskNo: number; fromId: number; toId: number },
): Promise<IndexResult & { skipped: boolean }> {
  const done = await taskResult<IndexResult>(db, setup.runId, 'index', task.taskNo);
  if (done) return { ...done, skipped: true };
  const out: IndexedContact[] = [];
  let keys = 0;
  let after = task.fromId - 1;
  for (;;) {
    const page = await contactsPage(db, task.fromId, task.toId, after, PAGE);
    for (const row of page) {
      const prepared = prepareCompiled(setup.compiled, row as ContactInput);
      const keyHashes = blockingKeyHashes(setup.compiled, prepared);
      keys += keyHashes.length;
      out.push({
        contactId: row.id,
        prepared: packRecord(prepared, keyHashes),
        keyHashes,
        tfValues: tfValuesOf(setup.compiled, prepared),
      });
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
  const result: IndexResult = { contacts: out.length, keys };
  await writeIndexTask(pool, setup.runId, 'index', task.taskNo, out, { ...result });
  return { ...result, skipped: false };
}
