import type { RepointTarget } from './catalog.js';
import { journalled } from './statements.js';

/**
 * Activity consolidation: the same e-mail or meeting often sits on both duplicates (each CRM record
 * synced it). Activities of different contacts of one merge that record the same event (same
 * external_message_id, or same kind + occurred_at + subject without two different message ids) are
 * linked, never deleted: the kept one (one that already keeps others, else the survivor's, else the
 * lowest id) stays, the others get duplicate_of = its id, journalled as 'linked' so an undo can
 * unlink them. Runs before the rows are moved, while each activity still says which contact it
 * came from. An activity that already keeps others (an earlier merge linked duplicates to it) is
 * never linked itself, so duplicate_of never chains.
 * The kept activity of a group is its smallest [priority..., id, contact] array (min over arrays,
 * and min <> max of contact_id for "more than one contact"), so the groups can be hashed: ordered
 * or DISTINCT aggregates would sort every wave's activities on their text columns.
 *
 * $1 contacts, $2 survivors, $3 merge ids: one element per contact of a merge, survivor included.
 */

const NEEDED = ['id', 'contact_id', 'kind', 'occurred_at', 'subject', 'external_message_id', 'duplicate_of'];

export function activitiesTarget(targets: readonly RepointTarget[]): RepointTarget | undefined {
  return targets.find(
    (t) =>
      t.table === 'activities' &&
      t.column === 'contact_id' &&
      NEEDED.every((c) => t.insertColumns.includes(c)),
  );
}

function linksCte(t: RepointTarget): string {
  return `m AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS m(contact, survivor, merge_id)),
  every AS MATERIALIZED (
    -- Each contact's activities read once, through the contact index.
    SELECT t.id, t.contact_id, t.duplicate_of, m.survivor, m.merge_id, t.external_message_id, t.kind,
           t.occurred_at, t.subject, t.contact_id = m.survivor AS on_survivor
      FROM m CROSS JOIN LATERAL (SELECT * FROM ${t.relation} t WHERE t.contact_id = m.contact OFFSET 0) t),
  keeping AS (
    -- Activities that already keep others (linked by an earlier merge; their duplicates moved with
    -- them, onto the same contact).
    SELECT duplicate_of AS id FROM every WHERE duplicate_of IS NOT NULL GROUP BY duplicate_of),
  a AS MATERIALIZED (
    SELECT id, contact_id, survivor, merge_id, external_message_id, kind, occurred_at, subject, on_survivor,
           id IN (SELECT id FROM keeping) AS keeps
      FROM every WHERE duplicate_of IS NULL),
  g1 AS (
    SELECT merge_id, external_message_id, best[3] AS kept, best[4] AS kept_contact
      FROM (SELECT merge_id, external_message_id,
                   min(ARRAY[(NOT keeps)::int, (NOT on_survivor)::int, id, contact_id]) AS best
              FROM a WHERE external_message_id IS NOT NULL
             GROUP BY merge_id, external_message_id HAVING min(contact_id) <> max(contact_id)) g),
  l1 AS (
    -- An activity that keeps others is never linked itself: duplicate_of never chains.
    SELECT a.id, a.contact_id, a.survivor, a.merge_id, g1.kept
      FROM a JOIN g1 ON g1.merge_id = a.merge_id AND g1.external_message_id = a.external_message_id
     WHERE a.id <> g1.kept AND a.contact_id <> g1.kept_contact AND NOT a.keeps),
  a2 AS MATERIALIZED (
    SELECT a.*, a.keeps OR EXISTS (SELECT 1 FROM g1 WHERE g1.kept = a.id) AS is_kept
      FROM a WHERE NOT EXISTS (SELECT 1 FROM l1 WHERE l1.id = a.id)),
  g2 AS (
    SELECT merge_id, kind, occurred_at, subject, best[3] AS kept, best[4] AS kept_contact
      FROM (SELECT merge_id, kind, occurred_at, subject,
                   min(ARRAY[(NOT is_kept)::int, (NOT on_survivor)::int, id, contact_id]) AS best
              FROM a2 GROUP BY merge_id, kind, occurred_at, subject
             -- Two message ids that differ are two e-mails, however alike: min = max of the ids
             -- (NULLs aside) says they do not (no DISTINCT aggregate: see above).
             HAVING min(contact_id) <> max(contact_id)
                AND min(external_message_id) IS NOT DISTINCT FROM max(external_message_id)) g),
  l2 AS (
    -- An activity that already keeps others (g1, or an earlier merge) is not linked: no chains.
    SELECT a2.id, a2.contact_id, a2.survivor, a2.merge_id, g2.kept
      FROM a2 JOIN g2 ON g2.merge_id = a2.merge_id AND g2.kind = a2.kind AND g2.occurred_at = a2.occurred_at
                     AND g2.subject IS NOT DISTINCT FROM a2.subject
     WHERE a2.id <> g2.kept AND a2.contact_id <> g2.kept_contact AND NOT a2.is_kept),
  links AS (SELECT * FROM l1 UNION ALL SELECT * FROM l2)`;
}

export function linkActivitiesSql(t: RepointTarget): string {
  return `WITH ${linksCte(t)},
  done AS (
    UPDATE ${t.relation} t SET duplicate_of = l.kept FROM links l
     WHERE t.id = l.id AND t.duplicate_of IS NULL
    RETURNING t.id, l.contact_id, l.survivor, l.merge_id, l.kept)
  ${journalled(
    `SELECT merge_id, contact_id AS from_contact, survivor AS to_contact, jsonb_build_object('id', id) AS row_key,
            jsonb_build_object('duplicate_of', kept) AS row_data FROM done`,
    "'activities'",
    "'contact_id'",
    'linked',
  )}`;
}

export function countLinksSql(t: RepointTarget): string {
  return `WITH ${linksCte(t)} SELECT count(*)::int AS n FROM links`;
}
