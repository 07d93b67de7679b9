import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startServer, type TestServer } from '../helpers/server.ts';

/** BERTH_JWKS_FILE: tokens signed with a key of the file are accepted, others are not. */
let server: TestServer;
let dir: string;
let sign: (claims: Record<string, unknown>, kid?: string) => Promise<string>;

before(async () => {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  dir = await mkdtemp(join(tmpdir(), 'berth-jwks-'));
  const file = join(dir, 'jwks.json');
  await writeFile(file, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'main', alg: 'ES256', use: 'sig' }] }));
  sign = (claims, kid = 'main') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid })
      .setExpirationTime('1h')
      .sign(kid === 'main' ? privateKey : stranger.privateKey);
  server = await startServer({ BERTH_JWKS_FILE: file });
});
after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

test('a token signed with a key of the JWKS file works; one signed with another key is UNAUTHENTICATED', async () => {
  const good = await sign({ namespaces: ['*'], role: 'admin' });
  const ok = await server.gql(`{ namespaces { name } }`, {}, { token: good });
  assert.equal(ok.errors, undefined);
  const bad = await sign({ namespaces: ['*'], role: 'admin' }, 'stranger');
  assert.equal((await server.gql(`{ namespaces { name } }`, {}, { token: bad })).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
});
