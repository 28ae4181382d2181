import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../support/embedded-postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

/** One real PostgreSQL for the whole server project; each suite creates its own database in it. */
export default async function setup(project: TestProject) {
  const postgres = await startEmbeddedPostgres('test');
  project.provide('pgUrl', postgres.adminUrl);
  return () => postgres.stop();
}
