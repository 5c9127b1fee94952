import type { Person } from './person.js';
import { type Rng, WeightedChoice } from './random.js';
import type {
  ActivityKind,
  SyntheticActivity,
  SyntheticBatch,
  SyntheticOpportunity,
  SyntheticTicket,
} from './types.js';
import type { World } from './world.js';

/**
 * Rows that hang off a contact: activities, notes, opportunities, tickets, owners and list
 * memberships. Duplicates of one person share some events (the same e-mail logged on both records,
 * the same call or meeting) and often the same owner or list, which is what makes merging them
 * interesting: activities to consolidate, unique keys that collide.
 */

/** One event recorded on every record of a person that existed when it happened. */
export interface SharedEvent {
  kind: ActivityKind;
  occurredAt: number;
  subject: string | null;
  body: string | null;
  messageId: string | null;
}

/** What a duplicate inherits from its original's related rows. */
export interface Inheritance {
  shared: SharedEvent[];
  owners: number[];
  lists: number[];
}

const KIND_CHOICE = new WeightedChoice<ActivityKind>([
  ['email', 40],
  ['call', 20],
  ['meeting', 10],
  ['note', 10],
  ['task', 10],
  ['form_submission', 10],
]);
const SHARED_KIND_CHOICE = new WeightedChoice<ActivityKind>([
  ['email', 60],
  ['call', 20],
  ['meeting', 20],
]);

const SUBJECTS: Record<ActivityKind, readonly string[]> = {
  email: [
    'Re: Proposal',
    'Follow-up',
    'Quote request',
    'Invoice',
    'Contract draft',
    'Intro',
    'Pricing',
    'Renewal',
  ],
  call: ['Intro call', 'Follow-up call', 'Support call', 'Discovery call', 'Voicemail'],
  meeting: ['Demo', 'Quarterly review', 'Onboarding', 'Lunch', 'Site visit', 'Kick-off'],
  note: [],
  task: ['Send contract', 'Call back', 'Prepare quote', 'Update records', 'Schedule demo'],
  form_submission: ['Contact us', 'Newsletter signup', 'Webinar registration', 'Whitepaper', 'Demo request'],
};
const BODIES: Record<ActivityKind, readonly string[]> = {
  email: ['Thanks, see attached.', 'Can we talk next week?', 'Please find the quote.', 'Looks good to us.'],
  call: ['Left a message.', 'Talked 10 min.', 'Wants a callback.', 'Interested.'],
  meeting: ['Went well.', 'Next steps agreed.', 'Needs approval.', 'Rescheduled once.'],
  note: ['Asked about pricing.', 'Prefers email.', 'Decision in Q3.', 'Budget approved.', 'Not now.'],
  task: ['Due Friday.', 'Done.', 'Waiting on legal.', 'High priority.'],
  form_submission: ['Submitted via website.', 'Consent given.', 'From campaign.'],
};
const NOTE_BODIES = [
  'Met at trade show.',
  'Key decision maker.',
  'Call before noon.',
  'Moved teams.',
  'VIP customer.',
];
const PRODUCTS = ['Annual license', 'Renewal', 'Upgrade', 'Consulting package', 'Pilot', 'Support plan'];
const TICKET_SUBJECTS = [
  'Login issue',
  'Invoice question',
  'Export fails',
  'Password reset',
  'Feature request',
  'Slow page',
];
const OPPORTUNITY_STAGES = new WeightedChoice<SyntheticOpportunity['stage']>([
  ['open', 40],
  ['won', 30],
  ['lost', 30],
]);
const TICKET_STATUSES = new WeightedChoice<SyntheticTicket['status']>([
  ['open', 20],
  ['pending', 15],
  ['closed', 65],
]);
const EXTRA_ROLES = ['collaborator', 'viewer', 'account_manager'];
const MEMBERSHIP_COUNTS = new WeightedChoice<number>([
  [0, 30],
  [1, 35],
  [2, 25],
  [3, 10],
]);
const MINUTE = 60_000;

/** An instant strictly after `after` and no later than the world's now. */
function timeAfter(world: World, after: number): number {
  return after + MINUTE + Math.floor(world.rng.float() * Math.max(0, world.now - after - MINUTE));
}

function messageId(rng: Rng): string {
  return `<${rng.hex(16)}@mail.example>`;
}

function activityText(rng: Rng, kind: ActivityKind): [string | null, string | null] {
  const subjects = SUBJECTS[kind];
  return [subjects.length > 0 ? rng.pick(subjects) : null, rng.pick(BODIES[kind])];
}

