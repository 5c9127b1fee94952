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

/** The person's columns and the CRM's own identifier for the record. */
export const CONTACT_DATA_COLUMNS = ['external_id', ...PERSON_COLUMNS] as const;
export type ContactDataColumn = (typeof CONTACT_DATA_COLUMNS)[number];
