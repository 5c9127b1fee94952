import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ALL_QUEUES } from '../queues/names.js';
import type { QueueSet } from '../queues/queues.js';
import { createSession, SESSION_TTL_SECONDS, secretMatches, sessionCookie } from './auth.js';
import { LoginBody } from './schemas.js';

export const QUEUE_UI_PATH = '/admin/queues';
export const LOGIN_PATH = '/admin/login';
const COOKIE_PATH = '/admin';

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
  `<meta name="viewport" content="width=device-width"></head>` +
  `<body style="font-family:sans-serif;max-width:32em;margin:4em auto">${body}</body></html>`;

const LOGIN_FORM = page(
  'dedupe queues: sign in',
  `<h1>dedupe queues</h1><form method="post" action="${LOGIN_PATH}">` +
    `<label>API token <input type="password" name="token" autocomplete="current-password" autofocus required></label> ` +
    `<button type="submit">Sign in</button></form>`,
);

/** The 401 page of the queue UI for a browser: where to sign in. */
export const UI_UNAUTHORIZED_PAGE = page(
  'dedupe queues: sign in required',
  `<p>Sign in with the API token: <a href="${LOGIN_PATH}">${LOGIN_PATH}</a></p>`,
);

const nowSeconds = () => Date.now() / 1000;

/**
 * Sign-in for the queue UI. A browser cannot add a bearer header to a navigation, so the token is
 * posted once from a form (never put in a URL, where logs and history would keep it) and exchanged
 * for an HttpOnly, SameSite=Strict session cookie scoped to /admin (see auth.ts).
 */
function registerLogin(app: FastifyInstance, token: string | undefined): void {
  void app.register(async (scope) => {
    // Forms are accepted here only; the API itself takes JSON.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    scope.get(LOGIN_PATH, { config: { public: true } }, async (_req, reply) => {
      if (!token) return reply.redirect(`${QUEUE_UI_PATH}/`, 303);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(LOGIN_FORM);
    });

    scope.post(LOGIN_PATH, { config: { public: true } }, async (req, reply) => {
      if (!token) return reply.redirect(`${QUEUE_UI_PATH}/`, 303);
      const parsed = LoginBody.safeParse(req.body);
      if (!parsed.success || !secretMatches(parsed.data.token, token)) {
        return reply
          .status(401)
          .type('text/html; charset=utf-8')
          .send(page('dedupe queues', '<p>Wrong token.</p>'));
      }
      const cookie = sessionCookie(createSession(token, nowSeconds()), {
        path: COOKIE_PATH,
        maxAgeSeconds: SESSION_TTL_SECONDS,
        secure: req.protocol === 'https',
      });
      return reply.header('set-cookie', cookie).redirect(`${QUEUE_UI_PATH}/`, 303);
    });

    scope.post('/admin/logout', { config: { public: true } }, async (_req, reply) => {
      const cleared = sessionCookie('', { path: COOKIE_PATH, maxAgeSeconds: 0, secure: false });
      return reply.header('set-cookie', cleared).redirect(LOGIN_PATH, 303);
    });
  });
}

/** True for a request to the queue UI (its page, assets and API). */
export function isQueueUiRequest(req: FastifyRequest): boolean {
  const route = req.routeOptions.url;
  return route === QUEUE_UI_PATH || (route?.startsWith(`${QUEUE_UI_PATH}/`) ?? false);
}

/** In read-only mode, anything but GET/HEAD on the UI (retry, clean, pause, add...) is refused here. */
export function refuseUiWrite(req: FastifyRequest, reply: FastifyReply, writable: boolean): boolean {
  if (writable || req.method === 'GET' || req.method === 'HEAD' || !isQueueUiRequest(req)) return false;
  void reply.status(405).send({
    code: 'QUEUE_UI_READ_ONLY',
    message: 'the queue UI is read-only; start `dedupe serve --queue-ui-write` to allow retries and cleaning',
  });
  return true;
}

/**
 * Mounts bull-board at /admin/queues for every queue of the deployment. Read-only by default: the
 * adapters hide and refuse the write actions, and refuseUiWrite stops them before bull-board.
 */
export async function registerQueueUi(
  app: FastifyInstance,
  opts: { queues: QueueSet; token: string | undefined; writable: boolean },
): Promise<void> {
  registerLogin(app, opts.token);
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_UI_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map(
      (name) => new BullMQAdapter(opts.queues.queue(name), { readOnlyMode: !opts.writable }),
    ),
    // @bull-board/fastify 9.10.1 declares its adapter against its own nested copy of
    // @bull-board/api 9.10.1, whose BaseAdapter type is distinct from 9.10.2's (private fields);
    // the adapter only calls the setters both versions share.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: `dedupe (${opts.queues.prefix})` } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_UI_PATH });
}
