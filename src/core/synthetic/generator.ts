import { emitRelated, type Inheritance, type SharedEvent, sharedEvents } from './activities.js';
import { applyCorruptions, canBeDuplicated, chooseCorruptions } from './corruptions.js';
import { hardNegative } from './hard-negatives.js';
import { jitterDays, newPerson, type Person, randomOwner, toContact, updatedAfter } from './person.js';
import { WeightedChoice } from './random.js';
import { MinHeap, Ring } from './schedule.js';
import { SYNTHETIC_DEFAULTS, type SyntheticBatch, type SyntheticOptions } from './types.js';
import { createWorld, type World } from './world.js';

/**
 * The streaming generator. Contacts are emitted slot by slot with contiguous ids; each slot is a due
 * duplicate, a look-alike of a recent contact (hard negative), or a new person. A new person may be
 * given 1-3 duplicates, scheduled at random later slots (a few right after, most far down the
 * stream, as a CRM collects them over time). Only pending duplicates and a ring of recent people are
 * kept, so memory does not grow with the number of contacts.
 */

/** Share of non-duplicate slots that are hard negatives (≈3% of all contacts). */
const HARD_NEGATIVE_RATE = 0.035;
const CLUSTER_EXTRA = new WeightedChoice<number>([
  [1, 80],
  [2, 15],
  [3, 5],
]);
const MEAN_CLUSTER_EXTRA = 1.25;
const ANCHORS = 4096;
const DAY = 86_400_000;

interface Pending {
  due: number;
  seq: number;
  entityId: number;
  original: Person;
  createdAt: number;
  shared: SharedEvent[];
  inherit: Inheritance;
}

export function generateCrm(opts: SyntheticOptions): Generator<SyntheticBatch> {
  validate(opts);
  return run(opts);
}

function validate(o: SyntheticOptions): void {
  const int = (v: number, min: number, name: string) => {
    if (!Number.isInteger(v) || v < min)
      throw new RangeError(`${name} must be an integer >= ${min}, got ${v}`);
  };
  int(o.contacts, 0, 'contacts');
  int(o.firstContactId, 1, 'firstContactId');
  int(o.users, 0, 'users');
  int(o.lists, 0, 'lists');
  if (o.batchSize !== undefined) int(o.batchSize, 1, 'batchSize');
  if (!(o.duplicateRate >= 0 && o.duplicateRate <= 0.5)) {
    throw new RangeError(`duplicateRate must be between 0 and 0.5, got ${o.duplicateRate}`);
  }
  if (!(o.activitiesPerContact >= 0 && Number.isFinite(o.activitiesPerContact))) {
    throw new RangeError(`activitiesPerContact must be a finite number >= 0, got ${o.activitiesPerContact}`);
  }
  if (!Number.isFinite(o.seed)) throw new RangeError(`seed must be a finite number, got ${o.seed}`);
}

function emptyBatch(): SyntheticBatch {
  return {
    contacts: [],
    truth: [],
    activities: [],
    notes: [],
    opportunities: [],
    tickets: [],
    owners: [],
    memberships: [],
  };
}

