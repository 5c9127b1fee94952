import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';

/** The body of every error answer: a stable machine-readable code and a message for people. */
export interface ErrorBody {
  code: string;
  message: string;
}

/** An error the API answers with as is. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * HTTP status of each error code of the merge engine (src/core/merge/errors.ts) and the domain.
 * Bad input is 400, a missing thing 404, a request at odds with the current state of the data 409,
 * and transient trouble (locks, timeouts, database) 503: the client may try again later.
 */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_REQUEST: 400,
  MERGE_SELF: 400,
  CONTACT_NOT_FOUND: 404,
  MERGE_NOT_FOUND: 404,
  MERGE_CYCLE: 409,
  IDEMPOTENCY_CONFLICT: 409,
  UNDO_DEPENDENT: 409,
  UNDO_NOT_APPLICABLE: 409,
  MERGE_IN_PROGRESS: 409,
  UNSUPPORTED_TABLE: 500,
  LOCK_TIMEOUT: 503,
  STATEMENT_TIMEOUT: 503,
  CONCURRENT_CHANGE: 503,
  DATABASE_UNAVAILABLE: 503,
  REDIS_UNAVAILABLE: 503,
};

export function statusOfCode(code: string): number {
  return STATUS_OF_CODE[code] ?? 500;
}

/** "field.path: message; ..." for the issues of a zod parse, naming every bad field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Parses `value` with `schema`, or throws a 400 ApiError naming the bad fields of `what`. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ApiError(400, 'BAD_REQUEST', `invalid ${what}: ${describeIssues(result.error.issues)}`);
}

function hasCode(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

/**
 * The one error handler: ApiErrors and coded domain/merge errors answer with their code; fastify's
 * own client errors (bad JSON, body too large...) keep their 4xx status; anything else is a 500 whose
 * details go to the log only.
 */
export function errorHandler(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  let status: number;
  let body: ErrorBody;
  if (err instanceof ApiError) {
    status = err.statusCode;
    body = { code: err.code, message: err.message };
  } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
    status = err.statusCode;
    body = { code: status === 400 ? 'BAD_REQUEST' : (err as FastifyError).code, message: err.message };
  } else if (hasCode(err) && !err.code.startsWith('FST_') && !/^[0-9A-Z]{5}$/.test(err.code)) {
    // Coded domain errors (MergeError, DomainError...), not PostgreSQL SQLSTATEs or fastify internals.
    status = statusOfCode(err.code);
    const known = err.code in STATUS_OF_CODE;
    body = { code: known ? err.code : 'INTERNAL_ERROR', message: known ? err.message : 'internal error' };
  } else {
    status = 500;
    body = { code: 'INTERNAL_ERROR', message: 'internal error' };
  }
  if (status >= 500) request.log.error({ err }, 'request failed');
  void reply.status(status).send(body);
}
