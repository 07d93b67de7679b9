import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServerProcess } from '../helpers/process.ts';
import { postGraphQL } from '../helpers/server.ts';

/**
 * What a newcomer's `npm start` does: no DATABASE_URL, so the server starts its own embedded
 * Postgres under BERTH_DATA_DIR. The data survives a stop (SIGTERM, exit 0) and a second start.
 */
test('embedded Postgres: serve, stop cleanly, start again, and the data is still there', { timeout: 180_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'berth-embedded-'));
  try {
    const first = await startServerProcess({ DATABASE_URL: '', BERTH_DATA_DIR: dataDir });
    const created = await postGraphQL(
      first.url,
      `mutation { createContainer(input: { container: { containerId: "kept", image: "docker.io/library/redis:alpine", runtime: { name: "io.containerd.runc.v2" }, spec: { typeUrl: "types.containerd.io/opencontainers/runtime-spec/1/Spec", json: { ociVersion: "1.1.0" } } } }) { container { containerId createdAt } } }`,
    );
    assert.equal(created.errors, undefined);
    const page = await fetch(first.url, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /graphiql/i, 'GET /graphql from a browser serves GraphiQL');
    assert.equal(await first.stop(), 0);

    const second = await startServerProcess({ DATABASE_URL: '', BERTH_DATA_DIR: dataDir });
    const read = await postGraphQL(second.url, `{ container(containerId: "kept") { containerId image createdAt spec { json } } }`);
    assert.deepEqual(read.data.container, {
      containerId: 'kept',
      image: 'docker.io/library/redis:alpine',
      createdAt: created.data.createContainer.container.createdAt,
      spec: { json: { ociVersion: '1.1.0' } },
    });
    assert.equal(await second.stop(), 0);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
