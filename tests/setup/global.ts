// Started once for the whole test run: the real servers the suites share. The unit tier needs none, so a run of
// the unit tier alone (`npm run test:unit`) starts nothing.
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (project.vitest.projects.every((p) => p.name === 'unit')) return undefined;
  const { startPostgres } = await import('../helpers/postgres.js');
  const pg = await startPostgres();
  project.provide('postgresUrl', pg.url);
  return () => pg.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
