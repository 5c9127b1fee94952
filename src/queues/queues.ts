import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisConnection } from './connection.js';
import { ALL_QUEUES, type QueueName } from './names.js';

/** Default job options: retries with backoff for transient failures; history kept bounded. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
} as const;

export interface QueueSet {
  prefix: string;
  connection: Redis;
  queue(name: QueueName): Queue;
  flow: FlowProducer;
  close(): Promise<void>;
}

/** The queues of one deployment (one prefix), sharing one Redis connection. */
export function openQueues(redisUrl: string, prefix: string, connectTimeoutMs = 5000): QueueSet {
  const connection = redisConnection(redisUrl, { connectTimeoutMs });
  connection.on('error', () => {});
  const queues = new Map<QueueName, Queue>();
  const flow = new FlowProducer({ connection, prefix });
  return {
    prefix,
    connection,
    flow,
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
        queues.set(name, q);
      }
      return q;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await flow.close();
      connection.disconnect();
    },
  };
}

export { ALL_QUEUES };
