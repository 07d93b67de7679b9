import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { failedStart } from '../helpers/process.ts';

/**
 * A start that cannot succeed prints one line naming the setting and the fix, and exits 1:
 * no stack, unless BERTH_LOG_LEVEL=debug.
 */
let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'berth-failures-'));
});
after(() => rm(dataDir, { recursive: true, force: true }));

const oneLine = (output: string) => assert.equal(output.split('\n').filter(Boolean).length, 1, `one line, no stack:\n${output}`);

test('a busy port fails before the embedded Postgres starts', async () => {
  const holder = await listening();
  try {
    const port = (holder.address() as { port: number }).port;
    const result = await failedStart({ DATABASE_URL: undefined, BERTH_DATA_DIR: dataDir, PORT: String(port) });
    assert.equal(result.code, 1);
    assert.equal(result.output, `berth: PORT ${port} on 127.0.0.1 is already in use: stop what listens there, or set PORT to a free port\n`);
    assert.equal(existsSync(join(dataDir, 'pg')), false, 'no cluster was made: Postgres never started');
  } finally {
    holder.close();
  }
});

test('a bad setting names itself', async () => {
  const result = await failedStart({ PORT: '4000', BERTH_EVENT_RETENTION: 'soon' });
  assert.equal(result.code, 1);
  assert.equal(result.output, 'berth: BERTH_EVENT_RETENTION must be a positive duration such as 604800, 30s, 15m, 1h or 7d, got "soon"\n');
});

test('an unreachable DATABASE_URL is named, without its password', async () => {
  const closed = await listening();
  const port = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  const result = await failedStart({ PORT: '0', DATABASE_URL: `postgres://berth:secret@127.0.0.1:${port}/berth` });
  assert.equal(result.code, 1);
  oneLine(result.output);
  assert.match(
    result.output,
    new RegExp(
      `^berth: DATABASE_URL postgres://berth:\\*\\*\\*@127\\.0\\.0\\.1:${port}/berth: nothing accepts connections there \\(ECONNREFUSED\\): .*unset it`,
    ),
  );
});

test('BERTH_LOG_LEVEL=debug adds the stack', async () => {
  const result = await failedStart({ PORT: '0', DATABASE_URL: 'postgres://berth@127.0.0.1:1/berth', BERTH_LOG_LEVEL: 'debug' });
  assert.equal(result.code, 1);
  assert.match(result.output, /^berth: DATABASE_URL .*\n.*StartupError.*\n\s+at /m);
});

function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
