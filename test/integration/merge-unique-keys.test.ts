import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  createMergeRequest,
  type EngineOptions,
  executeMerge,
  MergeError,
  planMergeDryRun,
  undoMerge,
} from '../../src/db/merge/index.js';
import { engineOptionsFromConfig } from '../../src/db/merge/options.js';
import { testEnv } from '../support/env.js';
import { contact, expectNoRowOnTombstone } from './merge-helpers.js';

/**
 * Tables with unique keys on the contact are merged as if the losers came in one at a time, in id
 * order: which loser rows move and which are set aside never depends on where chunks end, on the
 * one-transaction path against the chunked one, or on a crash and resume in between.
 */

const env = await testEnv();
const { db, pool } = env;

await sql`
  CREATE TABLE badges (id int PRIMARY KEY, contact_id bigint NOT NULL REFERENCES contacts, a text NOT NULL, b text NOT NULL,
                       UNIQUE (contact_id, a), UNIQUE (contact_id, b));
  CREATE TABLE passes (id int PRIMARY KEY, contact_id bigint NOT NULL REFERENCES contacts, a text NOT NULL, b text NOT NULL,
                       UNIQUE (contact_id, a), UNIQUE (contact_id, b));
  CREATE TABLE seats (id int PRIMARY KEY, contact_id bigint NOT NULL REFERENCES contacts, topic text NOT NULL,
                      UNIQUE (contact_id, topic));
`.execute(db);

// Through the service configuration, as the merge workers and the CLI read it.
const policies: EngineOptions = {
  uniquePolicies: engineOptionsFromConfig(
    loadConfig({ DEDUPE_MERGE_UNIQUE_POLICIES: 'passes=keep_loser,seats=keep_loser' }),
  ).uniquePolicies,
};

interface Scenario {
  mergeId: number;
  s: number;
  l1: number;
  l2: number;
  l3: number;
}

async function scenario(): Promise<Scenario> {
  await sql`TRUNCATE badges, passes, seats, merge_journal_entries, merges CASCADE`.execute(db);
  const s = await contact(db, { email: 's@x.com' });
  const l1 = await contact(db, { email: 'l1@x.com' });
  const l2 = await contact(db, { email: 'l2@x.com' });
  const l3 = await contact(db, { email: 'l3@x.com' });
  await sql`
    INSERT INTO badges VALUES
      (1, ${s}, 'a1', 'bx'),
      (2, ${l1}, 'a1', 'b2'), -- the survivor holds a1: set aside
      (3, ${l1}, 'a5', 'b5'), -- moves
      (4, ${l2}, 'a3', 'b2'), -- only row 2 held b2, and it was set aside: moves
      (5, ${l3}, 'a3', 'b9') -- row 4 brought a3 to the survivor: set aside
  `.execute(db);
  await sql`
    INSERT INTO passes VALUES
      (1, ${s}, 'a1', 'bx'),  -- keep_loser: row 2 takes a1, this one is set aside first
      (2, ${l1}, 'a1', 'b2'), -- moves
      (3, ${l2}, 'a3', 'b2') -- row 2 brought b2: among losers the first keeps its row, set aside
  `.execute(db);
  await sql`
    INSERT INTO seats VALUES
      (1, ${s}, 'news'), (2, ${l1}, 'news'), (3, ${l1}, 'offers'), (4, ${l2}, 'news'), (5, ${l3}, 'offers')
  `.execute(db);
  const { id } = await createMergeRequest(db, {
    survivorId: s,
    duplicateIds: [l3, l1, l2],
    source: 'api',
    requestedBy: 'test',
  });
  return { mergeId: id, s, l1, l2, l3 };
}

async function tables() {
  const out: Record<string, string[]> = {};
  for (const t of ['badges', 'passes', 'seats']) {
    const { rows } = await sql<{
      r: string;
    }>`SELECT to_jsonb(t)::text AS r FROM ${sql.table(t)} t ORDER BY id`.execute(db);
    out[t] = rows.map((r) => r.r);
  }
  return out;
}

/** The end state in terms of the scenario: which rows sit where, which were set aside. */
async function outcome(sc: Scenario) {
  const name = (id: number) =>
    (({ [sc.s]: 's', [sc.l1]: 'l1', [sc.l2]: 'l2', [sc.l3]: 'l3' }) as Record<number, string>)[id];
  const rows: Record<string, string[]> = {};
  for (const t of ['badges', 'passes', 'seats']) {
    const { rows: r } = await sql<{ id: number; contact_id: string }>`
      SELECT id, contact_id FROM ${sql.table(t)} ORDER BY id`.execute(db);
    rows[t] = r.map((x) => `${x.id}@${name(Number(x.contact_id))}`);
  }
  const { rows: aside } = await sql<{ table_name: string; row_data: { id: number }; from_contact: string }>`
    SELECT table_name, row_data, from_contact FROM merge_journal WHERE action = 'set_aside' `.execute(db);
  return {
    rows,
    aside: aside.map((a) => `${a.table_name} ${a.row_data.id}@${name(Number(a.from_contact))}`).sort(),
  };
}

