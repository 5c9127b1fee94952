import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { blockingKeys } from '../../src/core/blocking.js';
import {
  type ContactInput,
  compareRecords,
  levelCounts,
  parseProfile,
  prepareRecord,
} from '../../src/core/profile/index.js';

/**
 * The dataset profiles against the labelled datasets in ../shared/datasets, loaded the way the lead
 * loads them (contact columns where they exist, everything else into attributes under its header).
 * Checks what this layer owns: blocking must put (nearly) every true pair in a shared bucket while
 * producing few candidates, and true pairs must compare far better than non-pairs.
 */
const DIR = new URL('../../../shared/datasets/', import.meta.url);
const CONTACT_COLUMNS = new Set(['first_name', 'last_name', 'email', 'phone', 'city', 'postcode', 'company']);
const RENAME: Record<string, string> = {
  given_name: 'first_name',
  surname: 'last_name',
  phone_number: 'phone',
};

interface Row {
  contact: ContactInput;
  truth: string;
}

function load(file: string): Row[] {
  const records: Record<string, string>[] = parse(readFileSync(new URL(file, DIR), 'utf8'), {
    columns: (header: string[]) => header.map((h) => h.trim()),
    trim: true,
    skip_empty_lines: true,
  });
  return records.map((r, i) => {
    const attributes: Record<string, string> = {};
    const contact: ContactInput = { id: i + 1, attributes };
    // Ground truth only; never shown to the matcher.
    const truth =
      r.rec_id?.replace(/-(org|dup-\d+)$/, '') ?? r.cluster ?? (r.original_record_id || r.record_id)!;
    for (const [header, value] of Object.entries(r)) {
      if (
        ['rec_id', 'cluster', 'original_record_id', 'record_id', 'unique_id'].includes(header) ||
        value === ''
      )
        continue;
      const column = RENAME[header] ?? header;
      if (CONTACT_COLUMNS.has(column)) contact[column] = value;
      else attributes[header] = value;
    }
    return { contact, truth };
  });
}

const CASES = [
  { file: 'febrl_dataset1.csv', profile: 'febrl', minRecall: 0.995 },
  { file: 'febrl_dataset2.csv', profile: 'febrl', minRecall: 0.995 },
  { file: 'dava_patients_with_duplicates.csv', profile: 'dava', minRecall: 0.995 },
  { file: 'splink_fake_1000.csv', profile: 'splink_fake_1000', minRecall: 0.9 },
];

describe.skipIf(!existsSync(DIR))('dataset profiles', () => {
  test.each(CASES)('$file with profiles/$profile.json', ({ file, profile: name, minRecall }) => {
    const profile = parseProfile(
      JSON.parse(readFileSync(new URL(`../../profiles/${name}.json`, import.meta.url), 'utf8')),
    );
    const rows = load(file);
    const n = rows.length;
    const prepared = rows.map((r) => prepareRecord(profile, r.contact));
    const buckets = new Map<bigint, number[]>();
    prepared.forEach((p, i) => {
      for (const { hash } of blockingKeys(profile, p)) {
        const b = buckets.get(hash);
        if (b) b.push(i);
        else buckets.set(hash, [i]);
      }
    });
    const candidates = new Set<number>();
    for (const b of buckets.values()) {
      expect(b.length).toBeLessThanOrEqual(profile.blocking.maxBucketSize);
      for (let x = 0; x < b.length; x++)
        for (let y = x + 1; y < b.length; y++) candidates.add(b[x]! * n + b[y]!);
    }
    const byTruth = new Map<string, number[]>();
    rows.forEach((r, i) => {
      byTruth.set(r.truth, [...(byTruth.get(r.truth) ?? []), i]);
    });
    let truePairs = 0;
    let covered = 0;
    for (const members of byTruth.values()) {
      for (let x = 0; x < members.length; x++) {
        for (let y = x + 1; y < members.length; y++) {
          truePairs++;
          if (candidates.has(members[x]! * n + members[y]!)) covered++;
        }
      }
    }
    const recall = covered / truePairs;
    const reduction = 1 - candidates.size / ((n * (n - 1)) / 2);
    // Agreement strength: sum of level / k over the fields, true pairs vs other candidates.
    const k = levelCounts(profile).map((c) => c - 2);
    const strength = (i: number, j: number) =>
      [...compareRecords(profile, prepared[i]!, prepared[j]!)].reduce(
        (s, l, f) => s + (l > 0 ? l / k[f]! : 0),
        0,
      );
    let trueSum = 0;
    let falseSum = 0;
    let falseCount = 0;
    for (const c of candidates) {
      const i = Math.floor(c / n);
      const j = c % n;
      if (rows[i]!.truth === rows[j]!.truth) trueSum += strength(i, j);
      else {
        falseSum += strength(i, j);
        falseCount++;
      }
    }
    console.log(
      `${file}: ${truePairs} true pairs, ${candidates.size} candidates, blocking recall ${recall.toFixed(4)}, reduction ${reduction.toFixed(5)}`,
    );
    expect(recall).toBeGreaterThanOrEqual(minRecall);
    expect(reduction).toBeGreaterThan(0.98);
    expect(trueSum / covered).toBeGreaterThan(2 * (falseSum / Math.max(1, falseCount)));
  });
});
