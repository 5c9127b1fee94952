/**
 * The columns of the reference `contacts` table that hold a person's data, in table order. One list
 * for the CSV import, the matching profile, merge survivorship and the seeder.
 */
export const PERSON_COLUMNS = [
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'job_title',
  'city',
  'country',
  'postcode',
] as const;
export type PersonColumn = (typeof PERSON_COLUMNS)[number];

/** A contact's person columns as read from the table (text, null when empty). */
export type PersonFields = { [K in PersonColumn]: string | null };

/** The person's columns and the CRM's own identifier for the record. */
export const CONTACT_DATA_COLUMNS = ['external_id', ...PERSON_COLUMNS] as const;
export type ContactDataColumn = (typeof CONTACT_DATA_COLUMNS)[number];
