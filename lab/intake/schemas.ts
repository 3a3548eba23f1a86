// The wire shapes of the intake API as zod schemas: the handlers validate requests with
// them and openapi.ts turns the same schemas into the OpenAPI document, so the document
// cannot drift from what the server accepts and answers.
import { z } from 'zod';
import { reportMetaSchema, STATUSES } from './store.ts';
import { AGENCY_ID } from './tokens.ts';

export { reportMetaSchema };

export const MAX_TITLE = 300;
export const MAX_COMMENT = 2000;

export const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
/** encodeURIComponent output is printable ASCII; raw UTF-8 would arrive as Latin-1 mojibake. */
const PERCENT_ENCODED = /^[\x20-\x7e]+$/;

/** Headers of POST /reports as they arrive (lower-case names, one value each). */
export const uploadHeadersSchema = z.object({
  'x-report-sha256': z.string().regex(SHA256_HEX, 'expected 64 hex digits')
    .meta({ description: 'SHA-256 of the body as 64 hex digits; the body must hash to it' }),
  'idempotency-key': z.string().regex(IDEMPOTENCY_KEY, 'expected 1-200 printable ASCII characters without spaces')
    .meta({ description: '1-200 printable ASCII characters, unique per report and agency; a retry with the same key and body replays the first answer' }),
  'x-report-title': z.string().regex(PERCENT_ENCODED, 'expected percent-encoded UTF-8 (encodeURIComponent); raw non-ASCII bytes are refused')
    .optional()
    .meta({ description: `percent-encoded UTF-8 title (encodeURIComponent), 1-${MAX_TITLE} characters once decoded, no control characters` }),
});

/** Query of GET /reports; every value arrives as a string. */
export const listQuerySchema = z.object({
  agency: z.string().regex(AGENCY_ID, 'expected an agency id such as ministry-01 or province-07').optional()
    .meta({ description: 'only this agency (an agency may name only itself)' }),
  status: z.enum(STATUSES, `expected one of ${STATUSES.join(', ')}`).optional(),
  q: z.string().min(1, 'expected 1-200 characters').max(200, 'expected 1-200 characters')
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'expected text without control characters').optional()
    .meta({ description: 'case-insensitive substring of the title or the id' }),
  limit: z.string().regex(/^\d{1,4}$/, 'expected an integer from 1 to 1000')
    .refine((s) => Number(s) >= 1 && Number(s) <= 1000, 'expected an integer from 1 to 1000').optional()
    .meta({ description: 'page size, 1-1000 (default 100)' }),
  offset: z.string().regex(/^\d{1,10}$/, 'expected an integer from 0 to 1000000000')
    .refine((s) => Number(s) <= 1e9, 'expected an integer from 0 to 1000000000').optional()
    .meta({ description: 'reports to skip (default 0)' }),
}).strict();

export const decisionSchema = z.object({
  decision: z.enum(['approved', 'rejected']),
  // Tabs and line breaks are text; other control characters (NUL above all, which
  // PostgreSQL cannot store in text) are not.
  comment: z.string().max(MAX_COMMENT).regex(/^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/, 'expected text without control characters other than tab and line breaks').optional(),
}).strict();

export const reportListSchema = z.object({
  total: z.number().int().nonnegative(),
  limit: z.number().int(),
  offset: z.number().int(),
  reports: z.array(reportMetaSchema),
}).strict();

export const errorSchema = z.object({
  error: z.string().meta({ description: 'stable machine-readable code, e.g. bad_header, checksum_mismatch, store_unavailable' }),
  message: z.string().meta({ description: 'what was wrong, where, and what was expected' }),
}).strict();

export const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  store: z.enum(['fs', 'pg']),
  maxBytes: z.number().int().positive(),
}).strict();
