import { z } from 'zod';
import { ApiError, Role } from '../../core/schema';
import type { Answer, RouteDescriptor } from '../../core/api/route';
import { routeList } from '../../core/api/routes';
import { strictSchema } from '../http/strict-schema';

// The OpenAPI description is generated from the route descriptors (core/api/routes.ts): the same zod schemas the
// routes parse with (z.toJSONSchema) and the same access rule their guards enforce, so it cannot drift.


function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

const apiErrorRef = { $ref: '#/components/schemas/ApiError' };

/** `/api/plans/:id` -> `/api/plans/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function answer(ok: Answer) {
  const content: Record<string, unknown> = {};
  if (ok.schema) content['application/json'] = { schema: jsonSchema(ok.schema, 'output') };
  for (const media of ok.documents ?? []) content[media] = { schema: { type: 'string' } };
  return Object.keys(content).length > 0 ? { description: ok.description, content } : { description: ok.description };
}

function parameters(op: RouteDescriptor) {
  const list: unknown[] = [];
  for (const [where, schema] of [['path', op.params], ['query', op.query]] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      const json = jsonSchema(field as z.ZodType, 'input');
      // A path parameter is always required; a query one when zod would refuse its absence.
      const required = where === 'path' || !(field as z.ZodType).safeParse(undefined).success;
      list.push({ name, in: where, required, schema: json });
    }
  }
  return list;
}

/** The 4xx answers a route has by its kind (token, role, input, body), then the route's own. */
function errorAnswers(op: RouteDescriptor, anonymous: boolean, roleCount: number) {
  const errors: Record<number, unknown> = {};
  const add = (status: number, description: string, schema: unknown = apiErrorRef) => {
    errors[status] = { description, content: { 'application/json': { schema } } };
  };
  if (op.params || op.query || op.body) add(400, 'Invalid input (zod issues in `issues`)');
  if (!anonymous) add(401, 'Missing, unknown or revoked token');
  if (!anonymous && roleCount < Role.options.length) add(403, 'The caller’s role may not do this');
  if (op.body) add(413, 'Body too large');
  for (const [status, error] of Object.entries(op.errors ?? {})) {
    if (typeof error === 'string') add(Number(status), error);
    else add(Number(status), error.description, { oneOf: [jsonSchema(error.schema, 'output'), apiErrorRef] });
  }
  return errors;
}

function requestBody(op: RouteDescriptor) {
  if (!op.body) return undefined;
  const content =
    op.body === 'csv'
      ? { 'text/csv': { schema: { type: 'string', description: 'The CSV file, header row first (UTF-8; a byte-order mark is dropped)' } } }
      : op.body === 'form'
      ? { 'application/x-www-form-urlencoded': { schema: { type: 'string', description: 'The form as the CRM posts it (Bitrix24: event, data[FIELDS][ID], auth[application_token]…)' } } }
      : // The routes parse bodies strictly (server/http/strict-schema.ts): the description says unknown keys are refused.
        { 'application/json': { schema: jsonSchema(strictSchema(op.body), 'input') } };
  return { required: !op.bodyOptional, content };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of routeList) {
    if (op.page) continue;
    const rule = op.access;
    const anonymous = rule.anonymous === true;
    const responses: Record<string, unknown> = {};
    for (const [status, ok] of Object.entries(op.ok)) responses[status] = answer(ok);
    Object.assign(responses, errorAnswers(op, anonymous, rule.roles.length));
    const params = parameters(op);
    const body = requestBody(op);
    const path = openApiPath(op.path);
    paths[path] = {
      ...paths[path],
      [op.method.toLowerCase()]: {
        summary: op.summary,
        description: rule.note,
        ...(anonymous ? {} : { security: rule.service ? [{ deviceToken: [] }, { serviceToken: [] }] : [{ deviceToken: [] }] }),
        ...(params.length > 0 ? { parameters: params } : {}),
        ...(body ? { requestBody: body } : {}),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Headway sync server', version: '0.1.0', description: 'Plan progress, load balancing, negotiation notes and escalations over your CRM.' },
    paths,
    components: {
      securitySchemes: {
        deviceToken: { type: 'http', scheme: 'bearer', description: 'A device token from POST /api/pair' },
        serviceToken: { type: 'http', scheme: 'bearer', description: 'A service token from `token service add` (deal ingest and import only)' },
      },
      schemas: { ApiError: jsonSchema(ApiError, 'output') },
    },
  };
}
