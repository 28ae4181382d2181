import { z } from 'zod';
import { ApiError } from '../../core/schema';
import { accessRuleOf } from '../http/access-policy';
import { strictSchema } from '../http/strict-schema';
import { operations, type Answer, type Operation } from './operations';

// The OpenAPI description is generated from the same zod schemas the routes parse with (z.toJSONSchema), so it
// cannot drift; who needs a token comes from the access policy the access-matrix test holds the routes to.

const allRoles = 4;

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

function parameters(op: Operation) {
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
function errorAnswers(op: Operation, anonymous: boolean, roleCount: number) {
  const errors: Record<number, unknown> = {};
  const add = (status: number, description: string, schema: unknown = apiErrorRef) => {
    errors[status] = { description, content: { 'application/json': { schema } } };
  };
  if (op.params || op.query || op.body) add(400, 'Invalid input (zod issues in `issues`)');
  if (!anonymous) add(401, 'Missing, unknown or revoked token');
  if (!anonymous && roleCount < allRoles) add(403, 'The caller’s role may not do this');
  if (op.body) add(413, 'Body too large');
  for (const [status, error] of Object.entries(op.errors ?? {})) {
    if (typeof error === 'string') add(Number(status), error);
    else add(Number(status), error.description, { oneOf: [jsonSchema(error.schema, 'output'), apiErrorRef] });
  }
  return errors;
}

function requestBody(op: Operation) {
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
  for (const op of operations) {
    const rule = accessRuleOf(op.method, op.path);
    if (!rule) throw new Error(`${op.method.toUpperCase()} ${op.path} has no line in server/http/access-policy.ts`);
    const anonymous = rule.anonymous === true;
    const responses: Record<string, unknown> = {};
    for (const [status, ok] of Object.entries(op.ok)) responses[status] = answer(ok);
    Object.assign(responses, errorAnswers(op, anonymous, rule.roles.length));
    const params = parameters(op);
    const body = requestBody(op);
    const path = openApiPath(op.path);
    paths[path] = {
      ...paths[path],
      [op.method]: {
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
