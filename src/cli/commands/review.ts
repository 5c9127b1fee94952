import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { engineOptionsFromConfig, isMergeError } from '../../db/merge/index.js';
import { clusterMembersForExport, listReviewPairs, setReviewVerdict } from '../../db/review.js';
import { getRun } from '../../db/runs.js';
import { DomainError } from '../../errors.js';
import { acceptReviewPair } from '../../pipeline/review-accept.js';
import { action, parseIntOption, UserError, withContext } from '../context.js';

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function registerReview(program: Command): void {
  const review = program.command('review').description('the uncertain pairs that wait for a person');
  review
    .command('list')
    .description('pending review pairs, most likely match first, with the per-field weights behind the score')
    .option('--run <id>', 'only this run', parseIntOption('--run', 1))
    .option('--limit <n>', 'how many', parseIntOption('--limit', 1, 100_000), 50)
    .option('--json', 'print as JSON')
    .action(
      action(async (opts: { run?: number; limit: number; json?: boolean }) => {
        await withContext('review', async ({ db }) => {
          const pairs = await listReviewPairs(db, {
            limit: opts.limit,
            ...(opts.run ? { runId: opts.run } : {}),
          });
          if (opts.json) return void process.stdout.write(`${JSON.stringify(pairs)}\n`);
          if (pairs.length === 0) return void process.stdout.write('no pairs waiting for review\n');
          for (const p of pairs) {
            const fields = (
              (p.weights as { fields?: { field: string; level: number; weight: number }[] }).fields ?? []
            )
              .filter((f) => f.level >= 0)
              .map((f) => `${f.field} ${f.weight >= 0 ? '+' : ''}${f.weight.toFixed(1)}`)
              .join(', ');
            process.stdout.write(
              `run ${p.run_id}  ${p.a_id}${p.a_live !== Number(p.a_id) ? ` (now ${p.a_live})` : ''} ~ ${p.b_id}${p.b_live !== Number(p.b_id) ? ` (now ${p.b_live})` : ''}  p=${p.score.toFixed(3)}  ${p.a_name ?? ''} <${p.a_email ?? ''}> ~ ${p.b_name ?? ''} <${p.b_email ?? ''}>\n    ${fields}\n`,
            );
          }
        });
      }),
    );
  const pairArgs = (runId: string, a: string, b: string) => ({
    runId: parseIntOption('runId', 1)(runId),
    a: parseIntOption('contactA', 1)(a),
    b: parseIntOption('contactB', 1)(b),
  });
  review
    .command('accept <runId> <contactA> <contactB>')
    .description(
      "record that a review pair is the same person and merge it now (survivor by the run's survivorship rule)",
    )
    .option('--by <name>', 'who decided', process.env.USER ?? 'cli')
    .option('--no-merge', 'only record the verdict')
    .action(
      action(async (runId: string, a: string, b: string, opts: { by: string; merge: boolean }) => {
        await withContext('review', async ({ db, pool, config }) => {
          const pair = pairArgs(runId, a, b);
          if (!opts.merge) {
            if (!(await setReviewVerdict(db, pair, 'accepted', opts.by)))
              throw new UserError(
                `no pending review pair ${pair.a} ~ ${pair.b} in run ${pair.runId}`,
                'NOT_FOUND',
              );
            return void process.stdout.write(`accepted ${pair.a} ~ ${pair.b}\n`);
          }
          try {
            const out = await acceptReviewPair(db, pool, pair, opts.by, engineOptionsFromConfig(config));
            process.stdout.write(
              out.status === 'completed'
                ? `accepted ${pair.a} ~ ${pair.b}: merge ${out.mergeId} merged ${out.loserIds.join(', ')} into ${out.survivorId}\n`
                : `accepted ${pair.a} ~ ${pair.b}; merge ${out.mergeId} ${out.status}: ${out.code ?? ''} ${out.reason ?? ''}\n`,
            );
            if (out.status !== 'completed') process.exitCode = 1;
          } catch (err) {
            if (err instanceof DomainError || isMergeError(err))
              throw new UserError(`${err.message}`, (err as { code: string }).code);
            throw err;
          }
        });
      }),
    );
  review
    .command('reject <runId> <contactA> <contactB>')
    .description('record that a review pair is not the same person')
    .option('--by <name>', 'who decided', process.env.USER ?? 'cli')
    .action(
      action(async (runId: string, a: string, b: string, opts: { by: string }) => {
        await withContext('review', async ({ db }) => {
          const pair = pairArgs(runId, a, b);
          if (!(await setReviewVerdict(db, pair, 'rejected', opts.by)))
            throw new UserError(
              `no pending review pair ${pair.a} ~ ${pair.b} in run ${pair.runId}`,
              'NOT_FOUND',
            );
          process.stdout.write(`rejected ${pair.a} ~ ${pair.b}\n`);
        });
      }),
    );

  program
    .command('export <runId>')
    .description("write a run's clusters to CSV: one line per contact in a cluster of two or more")
    .requiredOption('--clusters <file>', 'output CSV file (header cluster_id,contact_id,external_id)')
    .action(
      action(async (runIdText: string, opts: { clusters: string }) => {
        const runId = parseIntOption('runId', 1)(runIdText);
        await withContext('export', async ({ db }) => {
          if (!(await getRun(db, runId))) throw new UserError(`run ${runId} does not exist`, 'NOT_FOUND');
          const out = createWriteStream(opts.clusters);
          out.write('cluster_id,contact_id,external_id\n');
          let lines = 0;
          for await (const r of clusterMembersForExport(db, runId)) {
            if (!out.write(`${r.cluster_no},${r.contact_id},${csvCell(r.external_id)}\n`))
              await once(out, 'drain');
            lines++;
          }
          out.end();
          await once(out, 'finish');
          process.stdout.write(`wrote ${lines} contacts to ${opts.clusters}\n`);
        });
      }),
    );
}
