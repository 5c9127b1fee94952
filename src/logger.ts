import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * pino JSON logs on stderr (stdout is kept for command output such as `--json`). Contact names,
 * emails and phones are redacted wherever they appear under these keys, at any depth we log.
 */
const PERSONAL_KEYS = ['first_name', 'last_name', 'name', 'email', 'phone', 'company', 'postcode', 'city'];
const REDACT_PATHS = [
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((k) => `*.${k}`),
  ...PERSONAL_KEYS.map((k) => `*.*.${k}`),
  'contact',
  'contacts',
  '*.contact',
  '*.contacts',
  'DATABASE_URL',
  'REDIS_URL',
  'DEDUPE_API_TOKEN',
  'req.headers.authorization',
  // A PostgreSQL error's detail quotes the row's values ("Key (email)=(ann@x.com) already exists").
  'err.detail',
  '*.err.detail',
];

export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  /** Where the lines go (tests); standard error by default. */
  destination: DestinationStream = pino.destination({ fd: 2, sync: false }),
): Logger {
  return pino(
    { level, base: { pid: process.pid, ...bindings }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}

export type { Logger };
