import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  bearerToken,
  isLoopbackHost,
  readCookie,
  SESSION_COOKIE,
  sameOriginOrNone,
  secretMatches,
  sessionValid,
} from './auth.js';
import { isQueueUiRequest, refuseUiWrite, UI_UNAUTHORIZED_PAGE } from './queue-ui.js';

function unauthorized(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  void reply.status(401).header('www-authenticate', 'Bearer realm="dedupe"');
  if (isQueueUiRequest(req) && (req.headers.accept ?? '').includes('text/html')) {
    return reply.type('text/html; charset=utf-8').send(UI_UNAUTHORIZED_PAGE);
  }
  return reply.send({ code: 'UNAUTHORIZED', message: 'a valid bearer token is required' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who may pass, decided on the matched route (not on the raw URL): public routes for everyone, the
 * queue UI with the bearer token or a session cookie, everything else (unknown paths included)
 * with the bearer token only, so that no cookie can be ridden into the API by another site.
 * Before that, unsafe requests from another site's page are refused (their Origin is not this host),
 * and a tokenless server answers loopback Host names only.
 */
export function authHook(token: string | undefined, queueUiWrite: boolean) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!SAFE_METHODS.has(req.method) && !sameOriginOrNone(req.headers.origin, req.headers.host)) {
      return reply.status(403).send({ code: 'CROSS_ORIGIN', message: 'cross-site requests are refused' });
    }
    if (token === undefined && !isLoopbackHost(req.headers.host)) {
      return reply.status(403).send({
        code: 'HOST_NOT_ALLOWED',
        message: 'a server without token answers localhost / 127.0.0.1 only',
      });
    }
    if (req.routeOptions.config.public) return;
    if (token !== undefined) {
      const bearer = bearerToken(req.headers.authorization);
      const byBearer = bearer !== undefined && secretMatches(bearer, token);
      const byCookie =
        !byBearer &&
        isQueueUiRequest(req) &&
        sessionValid(readCookie(req.headers.cookie, SESSION_COOKIE), token, Date.now() / 1000);
      if (!byBearer && !byCookie) return unauthorized(req, reply);
    }
    if (refuseUiWrite(req, reply, queueUiWrite)) return reply;
  };
}
