import type { Normalized } from '../normalize/index.js';
import type { CompiledProfile, PreparedRecord } from './compile.js';
import { fromNormalized } from './match.js';

/**
 * The stored form of a prepared record, between the indexer that writes it and the scoring tasks that
 * read it back (each record is read about as many times as it has blocking keys). Only what the
 * normalizers produced is kept, as JSON `[id, norm, extra, blocking key hashes]`; keys and comparator
 * values are derived again on load, which is much cheaper than storing, sending and parsing them: the
 * stored text is about half as long. The key hashes ride along because PostgreSQL prints a bigint
 * array far more slowly than it sends text, and the scorer needs them for every record it loads.
 */

export class PackedRecordError extends Error {
  readonly code = 'BAD_PACKED_RECORD';
}

export function packRecord(rec: PreparedRecord, keyHashes: readonly number[]): string {
  return JSON.stringify([rec.id, rec.norm, rec.extra, keyHashes]);
}

export function unpackRecord(compiled: CompiledProfile, text: string): PreparedRecord {
  return unpackStored(compiled, text).record;
}

/** The record and the hashes of its blocking keys. */
export function unpackStored(
  compiled: CompiledProfile,
  text: string,
): { record: PreparedRecord; keyHashes: number[] } {
  const parsed: unknown = JSON.parse(text);
  const fields = compiled.fields;
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    !Array.isArray(parsed[1]) ||
    parsed[1].length !== fields.length ||
    !Array.isArray(parsed[2]) ||
    !Array.isArray(parsed[3])
  ) {
    throw new PackedRecordError(`stored record does not match the profile's ${fields.length} fields`);
  }
  return {
    record: fromNormalized(
      compiled,
      parsed[0] as number | null,
      parsed[1] as (Normalized | null)[],
      parsed[2] as (string | null)[],
    ),
    keyHashes: parsed[3] as number[],
  };
}
