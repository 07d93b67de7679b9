import { pino } from 'pino';
import { createApp } from '../../src/server/app.ts';
import { type Env, loadConfig } from '../../src/server/config.ts';
import { openDatabase } from '../../src/server/database.ts';
import { createPool, type Sql } from '../../src/db/pool.ts';
import { freshDatabase } from './database.ts';

export interface GraphQLResponse<T = any> {
  readonly status: number;
  readonly data?: T;
  readonly errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestServer {
  readonly url: string;
  /** A pool of the test's own, as the database owner (a superuser here): the server's is confined. */
  readonly sql: Sql;
  /** The server's request pool (sessions run as berth_app with an empty scope). */
  readonly appSql: Sql;
  readonly databaseUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** The real server, in-process (configured like `npm start`, plus `env`), on a free port, over a fresh database. */
export async function startServer(env: Env = {}): Promise<TestServer> {
  const db = await freshDatabase();
  const log = pino({ level: process.env.BERTH_TEST_LOG ?? 'silent' });
  const config = loadConfig({ ...process.env, BERTH_DEFAULT_NAMESPACE: 'default', ...env });
  const database = await openDatabase(db.url, '', log, config.limits);
  const app = createApp({ db: database.sql, log, config });
  const address = await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}/graphql`;
  const owner = createPool(db.url, { max: 4 });
  return {
    url,
    sql: owner,
    appSql: database.sql,
    databaseUrl: db.url,
    gql: (query, variables, options) => postGraphQL(url, query, variables, options),
    close: async () => {
      await app.close();
      await owner.end();
      await database.close();
      await db.drop();
    },
  };
}

export interface RequestOptions {
  readonly namespace?: string;
  /** A bearer token. */
  readonly token?: string;
}

export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...(options.namespace ? { 'berth-namespace': options.namespace } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: response.status, ...body };
}
