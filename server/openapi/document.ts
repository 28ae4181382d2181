import { z } from 'zod';
import { ApiError, ConfigResponse, PairRequest, PairResponse, PullQuery, PullResponse, PushRequest, PushResponse, User } from '../../core/schema';

// The OpenAPI description is generated from the same zod schemas the routes parse with, so it cannot drift.
// Each entry is one route; other resources add theirs to `operations`.

interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; description: string };
  errors: number[];
}

export const operations: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', auth: false, ok: { status: 200, schema: z.object({ ok: z.literal(true) }), description: 'The server is up' }, errors: [] },
  { method: 'post', path: '/api/pair', summary: 'Trade a one-time pairing code for a device token', auth: false, body: PairRequest, ok: { status: 200, schema: PairResponse, description: 'Paired' }, errors: [400, 401, 413, 429] },
  { method: 'get', path: '/api/me', summary: 'The user this device belongs to', auth: true, ok: { status: 200, schema: User, description: 'The user' }, errors: [401] },
  { method: 'delete', path: '/api/session', summary: 'Revoke the calling device token', auth: true, ok: { status: 204, description: 'Revoked' }, errors: [401] },
  { method: 'get', path: '/api/config', summary: 'CRM instances, disabled adapters and workspace settings', auth: true, ok: { status: 200, schema: ConfigResponse, description: 'The configuration' }, errors: [401] },
  { method: 'get', path: '/api/users', summary: 'The department roster (head and admin)', auth: true, ok: { status: 200, schema: z.object({ users: z.array(User) }), description: 'Every user' }, errors: [401, 403] },
  { method: 'post', path: '/api/sync/push', summary: 'Apply a batch of outbox mutations in order', auth: true, body: PushRequest, ok: { status: 200, schema: PushResponse, description: 'Processed up to lastMutationId' }, errors: [400, 401, 403, 409, 413] },
  { method: 'get', path: '/api/sync/pull', summary: 'Changes after a cursor that the caller may see', auth: true, query: PullQuery, ok: { status: 200, schema: PullResponse, description: 'A page of changes' }, errors: [400, 401] },
];

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input (zod issues in `issues`)',
  401: 'Missing, unknown or revoked token, or a wrong pairing code',
  403: 'The caller\'s role may not do this',
  409: 'A gap in mutation ids (`expected` says where to resume)',
  413: 'Body too large',
  429: 'Too many attempts',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {
      [op.ok.status]: op.ok.schema
        ? { description: op.ok.description, content: { 'application/json': { schema: jsonSchema(op.ok.schema, 'output') } } }
        : { description: op.ok.description },
    };
    for (const status of op.errors) {
      responses[status] = { description: errorDescriptions[status], content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } } };
    }
    const parameters = op.query
      ? Object.entries(op.query.shape).map(([name, schema]) => ({ name, in: 'query', required: false, schema: jsonSchema(schema as z.ZodType, 'input') }))
      : undefined;
    paths[op.path] = {
      ...paths[op.path],
      [op.method]: {
        summary: op.summary,
        ...(op.auth ? { security: [{ deviceToken: [] }] } : {}),
        ...(parameters ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Headway sync server', version: '0.1.0', description: 'Plan progress, load balancing, negotiation notes and escalations over your CRM.' },
    paths,
    components: {
      securitySchemes: { deviceToken: { type: 'http', scheme: 'bearer', description: 'A device token from POST /api/pair' } },
      schemas: { ApiError: jsonSchema(ApiError, 'output') },
    },
  };
}
