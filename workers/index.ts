import type { z } from 'zod';
import type { WorkerDefinition } from '../src/runtime/define-worker.js';
import clusterer from './clusterer.js';
import indexer from './indexer.js';
import merger from './merger.js';
import runs from './runs.js';
import scorer from './scorer.js';

/** Every worker kind; `dedupe worker --queues` picks among them. */
export const WORKER_DEFINITIONS = [
  runs,
  indexer,
  scorer,
  clusterer,
  merger,
] as unknown as WorkerDefinition<z.ZodType>[];
