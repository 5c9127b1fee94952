import { z } from 'zod';

/** Request shapes of the HTTP API. Every body is strict: an unknown field is a 400 naming it. */

/** Most contacts one request may merge into a survivor (bigger clusters go through runs). */
export const MAX_DUPLICATES = 1000;

const contactId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const MergeRequestBody = z
  .object({
    survivorId: contactId,
    duplicateIds: z
      .array(contactId)
      .min(1)
      .max(MAX_DUPLICATES)
      .refine((ids) => new Set(ids).size === ids.length, 'must not list the same contact twice'),
    /** field (or `attributes.<key>`) → the contact (survivor or duplicate) whose value wins. */
    fieldChoices: z.record(z.string().min(1).max(200), contactId).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((body) => !body.duplicateIds.includes(body.survivorId), {
    message: 'must not include survivorId (a contact cannot be merged into itself)',
    path: ['duplicateIds'],
  });
export type MergeRequestBody = z.infer<typeof MergeRequestBody>;

/** `:id` path parameters: a positive decimal integer. */
export const IdParams = z
  .object({
    id: z
      .string()
      .regex(/^[0-9]{1,15}$/, 'must be a positive integer')
      .transform(Number)
      .refine((n) => n > 0, 'must be a positive integer'),
  })
  .strict();

/** `X-Requested-By`: who asked, recorded on the audit row (a name, not personal data). */
export const RequestedBy = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.@:/ -]+$/, 'letters, digits and _ . @ : / - only');

export const LoginBody = z.object({ token: z.string().min(1).max(1000) });
