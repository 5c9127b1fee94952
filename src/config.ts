import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * The one configuration module. Every setting comes from the environment (or an optional
 * JSON/YAML config file named by DEDUPE_CONFIG_FILE, which the environment overrides), is
 * validated here at start-up and frozen. `SETTINGS` is also the source of the README's
 * configuration table (`dedupe config --markdown`).
 */

// Digits only: z.coerce.number() alone reads ' ' as 0 (a random port) and '1e3' as 1000.
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const url = (protocols: string[]) =>
  z
    .string()
    .url()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
      message: `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });

interface Setting {
  schema: z.ZodType;
  default?: string;
  secret?: boolean;
  description: string;
}

export const SETTINGS = {
  DEDUPE_CONFIG_FILE: {
    schema: z.string().min(1).optional(),
    description: 'Optional JSON or YAML file of `SETTING: value` pairs; the environment overrides it.',
  },
  DATABASE_URL: {
    schema: url(['postgres', 'postgresql']).optional(),
    secret: true,
    description:
      'PostgreSQL connection string. Unset: the private PostgreSQL of `dedupe services up` (started on demand).',
  },
  REDIS_URL: {
    schema: url(['redis', 'rediss']).optional(),
    secret: true,
    description: 'Redis connection string for the queues. Unset: the private Redis of `dedupe services up`.',
  },
  DEDUPE_STATE_DIR: {
    schema: z.string().min(1),
    default: '.dedupe',
    description: 'Directory for local state: the private PostgreSQL and Redis data, their logs and ports.',
  },
  DEDUPE_QUEUE_PREFIX: {
    schema: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'letters, digits, _ and - only (1-64)'),
    default: 'dedupe',
    description: 'BullMQ key prefix in Redis; separate deployments sharing one Redis use different prefixes.',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: 'info',
    description: 'pino log level.',
  },
  DEDUPE_PG_POOL_SIZE: {
    schema: int(1, 200),
    default: '10',
    description: 'Maximum PostgreSQL connections per process.',
  },
  DEDUPE_CONNECT_TIMEOUT_MS: {
    schema: int(100, 600_000),
    default: '5000',
    description: 'How long to wait for PostgreSQL or Redis to answer before failing with a message.',
  },
  DEDUPE_LOCK_TIMEOUT_MS: {
    schema: int(10, 600_000),
    default: '5000',
    description: '`SET LOCAL lock_timeout` of every merge transaction; on timeout the chunk is retried.',
  },
  DEDUPE_STATEMENT_TIMEOUT_MS: {
    schema: int(100, 3_600_000),
    default: '60000',
    description: '`SET LOCAL statement_timeout` of every merge transaction.',
  },
  DEDUPE_WORKER_CONCURRENCY: {
    schema: int(1, 256),
    default: '1',
    description:
      'Jobs a `dedupe worker` process runs at once per queue (`--concurrency` overrides). Scale CPU-bound stages with more processes, not more jobs per process: at 1M contacts on 2 cores, 2 jobs per process made indexing and scoring 20-30% slower.',
  },
  DEDUPE_SCORE_PAIRS_PER_TASK: {
    schema: int(100, 100_000_000),
    default: '150000',
    description:
      "Candidate pairs per scoring job (a job scores a range of buckets). Larger jobs load fewer records twice; a worker holds one job's records in memory.",
  },
  DEDUPE_MERGE_CHUNK_ROWS: {
    schema: int(1, 1_000_000),
    default: '5000',
    description: 'Rows re-pointed per merge transaction (one chunk).',
  },
  DEDUPE_JOB_LOCK_MS: {
    schema: int(1000, 3_600_000),
    default: '30000',
    description:
      'BullMQ job lock: a job whose worker died (SIGKILL, lost machine) is handed to another worker after about this long. Locks of live jobs are renewed.',
  },
  DEDUPE_MERGE_SAFETY_RULES: {
    schema: z
      .string()
      .regex(
        /^((different_owners|open_opportunities_on_both)(,(different_owners|open_opportunities_on_both))*)?$/,
        'a comma list of: different_owners, open_opportunities_on_both',
      ),
    default: '',
    description:
      'Rules that send a sure cluster of a run to review instead of merging it: `different_owners` (members owned by different users), `open_opportunities_on_both` (two members with open opportunities). Empty: none.',
  },
  DEDUPE_MERGE_EXTRA_TARGETS: {
    schema: z
      .string()
      .regex(
        /^([a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*(,[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*)*)?$/,
        'a comma list of table.column',
      ),
    default: '',
    description:
      'Columns that hold contact ids without a foreign key (`table.column,...`): re-pointed by merges like the foreign keys found in the catalog.',
  },
  DEDUPE_MERGE_UNIQUE_POLICIES: {
    schema: z
      .string()
      .regex(
        /^([a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?=(keep_survivor|keep_loser)(,[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?=(keep_survivor|keep_loser))*)?$/,
        'a comma list of table=keep_survivor|keep_loser (or table.column=... for a table with two contact columns)',
      ),
    default: '',
    description:
      "What a merge does with a loser row that would break a unique key on the survivor, per table (`table=keep_loser,...`): `keep_survivor` (the default) keeps the survivor's row and sets the loser's aside in the journal; `keep_loser` sets the survivor's row aside and moves the loser's. A worker taking merge jobs refuses to start when a name is not a table that merges re-point.",
  },
  DEDUPE_API_TOKEN: {
    schema: z
      .string()
      .min(16, 'must be at least 16 characters')
      // A Bearer header carries one token without spaces: a token with them could never match.
      .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII characters without spaces')
      .optional(),
    secret: true,
    description:
      'Bearer token required by `dedupe serve`. Without it the server only starts with `--local-only`.',
  },
  DEDUPE_API_PORT: { schema: int(0, 65535), default: '8080', description: 'Port of `dedupe serve`.' },
  DEDUPE_METRICS_PORT: {
    schema: int(0, 65535),
    default: '9464',
    description: 'Port of the /metrics endpoint of `dedupe worker` (0 picks a free port).',
  },
  PG_BIN_DIR: {
    schema: z.string().min(1).optional(),
    description:
      'Where initdb and postgres live for local services. Unset: the newest /usr/lib/postgresql/*/bin.',
  },
  REDIS_SERVER_BIN: {
    schema: z.string().min(1),
    default: 'redis-server',
    description: 'redis-server executable for local services.',
  },
} satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
export type Config = {
  readonly [K in keyof Settings]: Settings[K] extends { default: string }
    ? Exclude<z.infer<Settings[K]['schema']>, undefined>
    : z.infer<Settings[K]['schema']>;
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`DEDUPE_CONFIG_FILE: cannot read ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new ConfigError(`DEDUPE_CONFIG_FILE: ${path} is not valid JSON/YAML: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`DEDUPE_CONFIG_FILE: ${path} must hold an object of SETTING: value`);
  }
  const unknown = Object.keys(parsed).filter((k) => !(k in SETTINGS));
  if (unknown.length > 0)
    throw new ConfigError(`DEDUPE_CONFIG_FILE: unknown setting(s) ${unknown.join(', ')}`);
  return parsed as Record<string, unknown>;
}

/** Validates the environment (and config file) and returns a frozen Config, or throws a ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const file = env.DEDUPE_CONFIG_FILE ? readConfigFile(env.DEDUPE_CONFIG_FILE) : {};
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting][]) {
    const raw = env[name] !== undefined && env[name] !== '' ? env[name] : (file[name] ?? setting.default);
    const result = setting.schema.safeParse(raw === undefined ? undefined : String(raw));
    if (result.success) out[name] = result.data;
    else {
      const shown = setting.secret ? '(hidden)' : JSON.stringify(raw);
      problems.push(`${name}=${shown}: ${result.error.issues.map((i) => i.message).join('; ')}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  out.DEDUPE_STATE_DIR = resolve(out.DEDUPE_STATE_DIR as string);
  return Object.freeze(out) as Config;
}

/** The config with every secret replaced, safe to print or log. */
export function redactedConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting][]) {
    const value = config[name as keyof Config];
    out[name] = setting.secret && value !== undefined ? redactUrl(String(value)) : value;
  }
  return out;
}

function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (!u.password && !u.username) return value.includes('://') ? value : '***';
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    return '***';
  }
}

/** The configuration table of the README, generated from SETTINGS. */
export function settingsMarkdown(): string {
  const rows = (Object.entries(SETTINGS) as [string, Setting][]).map(
    ([name, s]) =>
      `| \`${name}\` | ${s.default === undefined ? '—' : `\`${s.default}\``} | ${s.description} |`,
  );
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
