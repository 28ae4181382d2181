import { Hono } from 'hono';
import { routes } from '../../../core/api/routes';
import { guard } from '../../http/auth';
import type { AppEnv } from '../../http/env';
import { openApiDocument } from '../../openapi/document';

// Built once per process: it depends only on the schemas compiled into it.
let document: ReturnType<typeof openApiDocument> | undefined;

/** The API's OpenAPI 3.1 description, generated from core/schema. */
export const openApiRoutes = new Hono<AppEnv>().get(routes.openApi.path, guard(routes.openApi), (c) => c.json((document ??= openApiDocument()), 200));