const expected = {
  rows: {
    badges: ['1@s', '3@s', '4@s'],
    passes: ['2@s'],
    seats: ['2@s', '3@s'],
  },
  aside: ['badges 2@l1', 'badges 5@l3', 'passes 1@s', 'passes 3@l2', 'seats 1@s', 'seats 4@l2', 'seats 5@l3'],
};

describe('unique keys: losers merged one at a time, in id order', () => {
  // 1 and 2: every statement fills its chunk (the chunked, resumable path); 1000: one transaction.
  it.each([1, 2, 1000])('ends the same whatever the chunk (%i rows)', async (chunkRows) => {
    const sc = await scenario();
    const before = await tables();
    const out = await executeMerge(pool, sc.mergeId, { ...policies, chunkRows });
    expect(out.status).toBe('completed');
    expect(await outcome(sc)).toEqual(expected);
    expect(out.setAside).toEqual({ badges: 2, passes: 2, seats: 3 });
    expect(out.rowsMoved).toMatchObject({ badges: 2, passes: 1, seats: 2 });
    await expectNoRowOnTombstone(db);
    await undoMerge(pool, sc.mergeId, { ...policies, chunkRows });
    expect(await tables()).toEqual(before);
  });

  it('ends the same after a crash at any step and a resume', async () => {
    const steps: string[] = [];
    const sc = await scenario();
    await executeMerge(pool, sc.mergeId, {
      ...policies,
      chunkRows: 1,
      hooks: { onStep: (s) => void steps.push(`${s.name} ${s.target ?? ''}`) },
    });
    expect(steps.filter((s) => s.startsWith('chunk:committed')).length).toBeGreaterThan(10);
    for (let k = 0; k < steps.length; k++) {
      const again = await scenario();
      let n = 0;
      const crash = () => {
        if (n++ === k) throw new MergeError('DATABASE_UNAVAILABLE', 'simulated kill');
      };
      await expect(
        executeMerge(pool, again.mergeId, { ...policies, chunkRows: 1, hooks: { onStep: crash } }),
      ).rejects.toThrow(/simulated/);
      await executeMerge(pool, again.mergeId, { ...policies, chunkRows: 1 });
      expect({ k, step: steps[k], ...(await outcome(again)) }).toEqual({ k, step: steps[k], ...expected });
    }
  });

  // The final sweep (under the contact locks) catches rows that arrived on a loser meanwhile; it goes
  // rank by rank only: the survivor now holds rows its losers brought, never to be taken for its own.
  it('keep_loser: a row arriving late on a loser is set aside, not the row an earlier loser brought', async () => {
    const sc = await scenario();
    await sql`DELETE FROM seats WHERE contact_id <> ${sc.l1}`.execute(db);
    let late = false;
    const out = await executeMerge(pool, sc.mergeId, {
      ...policies,
      chunkRows: 2,
      hooks: {
        onStep: async (step) => {
          // After the seats table is done: tickets comes next in catalog order.
          if (late || step.name !== 'chunk:committed' || step.target !== 'tickets') return;
          late = true;
          await sql`INSERT INTO seats VALUES (9, ${sc.l2}, 'news')`.execute(db);
        },
      },
    });
    expect(late).toBe(true);
    expect(out.status).toBe('completed');
    const { rows, aside } = await outcome(sc);
    expect(rows.seats).toEqual(['2@s', '3@s']);
    expect(aside.filter((a) => a.startsWith('seats'))).toEqual(['seats 9@l2']);
    await undoMerge(pool, sc.mergeId, { ...policies, chunkRows: 1000 });
    const back = await sql<{
      id: number;
      contact_id: string;
    }>`SELECT id, contact_id FROM seats ORDER BY id`.execute(db);
    expect(back.rows.map((r) => [r.id, Number(r.contact_id)])).toEqual([
      [2, sc.l1],
      [3, sc.l1],
      [9, sc.l2],
    ]);
  });

  it('refuses a policy naming a table merges do not re-point', async () => {
    const sc = await scenario();
    await expect(
      executeMerge(pool, sc.mergeId, { uniquePolicies: { passe: 'keep_loser' } }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_TABLE', message: expect.stringMatching(/passe\b/) });
    // Undo replays the journal: a bad policy does not stand in its way.
    await executeMerge(pool, sc.mergeId, policies);
    await expect(
      undoMerge(pool, sc.mergeId, { uniquePolicies: { passe: 'keep_loser' } }),
    ).resolves.toMatchObject({
      status: 'undone',
    });
  });

  it('dry run: exact with one unique key', async () => {
    const sc = await scenario();
    const dry = await planMergeDryRun(
      db,
      { survivorId: sc.s, duplicateIds: [sc.l1, sc.l2, sc.l3] },
      policies,
    );
    expect(dry.rows.seats).toEqual({ move: 2, setAside: 3 });
  });
});
