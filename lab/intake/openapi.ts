// GET /openapi.json: the OpenAPI 3.1 description of the intake, built from the zod
// schemas the handlers validate with (schemas.ts). OpenAPI 3.1 schemas are JSON Schema
// 2020-12, which is what zod emits, so the schemas go in unchanged.
import { z } from 'zod';
import {
  decisionSchema, errorSchema, healthSchema, listQuerySchema, reportListSchema, reportMetaSchema, uploadHeadersSchema,
} from './schemas.ts';

type Json = Record<string, unknown>;

function schema(s: z.ZodType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input' }) as Json;
  return rest;
}

/** Each property of an object schema as an OpenAPI parameter. */
function parameters(s: z.ZodObject, where: 'header' | 'query', names: Record<string, string> = {}): Json[] {
  const js = schema(s) as { properties: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name: names[name] ?? name, in: where, required: js.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: json('Error') });
const retryAfter = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' } } };
const unavailable = { description: 'the store is unavailable (e.g. PostgreSQL lost, no writable leader) or the intake is at its upload limit; retry after Retry-After seconds', headers: retryAfter, content: json('Error') };
const common = {
  401: error('missing or unknown bearer token'),
  500: error('internal error (content_corrupt: the stored body no longer matches its SHA-256 and is not served)'),
  503: unavailable,
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lab GIRS intake',
      version: '1',
      description: 'Report submission, withdrawal, search, examination and retrieval for the lab stand-in of the GIRS Report Management Sub-system. Reference: docs/intake-api.md.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'per-agency or examiner token (lab:intake --tokens)' } },
      schemas: {
        ReportMeta: schema(reportMetaSchema),
        ReportList: schema(reportListSchema),
        Decision: schema(decisionSchema),
        Error: schema(errorSchema),
        Health: schema(healthSchema),
      },
    },
    paths: {
      '/reports': {
        post: {
          operationId: 'submitReport',
          summary: 'submit a report (agencies); acknowledged only once durable',
          parameters: [
            ...parameters(uploadHeadersSchema, 'header', { 'x-report-sha256': 'X-Report-SHA256', 'idempotency-key': 'Idempotency-Key', 'x-report-title': 'X-Report-Title' }),
          ],
          requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          responses: {
            201: { description: 'stored', headers: { Location: { schema: { type: 'string' } } }, content: json('ReportMeta') },
            200: { description: 'replay of an earlier upload with the same Idempotency-Key and body', content: json('ReportMeta') },
            400: error('malformed, missing or repeated header, empty body, or a body framing other than Content-Length or chunked'),
            ...common,
            403: error('examiners do not submit'),
            409: error('idempotency_conflict (same key, other body) or idempotency_in_progress'),
            413: error('body over the size limit'),
            422: error('checksum_mismatch: the body does not hash to X-Report-SHA256'),
            507: error('insufficient_storage: the store is out of disk space; nothing was stored'),
          },
        },
        get: {
          operationId: 'listReports',
          summary: 'list and search reports (agencies see only their own)',
          parameters: parameters(listQuerySchema, 'query'),
          responses: { 200: { description: 'a page of reports, newest first', content: json('ReportList') }, 400: error('bad query'), 403: error('an agency named another agency'), ...common },
        },
      },
      '/reports/{id}': {
        get: {
          operationId: 'getReport',
          summary: 'metadata of one report',
          parameters: [idParam],
          responses: { 200: { description: 'the report', content: json('ReportMeta') }, 400: error('not a UUID'), 404: error('no such report (or another agency\'s)'), ...common },
        },
        delete: {
          operationId: 'withdrawReport',
          summary: 'withdraw a submitted report (the submitting agency)',
          parameters: [idParam],
          responses: { 200: { description: 'withdrawn', content: json('ReportMeta') }, 400: error('not a UUID'), 403: error('not an agency'), 404: error('no such report'), 409: error('already decided'), ...common },
        },
      },
      '/reports/{id}/content': {
        get: {
          operationId: 'getReportContent',
          summary: 'the stored bytes, re-hashed before they are sent',
          parameters: [idParam],
          responses: {
            200: { description: 'the report body', headers: { 'X-Report-SHA256': { schema: { type: 'string' } } }, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
            400: error('not a UUID'), 404: error('no such report'), ...common,
          },
        },
      },
      '/reports/{id}/decision': {
        post: {
          operationId: 'decideReport',
          summary: 'approve or reject (OOG examiners)',
          parameters: [idParam],
          requestBody: { required: true, content: json('Decision') },
          responses: { 200: { description: 'decided', content: json('ReportMeta') }, 400: error('bad JSON'), 403: error('not an examiner'), 404: error('no such report'), 409: error('not in status submitted'), 413: error('JSON body over 16 KiB'), ...common },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health', summary: 'liveness (no token)', security: [],
          responses: { 200: { description: 'store reachable', content: json('Health') }, 503: { description: 'store unreachable', content: json('Health') } },
        },
      },
      '/metrics': {
        get: {
          operationId: 'metrics', summary: 'Prometheus metrics, text exposition format (no token)', security: [],
          responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
      '/openapi.json': {
        get: {
          operationId: 'openapi', summary: 'this document (no token)', security: [],
          responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
        },
      },
    },
  };
}
