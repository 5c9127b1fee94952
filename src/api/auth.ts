import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Token checks of `dedupe serve`. The API takes `Authorization: Bearer <token>`; the queue UI, which
 * a browser navigates to (no way to add a header), also takes a session cookie set by
 * `POST /admin/login`. The cookie holds an expiry and an HMAC keyed by the token, never the token
 * itself: a leaked cookie opens the queue UI until it expires, not the API, and rotating the token
 * invalidates every cookie.
 */

export const SESSION_COOKIE = 'dedupe_queue_ui';
/** How long a queue-UI session lasts (seconds). */
export const SESSION_TTL_SECONDS = 12 * 3600;
const SESSION_CONTEXT = 'dedupe-queue-ui-session:v1';

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Constant-time comparison of a presented secret with the expected one: both are hashed first, so
 * the buffers compared always have the same length and the time taken says nothing about either.
 */
export function secretMatches(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}

function sessionMac(token: string, expiresAt: number): string {
  return createHmac('sha256', token).update(`${SESSION_CONTEXT}:${expiresAt}`).digest('base64url');
}

/** A session value `<expiry seconds>.<mac>` valid until `nowSeconds + ttl`. */
export function createSession(token: string, nowSeconds: number, ttl = SESSION_TTL_SECONDS): string {
  const expiresAt = Math.floor(nowSeconds) + ttl;
  return `${expiresAt}.${sessionMac(token, expiresAt)}`;
}

/** True when `value` was made by createSession with this token and has not expired. */
export function sessionValid(value: string | undefined, token: string, nowSeconds: number): boolean {
  if (!value) return false;
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{1,100})$/.exec(value);
  if (!match) return false;
  const expiresAt = Number(match[1]);
  // Compare the MAC before looking at the expiry, so both paths cost the same.
  const macOk = secretMatches(match[2]!, sessionMac(token, expiresAt));
  return macOk && expiresAt > nowSeconds;
}

/** One cookie's value from a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
}

/** A `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Strict (no cross-site request sends it). */
export function sessionCookie(value: string, opts: CookieOptions): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    `Path=${opts.path}`,
    `Max-Age=${opts.maxAgeSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}

/**
 * False when a browser sent this request from another site: the `Origin` of an unsafe request must
 * name the host it was sent to. Non-browser clients send no Origin and pass. Against cross-site
 * requests to the queue UI's cookie and to a tokenless local-only server.
 */
export function sameOriginOrNone(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return host !== undefined && new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

/**
 * True when the Host header names the loopback interface. A tokenless local-only server answers
 * only those, so that a web page cannot reach it through DNS rebinding (its name resolving to 127.0.0.1).
 */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host);
}
