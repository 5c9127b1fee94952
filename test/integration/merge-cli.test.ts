import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { testEnv } from '../support/env.js';
import { contact, dumpCrm, ensureUsersAndLists, related } from './merge-helpers.js';

const env = await testEnv();
const { db } = env;

describe('dedupe merge / merges / unmerge / resolve', () => {
  it('every command and option has a line of help', async () => {
    const top = await runCli(['--help'], env.childEnv);
    for (const cmd of ['merge', 'merges', 'unmerge', 'resolve'])
      expect(top.stdout).toMatch(new RegExp(`\\n  ${cmd}\\b.*\\S`));
    const cases: [string[], string[]][] = [
      [['merge'], ['--field-choice', '--reason', '--idempotency-key', '--dry-run', '--json']],
      [
        ['merges', 'list'],
        ['--run', '--status', '--contact', '--limit', '--json'],
      ],
      [['merges', 'show'], ['--json']],
      [['unmerge'], ['--run', '--json']],
      [['resolve'], ['--json']],
    ];
    for (const [cmd, options] of cases) {
      const help = await runCli([...cmd, '--help'], env.childEnv);
      for (const o of options) expect(help.stdout).toMatch(new RegExp(`${o}\\b[^\\n]*\\s{2,}\\S`));
    }
  });

  it('a worker taking merge jobs does not start when merges could not run, saying why', async () => {
    const bad = { ...env.childEnv, DEDUPE_MERGE_UNIQUE_POLICIES: 'no_such_table=keep_loser' };
    const all = await runCli(['worker'], bad);
    expect(all.code).not.toBe(0);
    expect(all.stderr).toMatch(/merges cannot run: .*no_such_table.*DEDUPE_MERGE_UNIQUE_POLICIES/);
    expect(all.stderr).toContain('--queues runs,index,score,cluster');
    const some = await runCli(['worker', '--queues', 'merge,index'], bad);
    expect(some.stderr).toContain('without the merge queue (--queues index)');
    const mergeOnly = await runCli(['worker', '--queues', 'merge'], bad);
    expect(mergeOnly.stderr).toContain('Fix it and start the worker again');
  });

  it('dry run, merge with a field choice, audit, resolve, undo', async () => {
    await ensureUsersAndLists(db);
    const s = await contact(db, { email: 'ann@x.com', company: 'Acme' });
    const l = await contact(db, { email: 'ann@y.com', company: 'Acme Ltd' });
    await related(db, s, { activities: 2, owners: [1] });
    await related(db, l, { activities: 3, owners: [1, 2] });
    const before = await dumpCrm(db);

    const dry = await runCli(['merge', String(s), String(l), '--dry-run', '--json'], env.childEnv);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      survivorId: s,
      loserIds: [l],
      rows: { activities: { move: 3, setAside: 0 } },
    });
    const dryText = await runCli(['merge', String(s), String(l), '--dry-run'], env.childEnv);
    expect(dryText.stdout).toMatch(/conflict company \(.*"Acme".*"Acme Ltd".*\) → "Acme"/);
    expect(await dumpCrm(db)).toEqual(before);

    const done = await runCli(
      ['merge', String(s), String(l), '--field-choice', `company=${l}`, '--reason', 'same person', '--json'],
      env.childEnv,
    );
    expect(done.code).toBe(0);
    const outcome = JSON.parse(done.stdout);
    expect(outcome).toMatchObject({
      status: 'completed',
      survivorId: s,
      rowsMoved: { activities: 3, contact_owners: 1 },
      setAside: { contact_owners: 1 },
    });
    const survivor = await db
      .selectFrom('contacts')
      .select('company')
      .where('id', '=', s)
      .executeTakeFirstOrThrow();
    expect(survivor.company).toBe('Acme Ltd');

    const list = await runCli(['merges', 'list', '--status', 'completed', '--json'], env.childEnv);
    expect(JSON.parse(list.stdout).map((m: { id: number }) => m.id)).toEqual([outcome.mergeId]);
    const show = await runCli(['merges', 'show', String(outcome.mergeId)], env.childEnv);
    expect(show.stdout).toContain('completed');
    expect(show.stdout).toContain('same person');
    // What a person chose, against what each record had.
    expect(show.stdout).toContain(
      `conflict company (${s}: "Acme", ${l}: "Acme Ltd") → "Acme Ltd" by field_choice`,
    );
    const resolved = await runCli(['resolve', String(l), '--json'], env.childEnv);
    expect(JSON.parse(resolved.stdout)).toMatchObject({ contactId: s, chain: [l, s], merged: true });

    const undo = await runCli(['unmerge', String(outcome.mergeId)], env.childEnv);
    expect({ code: undo.code, stderr: undo.stderr }).toEqual({ code: 0, stderr: '' });
    expect(undo.stdout).toMatch(/undone: moved back 4, re-inserted 1/);
    expect(await dumpCrm(db)).toEqual(before);
  });

  it('refusals and bad input say why and exit non-zero', async () => {
    const a = await contact(db, {});
    const self = await runCli(['merge', String(a), String(a)], env.childEnv);
    expect(self.code).toBe(1);
    expect(self.stdout).toMatch(/refused: MERGE_SELF/);
    const unknown = await runCli(['merge', String(a), '99999999'], env.childEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/CONTACT_NOT_FOUND/);
    const neither = await runCli(['unmerge'], env.childEnv);
    expect(neither.stderr).toMatch(/give either a merge id or --run/);
    const badChoice = await runCli(['merge', String(a), '1', '--field-choice', 'email'], env.childEnv);
    expect(badChoice.stderr).toMatch(/field=contactId/);
    const missing = await runCli(['merges', 'show', '424242'], env.childEnv);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
