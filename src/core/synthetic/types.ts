import type { PersonFields } from '../contact-columns.js';

/** Public shapes of the synthetic CRM generator (what `dedupe seed` streams into PostgreSQL). */

export interface SyntheticOptions {
  /** Total contact rows to emit (duplicates and hard negatives included). */
  contacts: number;
  /** Share of emitted contacts that are duplicates of another one (default 0.1), 0 to 0.5. */
  duplicateRate: number;
  /** Mean activities per contact (default 5). */
  activitiesPerContact: number;
  /** Default 42. */
  seed: number;
  /** Ids are assigned here: firstContactId, firstContactId + 1, ... */
  firstContactId: number;
  /** Size of the user pool (owners), ids 1..users. */
  users: number;
  /** Size of the list pool, ids 1..lists. */
  lists: number;
  /** Contacts per yielded batch (default 10_000). */
  batchSize?: number;
}

/** Defaults for the options a caller may leave out (the CLI applies them). */
export const SYNTHETIC_DEFAULTS = {
  duplicateRate: 0.1,
  activitiesPerContact: 5,
  seed: 42,
  batchSize: 10_000,
} as const;

/** A generated contact row; `country` is an ISO-3166 alpha-2 code. */
export interface SyntheticContact extends PersonFields {
  id: number;
  external_id: string;
  attributes: Record<string, unknown>;
  owner_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface SyntheticTruth {
  contact_id: number;
  entity_id: number;
  /** 'original', the corruptions applied (comma separated), or 'hard_negative:<kind>'. */
  variant: string;
}

export type ActivityKind = 'email' | 'call' | 'meeting' | 'note' | 'task' | 'form_submission';

export interface SyntheticActivity {
  contact_id: number;
  kind: ActivityKind;
  occurred_at: Date;
  subject: string | null;
  body: string | null;
  external_message_id: string | null;
}

export interface SyntheticNote {
  contact_id: number;
  body: string;
  created_at: Date;
}

export interface SyntheticOpportunity {
  contact_id: number;
  name: string;
  amount: number | null;
  stage: 'open' | 'won' | 'lost';
  created_at: Date;
}

export interface SyntheticTicket {
  contact_id: number;
  subject: string;
  status: 'open' | 'pending' | 'closed';
  created_at: Date;
}

export interface SyntheticOwner {
  contact_id: number;
  user_id: number;
  role: string;
}

export interface SyntheticMembership {
  contact_id: number;
  list_id: number;
}

export interface SyntheticBatch {
  contacts: SyntheticContact[];
  truth: SyntheticTruth[];
  activities: SyntheticActivity[];
  notes: SyntheticNote[];
  opportunities: SyntheticOpportunity[];
  tickets: SyntheticTicket[];
  owners: SyntheticOwner[];
  memberships: SyntheticMembership[];
}

/** The corruptions a planted duplicate can carry (its truth variant lists those applied). */
export const CORRUPTION_KINDS = [
  'job_change',
  'missing_email',
  'missing_phone',
  'missing_company',
  'email_case',
  'email_gmail_dots',
  'email_plus_tag',
  'email_domain',
  'email_typo',
  'phone_format',
  'company_suffix',
  'transliteration',
  'diacritics',
  'nickname',
  'typo',
  'name_swap',
] as const;
export type CorruptionKind = (typeof CORRUPTION_KINDS)[number];

/** Distinct people who look alike (truth variant 'hard_negative:<kind>'). */
export const HARD_NEGATIVE_KINDS = [
  'relative_shared_phone',
  'relative_shared_address',
  'namesake',
  'colleague',
] as const;
export type HardNegativeKind = (typeof HARD_NEGATIVE_KINDS)[number];