function* run(opts: SyntheticOptions): Generator<SyntheticBatch> {
  const n = opts.contacts;
  const batchSize = opts.batchSize ?? SYNTHETIC_DEFAULTS.batchSize;
  const world = createWorld({ seed: opts.seed, users: opts.users, lists: opts.lists, contacts: n });
  const { rng } = world;
  const mean = opts.activitiesPerContact;
  // Chance that a new person gets duplicates, so that duplicates make up duplicateRate of all rows:
  // dups = originals × q × mean extra, originals = (1 - rate)(1 - hard negatives) × n.
  const r = opts.duplicateRate;
  const q = r === 0 ? 0 : Math.min(1, r / ((1 - r) * (1 - HARD_NEGATIVE_RATE) * MEAN_CLUSTER_EXTRA * 0.985));
  const window = Math.max(50, Math.min(200_000, Math.floor(n / 2)));
  const span = world.now - world.start - 30 * DAY;
  const timeAt = (slot: number) => world.start + Math.floor((span * slot) / Math.max(1, n));
  const createdAround = (slot: number) => Math.min(world.now - 2 * DAY, timeAt(slot) + jitterDays(rng, 20));

  const pending = new MinHeap<Pending>((a, b) => a.due < b.due || (a.due === b.due && a.seq < b.seq));
  const anchors = new Ring<Person>(ANCHORS);
  let seq = 0;
  let batch = emptyBatch();

  for (let slot = 0; slot < n; slot++) {
    const id = opts.firstContactId + slot;
    const remaining = n - slot;
    const top = pending.peek();
    if (top !== undefined && (top.due <= slot || pending.size >= remaining)) {
      pending.pop();
      emitDuplicate(world, batch, id, top, mean);
    } else {
      const hard =
        anchors.size > 0 && rng.chance(HARD_NEGATIVE_RATE)
          ? hardNegative(world, anchors.at(rng.int(anchors.size)), createdAround(slot))
          : null;
      if (hard) {
        const [person, kind] = hard;
        batch.contacts.push(toContact(id, person));
        batch.truth.push({ contact_id: id, entity_id: id, variant: `hard_negative:${kind}` });
        emitRelated(world, batch, id, person, mean, [], null);
      } else {
        const person = newPerson(world, createdAround(slot));
        anchors.push(person);
        // Room left for duplicates: every pending one must still fit before the end.
        const room = remaining - 1 - pending.size;
        const extra =
          q > 0 && room > 0 && canBeDuplicated(person) && rng.chance(q) ? CLUSTER_EXTRA.sample(rng) : 0;
        const plans = planDuplicates(slot, person, Math.min(extra, room));
        const shared =
          plans.length > 0 ? sharedEvents(world, Math.max(...plans.map((p) => p.createdAt))) : [];
        batch.contacts.push(toContact(id, person));
        batch.truth.push({ contact_id: id, entity_id: id, variant: 'original' });
        const inherit = { shared, ...emitRelated(world, batch, id, person, mean, shared, null) };
        for (const plan of plans) {
          pending.push({
            ...plan,
            seq: seq++,
            entityId: id,
            original: person,
            shared: pickShared(shared),
            inherit,
          });
        }
      }
    }
    if (batch.contacts.length >= batchSize) {
      yield batch;
      batch = emptyBatch();
    }
  }
  if (batch.contacts.length > 0) yield batch;

  /** When the duplicates of a person arrive, and when they were created in the CRM. */
  function planDuplicates(slot: number, person: Person, count: number): { due: number; createdAt: number }[] {
    const out: { due: number; createdAt: number }[] = [];
    for (let i = 0; i < count; i++) {
      // A fifth arrive within a few rows (same import), the rest spread far down the stream.
      const u = rng.float();
      const delay = rng.chance(0.2) ? rng.range(1, 30) : 1 + Math.floor(window * u * u);
      const due = slot + delay;
      const createdAt = Math.max(person.createdAt + 3_600_000, createdAround(Math.min(due, n - 1)));
      out.push({ due, createdAt: Math.min(createdAt, world.now - DAY) });
    }
    return out;
  }

  /** Each duplicate gets the first shared event and each further one with some chance. */
  function pickShared(shared: SharedEvent[]): SharedEvent[] {
    return shared.filter((_, i) => i === 0 || rng.chance(0.6));
  }
}

function emitDuplicate(world: World, batch: SyntheticBatch, id: number, p: Pending, mean: number): void {
  const { rng } = world;
  const o = p.original;
  const attributes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o.fields.attributes)) {
    if (rng.chance(k === 'date_of_birth' ? 0.8 : 0.6)) attributes[k] = v;
  }
  const dup: Person = {
    ...o,
    fields: { ...o.fields, attributes },
    // Often the same owner: the merge then meets a (contact, user) key on both sides.
    ownerId: rng.chance(0.6) ? o.ownerId : randomOwner(world),
    createdAt: p.createdAt,
    updatedAt: updatedAfter(world, p.createdAt),
  };
  const kinds = chooseCorruptions(rng, dup);
  applyCorruptions(world, dup, kinds);
  batch.contacts.push(toContact(id, dup));
  batch.truth.push({ contact_id: id, entity_id: p.entityId, variant: kinds.join(',') });
  emitRelated(world, batch, id, dup, mean, p.shared, p.inherit);
}
