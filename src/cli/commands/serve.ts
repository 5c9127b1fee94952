import type { Command } from 'commander';
import { buildApiServer } from '../../api/server.js';
import { loadConfig } from '../../config.js';
import { engineOptionsFromConfig } from '../../db/merge/index.js';
import { getMetrics } from '../../metrics/registry.js';
import { checkRedis } from '../../queues/connection.js';
import { openQueues } from '../../queues/queues.js';
import { action, onShutdown, openContext, parseIntOption, UserError } from '../context.js';

const LOOPBACK = '127.0.0.1';

interface ServeOptions {
  port?: number;
  host?: string;
  localOnly?: boolean;
  queueUiWrite?: boolean;
}

/** Where to bind, or a UserError: without a token the server only ever listens on loopback. */
export function bindAddress(opts: ServeOptions, token: string | undefined): string {
  if (opts.localOnly) {
    if (opts.host !== undefined && opts.host !== LOOPBACK) {
      throw new UserError(`--local-only binds ${LOOPBACK} only; drop --host ${opts.host}`);
    }
    return LOOPBACK;
  }
  if (!token) {
    throw new UserError(
      'refusing to start: DEDUPE_API_TOKEN is not set. Set it (at least 16 characters) so that clients ' +
        `must send "Authorization: Bearer <token>", or pass --local-only to serve on ${LOOPBACK} without authentication.`,
    );
  }
  return opts.host ?? '0.0.0.0';
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP API (queue, read, undo merges; resolve contacts) and the queue UI at /admin/queues')
    .option(
      '--port <port>',
      'port (default DEDUPE_API_PORT, 8080; 0 picks a free one)',
      parseIntOption('--port', 0, 65535),
    )
    .option('--host <address>', 'address to bind (default 0.0.0.0)')
    .option('--local-only', `bind ${LOOPBACK} only; the one way to start without DEDUPE_API_TOKEN`)
    .option('--queue-ui-write', 'let the queue UI retry, clean, pause and add jobs (default read-only)')
    .action(
      action(async (opts: ServeOptions) => {
        // Checked before connecting to anything: a misconfigured server must not come up at all.
        const token = loadConfig().DEDUPE_API_TOKEN;
        const host = bindAddress(opts, token);
        const ctx = await openContext({ name: 'serve' });
        const { config } = ctx;
        const queues = openQueues(ctx.redisUrl, config.DEDUPE_QUEUE_PREFIX, config.DEDUPE_CONNECT_TIMEOUT_MS);
        const port = opts.port ?? config.DEDUPE_API_PORT;
        let app: Awaited<ReturnType<typeof buildApiServer>> | undefined;
        try {
          await checkRedis(ctx.redisUrl, config.DEDUPE_CONNECT_TIMEOUT_MS);
          app = await buildApiServer(
            {
              db: ctx.db,
              pool: ctx.pool,
              queues,
              logger: ctx.logger,
              metrics: getMetrics(),
              engineOptions: engineOptionsFromConfig(config),
            },
            {
              token,
              queueUiWrite: opts.queueUiWrite ?? false,
              enqueueTimeoutMs: config.DEDUPE_CONNECT_TIMEOUT_MS,
            },
          );
          await app.listen({ port, host }).catch((err: Error) => {
            throw new UserError(`cannot listen on ${host}:${port}: ${err.message}`);
          });
        } catch (err) {
          // Open connections would keep the process alive after the error is printed.
          await app?.close();
          await queues.close();
          await ctx.close();
          throw err;
        }
        const server = app;
        const address = server.server.address();
        const bound = typeof address === 'object' && address ? address.port : port;
        const notes = [
          opts.localOnly ? `local only: bound to ${LOOPBACK}, not reachable from other machines` : undefined,
          token ? 'bearer token required' : 'NO authentication (no DEDUPE_API_TOKEN)',
          `queue UI at /admin/queues (${opts.queueUiWrite ? 'read-write' : 'read-only'})`,
        ].filter(Boolean);
        process.stderr.write(`dedupe serve: listening on http://${host}:${bound} (${notes.join('; ')})\n`);

        onShutdown(ctx.logger, 'shutting down: finishing requests in flight', async () => {
          // fastify stops accepting, waits for in-flight requests, then its onClose hooks run.
          await server.close();
          await queues.close();
          await ctx.close();
        });
      }),
    );
}
