import { pino } from 'pino';
import { createApp } from '../../src/server/app.ts';
import { openDatabase } from '../../src/server/database.ts';
import type { Sql } from '../../src/db/pool.ts';
import { freshDatabase } from './database.ts';

export interface GraphQLResponse<T = any> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestServer {
  readonly url: string;
  /** The server's pool, logged in as the database owner (a superuser here). */
  readonly sql: Sql;
  readonly databaseUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { namespace?: string }): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** The real server, in-process, on a free port, over a fresh database. */
export async function startServer(): Promise<TestServer> {
  const db = await freshDatabase();
  const log = pino({ level: process.env.BERTH_TEST_LOG ?? 'silent' });
  const database = await openDatabase(db.url, '', log);
  const app = createApp({ db: database.sql, log, defaultNamespace: 'default' });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}/graphql`;
  return {
    url,
    sql: database.sql,
    databaseUrl: db.url,
    gql: (query, variables, options) => postGraphQL(url, query, variables, options?.namespace),
    close: async () => {
      await app.close();
      await database.close();
      await db.drop();
    },
  };
}

export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>, namespace?: string): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(namespace ? { 'berth-namespace': namespace } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: response.status, ...body };
}