/** 1-3 events that will be logged on the original and its duplicates, after all were created. */
export function sharedEvents(world: World, after: number): SharedEvent[] {
  const { rng } = world;
  const n = 1 + (rng.chance(0.5) ? 1 : 0) + (rng.chance(0.2) ? 1 : 0);
  const out: SharedEvent[] = [];
  for (let i = 0; i < n; i++) {
    const kind = SHARED_KIND_CHOICE.sample(rng);
    const [subject, body] = activityText(rng, kind);
    out.push({
      kind,
      occurredAt: timeAfter(world, after),
      subject,
      body,
      messageId: kind === 'email' ? messageId(rng) : null,
    });
  }
  return out;
}

/**
 * Appends the contact's related rows to the batch and returns what a duplicate could inherit.
 * `shared`: events to log on this record too; `inherit`: owners and lists of the original.
 */
export function emitRelated(
  world: World,
  batch: SyntheticBatch,
  contactId: number,
  person: Person,
  meanActivities: number,
  shared: readonly SharedEvent[],
  inherit: Inheritance | null,
): { owners: number[]; lists: number[] } {
  const { rng } = world;
  const created = person.createdAt;
  for (const e of shared) {
    batch.activities.push({
      contact_id: contactId,
      kind: e.kind,
      occurred_at: new Date(e.occurredAt),
      subject: e.subject,
      body: e.body,
      external_message_id: e.messageId,
    });
  }
  const own = Math.max(0, rng.poisson(meanActivities) - shared.length);
  for (let i = 0; i < own; i++) batch.activities.push(randomActivity(world, contactId, created));
  for (let i = rng.poisson(0.5); i > 0; i--) {
    batch.notes.push({
      contact_id: contactId,
      body: rng.pick(NOTE_BODIES),
      created_at: new Date(timeAfter(world, created)),
    });
  }
  for (let i = rng.poisson(0.2); i > 0; i--) {
    const company = person.company?.name ?? person.fields.last_name ?? 'Contact';
    batch.opportunities.push({
      contact_id: contactId,
      name: `${company} - ${rng.pick(PRODUCTS)}`,
      amount: rng.chance(0.9) ? Math.round(Math.exp(Math.log(15_000) + rng.normal()) * 100) / 100 : null,
      stage: OPPORTUNITY_STAGES.sample(rng),
      created_at: new Date(timeAfter(world, created)),
    });
  }
  for (let i = rng.poisson(0.2); i > 0; i--) {
    batch.tickets.push({
      contact_id: contactId,
      subject: rng.pick(TICKET_SUBJECTS),
      status: TICKET_STATUSES.sample(rng),
      created_at: new Date(timeAfter(world, created)),
    });
  }
  const owners = ownersFor(world, person, inherit);
  owners.forEach((userId, i) => {
    batch.owners.push({
      contact_id: contactId,
      user_id: userId,
      role: i === 0 ? 'owner' : rng.pick(EXTRA_ROLES),
    });
  });
  const lists = listsFor(world, inherit);
  for (const listId of lists) batch.memberships.push({ contact_id: contactId, list_id: listId });
  return { owners, lists };
}

function randomActivity(world: World, contactId: number, created: number): SyntheticActivity {
  const { rng } = world;
  const kind = KIND_CHOICE.sample(rng);
  const [subject, body] = activityText(rng, kind);
  return {
    contact_id: contactId,
    kind,
    occurred_at: new Date(timeAfter(world, created)),
    subject,
    body,
    external_message_id: kind === 'email' ? messageId(rng) : null,
  };
}

/** 1-2 distinct users: the contact's owner first; a duplicate may keep the original's second one. */
function ownersFor(world: World, person: Person, inherit: Inheritance | null): number[] {
  const { rng, users } = world;
  if (users <= 0) return [];
  const owners = [person.ownerId ?? rng.range(1, users)];
  const inherited = inherit?.owners[1];
  if (inherited !== undefined && inherited !== owners[0] && rng.chance(0.3)) owners.push(inherited);
  else if (users >= 2 && rng.chance(0.3)) {
    let second = rng.range(1, users);
    if (second === owners[0]) second = (second % users) + 1;
    owners.push(second);
  }
  return owners;
}

/** 0-3 distinct lists; a duplicate is sometimes on one of the original's lists. */
function listsFor(world: World, inherit: Inheritance | null): number[] {
  const { rng, lists } = world;
  if (lists <= 0) return [];
  const out: number[] = [];
  if (inherit && inherit.lists.length > 0 && rng.chance(0.4)) out.push(rng.pick(inherit.lists));
  const want = Math.min(lists, Math.max(out.length, MEMBERSHIP_COUNTS.sample(rng)));
  for (let tries = 0; out.length < want && tries < 20; tries++) {
    const id = rng.range(1, lists);
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
