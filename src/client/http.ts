import type {
  EnqueuedMerge,
  MergeRequestInput,
  MergeView,
  ResolvedContactView,
  UndoResultView,
} from './types.js';

export interface HttpClientOptions {
  /** Where `dedupe serve` listens, e.g. `http://dedupe:8080`. */
  baseUrl: string;
  /** DEDUPE_API_TOKEN of the server (omit only for a `--local-only` server started without one). */
  token?: string;
  /** Recorded on merges as who asked (`X-Requested-By`); default: the server's `api`. */
  requestedBy?: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

/** A non-2xx answer of the API: the HTTP status and the API's error code (BAD_REQUEST, UNDO_DEPENDENT...). */
export class DedupeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DedupeApiError';
  }
}

/** A typed client of the `dedupe serve` HTTP API. */
export class DedupeHttpClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: HttpClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
  }

  /** Queues a merge. `created` is false when the idempotency key matched an earlier request. */
  async enqueueMerge(req: MergeRequestInput): Promise<EnqueuedMerge> {
    return this.request<EnqueuedMerge>('POST', '/v1/merges', req);
  }

  async getMerge(id: number): Promise<MergeView> {
    return this.request<MergeView>('GET', `/v1/merges/${encodeId(id)}`);
  }

  /** Undoes a completed merge; DedupeApiError 409 UNDO_DEPENDENT while a later merge builds on it. */
  async undoMerge(id: number): Promise<UndoResultView> {
    return this.request<UndoResultView>('POST', `/v1/merges/${encodeId(id)}/undo`);
  }

  async resolveContact(id: number): Promise<ResolvedContactView> {
    return this.request<ResolvedContactView>('GET', `/v1/contacts/${encodeId(id)}/resolve`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (this.opts.requestedBy) headers['x-requested-by'] = this.opts.requestedBy;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const err = (parsed ?? {}) as { code?: unknown; message?: unknown };
      throw new DedupeApiError(
        res.status,
        typeof err.code === 'string' ? err.code : `HTTP_${res.status}`,
        typeof err.message === 'string' ? err.message : `${method} ${path}: HTTP ${res.status}`,
      );
    }
    return parsed as T;
  }
}

function encodeId(id: number): string {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`id must be a positive integer, got ${id}`);
  return String(id);
}
