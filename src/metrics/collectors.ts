import type { QueueName } from '../queues/names.js';
import type { RunStage } from './labels.js';

/** One queue's job counts and the age of its oldest waiting job, as BullMQ reports them. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** 0 when nothing waits. */
  oldestWaitingSeconds: number;
}

/** Queues left out keep their last values (0 until first reported). */
export type QueueCountsByQueue = Partial<Record<QueueName, QueueCounts>>;

/** The current run, if any. Progress ratios are done/total of each stage, between 0 and 1. */
export interface RunProgress {
  active: boolean;
  /** Stages left out report 0. */
  stages: Partial<Record<RunStage, number>>;
}

export interface CollectorOptions {
  /**
   * How long a scrape waits for the source (Redis, PostgreSQL) before serving the previous values.
   * Kept below the scrape timeout (4 s in prometheus/prometheus.yml) so a slow source never fails a scrape.
   */
  timeoutMs?: number;
  /** Told about each failed or timed-out refresh (e.g. to log it); the failure is also counted in a metric. */
  onError?: (err: unknown) => void;
}

export const DEFAULT_COLLECT_TIMEOUT_MS = 2000;

/**
 * A scrape-time refresh: loads the values and applies them. Several gauges call it on the same scrape
 * (prom-client collects all metrics concurrently), so a refresh already under way is shared rather than
 * repeated. A failure or timeout leaves the previous values in place and calls `onFailure`.
 */
export function scrapeRefresher<T>(
  load: () => Promise<T>,
  apply: (value: T) => void,
  onFailure: (err: unknown) => void,
  timeoutMs: number,
): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  const refresh = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`metrics source did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      apply(await Promise.race([load(), timeout]));
    } catch (err) {
      onFailure(err);
    } finally {
      clearTimeout(timer);
    }
  };
  return () => {
    inFlight ??= refresh().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/** A count or age as a gauge value: negative, NaN or infinite input becomes 0 rather than a misleading series. */
export function nonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** A progress ratio clamped to [0, 1]; NaN (0 of 0 done) becomes 0. */
export function ratio(value: number | undefined): number {
  if (value === undefined || Number.isNaN(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
