import assert from 'node:assert/strict';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../src/server/console-build.ts';
import { type Browser, browserSkip, launchBrowser, screenshot, until } from '../helpers/browser.ts';
import { berth, succeeded } from '../helpers/cli.ts';
import { feed, openConsole, row, rows, untilIds } from '../helpers/console-page.ts';
import { freshDatabase } from '../helpers/database.ts';
import { freePort, ROOT, startServerProcess } from '../helpers/process.ts';
import { postGraphQL, startServer, type TestServer } from '../helpers/server.ts';
import { TEST_SECRET, token } from '../helpers/tokens.ts';

/**
 * The Berth Console in a real Chromium against the real server: what a person sees and does.
 * Each test saves a screenshot under test-artifacts/console/. BERTH_UPDATE_SCREENSHOT=1 also
 * copies the first test's to docs/console.png, the README's picture.
 */

const CREATE = `mutation($ns: String, $c: ContainerInput!) { createContainer(input: { namespace: $ns, container: $c }) { container { id revision } } }`;
const SET_LABELS = `mutation($ns: String, $id: String!, $labels: [LabelInput!]!) {
  setContainerLabels(input: { namespace: $ns, containerId: $id, labels: $labels }) { container { revision } } }`;
const SPEC = { typeUrl: 'types.containerd.io/opencontainers/runtime-spec/1/Spec', json: { ociVersion: '1.1.0' } };

async function createContainer(
  url: string,
  namespace: string,
  containerId: string,
  fields: { image?: string; labels?: Record<string, string> } = {},
  authToken?: string,
) {
  const labels = Object.entries(fields.labels ?? {}).map(([key, value]) => ({ key, value }));
  const result = await postGraphQL(
    url,
    CREATE,
    { ns: namespace, c: { containerId, image: fields.image ?? 'docker.io/library/alpine:3', runtime: { name: 'io.containerd.runc.v2' }, spec: SPEC, labels } },
    { token: authToken },
  );
  assert.equal(result.errors, undefined, `create ${namespace}/${containerId}: ${JSON.stringify(result.errors)}`);
}

const origin = (url: string) => url.replace(/\/graphql$/, '');

describe('the console in Chromium', { skip: browserSkip }, () => {
  describe('against one server', () => {
    let browser: Browser;
    let server: TestServer;
    before(async () => {
      await ensureConsoleBuilt();
      browser = await launchBrowser();
      server = await startServer();
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    test('1. two pages on one namespace: a label edit, a CLI create and a CLI delete show in both', async (t) => {
      await createContainer(server.url, 'live', 'web', { labels: { app: 'shop' } });
      const [a, b] = [await browser.page(), await browser.page()];
      await openConsole(a, origin(server.url), 'live', '&container=web');
      await openConsole(b, origin(server.url), 'live');
      await untilIds(b, ['web'], 'page B');

      await a.getByRole('button', { name: 'Edit labels' }).click();
      await a.getByRole('button', { name: 'Add label' }).click();
      await a.locator('#label-key-1').fill('tier');
      await a.locator('#label-value-1').fill('gold');
      const saved = Date.now();
      await a.getByRole('button', { name: 'Save labels' }).click();
      await until('page A to show its own edit', async () => (await a.locator('.labels .chip').allTextContents()).includes('tier=gold'));
      const answered = Date.now();
      await until('page B to show the label tier=gold on web', async () => (await row(b, 'web'))?.labels.includes('tier=gold'));
      // Reported, not asserted: timings depend on the machine's load.
      t.diagnostic(`page A had its answer after ${answered - saved} ms; page B showed the edit ${Date.now() - answered} ms after that`);
      assert.equal((await row(b, 'web'))?.revision, '2');

      const env = { BERTH_ADDRESS: server.url, BERTH_NAMESPACE: 'live' };
      succeeded(await berth(['containers', 'create', 'docker.io/library/redis:7', 'cache'], env));
      await untilIds(a, ['cache', 'web'], 'page A');
      await untilIds(b, ['cache', 'web'], 'page B');
      assert.equal((await row(b, 'cache'))?.image, 'docker.io/library/redis:7');

      succeeded(await berth(['containers', 'rm', 'cache'], env));
      await untilIds(a, ['web'], 'page A');
      await untilIds(b, ['web'], 'page B');
      await screenshot(a, '1-two-pages-a');
      await screenshot(b, '1-two-pages-b');
      if (process.env.BERTH_UPDATE_SCREENSHOT) await copyFile(await screenshot(a, '1-two-pages-a'), join(ROOT, 'docs', 'console.png'));
      await Promise.all([a.close(), b.close()]);
    });

    test('2. `web` in namespaces a and b: each namespace shows its own image, back and forth', async () => {
      await createContainer(server.url, 'a', 'web', { image: 'docker.io/library/nginx:1' });
      await createContainer(server.url, 'b', 'web', { image: 'docker.io/library/httpd:2' });
      const page = await browser.page();
      await openConsole(page, origin(server.url), 'a');
      for (const [namespace, image] of [
        ['a', 'nginx'],
        ['b', 'httpd'],
        ['a', 'nginx'],
        ['b', 'httpd'],
      ] as const) {
        await page.locator('#namespace').selectOption(namespace);
        await until(`namespace ${namespace} to show web with its ${image} image`, async () => {
          const shown = await rows(page);
          return shown.length === 1 && shown[0]?.image === `docker.io/library/${image}:${image === 'nginx' ? 1 : 2}`;
        });
        assert.equal(new URL(page.url()).searchParams.get('namespace'), namespace, 'the choice is in the URL');
      }
      await page.getByRole('button', { name: 'web' }).click();
      await until('the detail panel of b/web to show httpd', async () => (await page.locator('.detail .fields').textContent())?.includes('httpd:2'));
      await screenshot(page, '2-namespaces');

      // The namespace list is live, and containerd's refusal to delete a non-empty namespace shows.
      const options = () => page.locator('#namespace option').allTextContents();
      assert.equal((await postGraphQL(server.url, `mutation { createNamespace(input: { name: "made-elsewhere" }) { namespace { id } } }`)).errors, undefined);
      await until('the namespace made elsewhere in the picker', async () => (await options()).includes('made-elsewhere'));
      await page.locator('#new-namespace').fill('scratch');
      await page.getByRole('button', { name: 'Create namespace' }).click();
      await until('the new namespace chosen, in the URL', async () => new URL(page.url()).searchParams.get('namespace') === 'scratch');
      await page.locator('#namespace').selectOption('a');
      await page.getByRole('button', { name: 'Delete namespace' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      const refusal = await until('the refusal to delete namespace a', async () => page.locator('#namespace-error').textContent({ timeout: 100 }));
      const direct = await postGraphQL(server.url, `mutation { deleteNamespace(input: { name: "a" }) { name } }`);
      assert.equal(direct.errors?.[0]?.extensions?.code, 'FAILED_PRECONDITION');
      assert.equal(refusal, direct.errors?.[0]?.message);
      await page.locator('#namespace').selectOption('scratch');
      await page.getByRole('button', { name: 'Delete namespace' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await until('scratch to leave the picker', async () => !(await options()).includes('scratch'));
      await page.close();
    });

    test('3. a bad filter shows containerd’s message and keeps the table; a good one narrows it, live creates included', async () => {
      await createContainer(server.url, 'filters', 'api', { labels: { env: 'prod' } });
      await createContainer(server.url, 'filters', 'batch', { labels: { env: 'dev' } });
      const page = await browser.page();
      await openConsole(page, origin(server.url), 'filters');
      await untilIds(page, ['api', 'batch']);
      // Keyboard: arrows move between rows, Enter opens one.
      await page.getByRole('button', { name: 'api' }).focus();
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'batch');
      await page.keyboard.press('Enter');
      await until('the detail panel of batch', async () => new URL(page.url()).searchParams.get('container') === 'batch');

      await page.locator('#filter').fill('labels.env==');
      await page.getByRole('button', { name: 'Apply' }).click();
      const message = await until('the filter error under the box', async () => page.locator('#filter-error').textContent({ timeout: 100 }));
      const server400 = await server.gql(`{ containers(namespace: "filters", filters: ["labels.env=="]) { totalCount } }`);
      assert.equal(message, server400.errors?.[0]?.message, 'the server’s own message');
      assert.equal(await page.locator('#filter').getAttribute('aria-invalid'), 'true');
      assert.deepEqual(
        (await rows(page)).map((r) => r.id),
        ['api', 'batch'],
        'the last good result stays',
      );

      await page.locator('#filter').fill('labels.env==prod');
      await page.getByRole('button', { name: 'Apply' }).click();
      await untilIds(page, ['api']);
      assert.equal(await page.locator('#filter-error').count(), 0);

      await createContainer(server.url, 'filters', 'cron', { labels: { env: 'dev' } });
      await createContainer(server.url, 'filters', 'web', { labels: { env: 'prod' } });
      await untilIds(page, ['api', 'web']);
      await screenshot(page, '3-filter');
      await page.close();
    });

    test('4. ABORTED: page B saves after page A did, sees the newer labels and reapplies', async () => {
      await createContainer(server.url, 'conflict', 'db', { labels: { role: 'primary' } });
      const [a, b] = [await browser.page(), await browser.page()];
      await openConsole(a, origin(server.url), 'conflict', '&container=db');
      await openConsole(b, origin(server.url), 'conflict', '&container=db');
      await b.getByRole('button', { name: 'Edit labels' }).click();
      await b.getByRole('button', { name: 'Add label' }).click();
      await b.locator('#label-key-1').fill('owner');
      await b.locator('#label-value-1').fill('bob');

      await a.getByRole('button', { name: 'Edit labels' }).click();
      await a.locator('#label-value-0').fill('replica');
      await a.getByRole('button', { name: 'Save labels' }).click();
      await until('page A to show role=replica', async () => (await a.locator('.labels .chip').allTextContents()).includes('role=replica'));

      await b.getByRole('button', { name: 'Save labels' }).click();
      await until('page B to report the conflict', async () =>
        (await b.locator('.labels.conflict .warning').textContent({ timeout: 100 }))?.includes('Someone else changed'),
      );
      await until('page B to show the newer labels', async () => (await b.locator('.labels.conflict .chip').allTextContents()).includes('role=replica'));
      await screenshot(b, '4-conflict');
      await b.getByRole('button', { name: 'Reapply my changes' }).click();
      for (const page of [a, b]) {
        await until(
          'both labels on db in both pages',
          async () => JSON.stringify((await row(page, 'db'))?.labels) === JSON.stringify(['owner=bob', 'role=replica']),
        );
      }
      const stored = await server.gql(`{ container(namespace: "conflict", containerId: "db") { revision labels { key value } } }`);
      assert.deepEqual(stored.data.container, {
        revision: 3,
        labels: [
          { key: 'owner', value: 'bob' },
          { key: 'role', value: 'replica' },
        ],
      });
      await Promise.all([a.close(), b.close()]);
    });

    test('6. create and delete through the forms; a validation error shows by its field', async () => {
      const page = await browser.page();
      await openConsole(page, origin(server.url), 'forms');
      await page.getByRole('button', { name: 'New container…' }).click();
      await page.getByLabel('ID', { exact: true }).fill('bad id');
      await page.getByLabel('Image').fill('docker.io/library/busybox:1');
      await page.getByLabel('Labels (key=value, one a line)').fill('team=core');
      await page.getByRole('button', { name: 'Create container' }).click();
      const error = await until('the id field’s error', async () => page.locator('#create-containerId-error').textContent({ timeout: 100 }));
      assert.match(error, /container\.ID: identifier "bad id" must match/);
      assert.equal(await page.getByLabel('ID', { exact: true }).getAttribute('aria-describedby'), 'create-containerId-error');
      assert.equal(await page.getByLabel('ID', { exact: true }).getAttribute('aria-invalid'), 'true');

      await page.getByLabel('ID', { exact: true }).fill('good-id');
      await page.getByRole('button', { name: 'Create container' }).click();
      await untilIds(page, ['good-id']);
      assert.deepEqual((await row(page, 'good-id'))?.labels, ['team=core']);
      await until('the detail panel of the new container', async () =>
        (await page.locator('#detail-heading').textContent({ timeout: 100 }))?.includes('good-id'),
      );
      await screenshot(page, '6-created');

      // Checkpoints: checkpoint the container, restore it as a new one, delete the checkpoint.
      await page.locator('#checkpoint-ref').fill('snap1');
      await page.getByRole('button', { name: 'Checkpoint', exact: true }).click();
      await until('checkpoint snap1 in the list', async () => (await page.locator('.checkpoints li[data-ref="snap1"]').count()) === 1);
      await page.locator('#restore-snap1').fill('restored');
      await page.getByRole('button', { name: 'Restore' }).click();
      await untilIds(page, ['good-id', 'restored']);
      await until('the restored container’s detail', async () => new URL(page.url()).searchParams.get('container') === 'restored');
      await page.getByRole('button', { name: 'Delete checkpoint snap1' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await until('snap1 to leave the list', async () => (await page.locator('.checkpoints li[data-ref="snap1"]').count()) === 0);
      await page.getByRole('button', { name: 'good-id' }).click();
      await until('the detail panel of good-id', async () => (await page.locator('#detail-heading').textContent({ timeout: 100 }))?.includes('good-id'));

      await page.getByRole('button', { name: 'Delete container' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await untilIds(page, ['restored']);
      const gone = await server.gql(`{ container(namespace: "forms", containerId: "good-id") { id } }`);
      assert.equal(gone.data.container, null);
      await screenshot(page, '6-deleted');
      await page.close();
    });

    test('keyset paging forward and back, with the total count', async () => {
      for (let i = 1; i <= 25; i++) await createContainer(server.url, 'paging', `c${String(i).padStart(2, '0')}`);
      const page = await browser.page();
      await openConsole(page, origin(server.url), 'paging');
      const all = Array.from({ length: 25 }, (_, i) => `c${String(i + 1).padStart(2, '0')}`);
      await untilIds(page, all.slice(0, 20));
      assert.equal(await page.locator('.pager .count').textContent(), '25 containers');
      await page.getByRole('button', { name: 'Next →' }).click();
      await untilIds(page, all.slice(20));
      assert.equal(await page.getByRole('button', { name: 'Next →' }).isDisabled(), true);
      await page.getByRole('button', { name: '← Previous' }).click();
      await untilIds(page, all.slice(0, 20));
      await screenshot(page, 'paging');
      await page.close();
    });

    test('8. the first load’s JavaScript is within 200 KB gzipped, and no request leaves 127.0.0.1', async (t) => {
      const html = await readFile(join(CONSOLE_DIST, 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(scripts.length > 0, 'index.html loads a script');
      let gzipped = 0;
      for (const script of scripts) gzipped += gzipSync(await readFile(join(CONSOLE_DIST, script)), { level: 9 }).length;
      t.diagnostic(`first-load JavaScript: ${scripts.join(', ')}: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
      assert.ok(gzipped <= 200 * 1024, `${gzipped} bytes of gzipped JavaScript on first load; the budget is 200 KB`);

      const page = await browser.page();
      const loaded: string[] = [];
      page.on('request', (request) => void (request.resourceType() === 'script' && loaded.push(new URL(request.url()).pathname)));
      await openConsole(page, origin(server.url), 'default');
      assert.deepEqual(loaded.sort(), [...scripts].sort(), 'the browser loads exactly the scripts index.html names');
      const paint = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
      t.diagnostic(`first contentful paint ${paint?.toFixed(0)} ms after navigation`);
      await screenshot(page, '8-first-load');
      await page.close();
      assert.deepEqual(browser.remoteRequests(), [], 'every request of every test so far went to 127.0.0.1');
    });
  });

  test('5. the events panel resumes after a restart: the outage’s events exactly once, and the table current', async () => {
    await ensureConsoleBuilt();
    const db = await freshDatabase();
    const port = String(await freePort());
    const browser = await launchBrowser();
    let first = await startServerProcess({ DATABASE_URL: db.url, PORT: port });
    try {
      await createContainer(first.url, 'ops', 'before');
      const page = await browser.page();
      await openConsole(page, origin(first.url), 'ops');
      await untilIds(page, ['before']);
      await createContainer(first.url, 'ops', 'live-1');
      await until('the feed to show live-1', async () => (await feed(page)).includes('ops /containers/create live-1'));

      assert.equal(await first.stop('SIGTERM'), 0);
      await until('the console to notice the outage', async () => (await page.getAttribute('.bar [data-connection]', 'data-connection')) === 'reconnecting');
      // Changes made while this server is down, through another replica on the same database.
      const replica = await startServerProcess({ DATABASE_URL: db.url, PORT: '0' });
      await createContainer(replica.url, 'ops', 'during-1');
      await createContainer(replica.url, 'ops', 'during-2');
      assert.equal((await postGraphQL(replica.url, SET_LABELS, { ns: 'ops', id: 'before', labels: [{ key: 'seen', value: 'outage' }] })).errors, undefined);
      await createContainer(replica.url, 'elsewhere', 'other');
      assert.equal(await replica.stop('SIGTERM'), 0);
      await screenshot(page, '5-outage');

      first = await startServerProcess({ DATABASE_URL: db.url, PORT: port });
      await until('the console to reconnect', async () => (await page.getAttribute('.bar [data-connection]', 'data-connection')) === 'live');
      await createContainer(first.url, 'ops', 'after');
      const expected = [
        'ops /containers/create live-1',
        'ops /containers/create during-1',
        'ops /containers/create during-2',
        'ops /containers/update before',
        'ops /containers/create after',
      ];
      await until('the feed to reach the create of `after`', async () => (await feed(page)).includes('ops /containers/create after'));
      assert.deepEqual(await feed(page), expected, 'every event once, in order');
      const cursors = await page.$$eval('ol.feed li', (items) => items.map((li) => li.getAttribute('data-cursor')));
      assert.equal(new Set(cursors).size, cursors.length);
      await untilIds(page, ['after', 'before', 'during-1', 'during-2', 'live-1']);
      assert.deepEqual((await row(page, 'before'))?.labels, ['seen=outage']);
      await screenshot(page, '5-after-restart');

      // The same feed for every readable namespace, then narrowed to one topic.
      await page.locator('#events-scope').selectOption('all');
      await until('the feed of all namespaces', async () => (await feed(page)).includes('elsewhere /containers/create other'));
      assert.deepEqual(await feed(page), [
        ...expected.slice(0, 4),
        'elsewhere /namespaces/create elsewhere',
        'elsewhere /containers/create other',
        expected[4],
      ]);
      await page.locator('#events-topic').selectOption('/namespaces/');
      await until('the feed of namespace events', async () => JSON.stringify(await feed(page)) === JSON.stringify(['elsewhere /namespaces/create elsewhere']));
      assert.deepEqual(browser.remoteRequests(), []);
    } finally {
      await browser.close();
      await first.stop('SIGTERM');
      await db.drop();
    }
  });

  test('7. a 401 asks for a token, kept for the session; a 403 names the namespace', async () => {
    await ensureConsoleBuilt();
    const server = await startServer({ BERTH_JWT_SECRET: TEST_SECRET });
    const browser = await launchBrowser();
    try {
      const admin = await token({ namespaces: ['*'], role: 'admin' });
      await createContainer(server.url, 'team-a', 'api', {}, admin);
      await createContainer(server.url, 'team-b', 'secret', {}, admin);
      const page = await browser.page();
      await page.goto(`${origin(server.url)}/?namespace=team-a`);
      const prompt = page.getByRole('dialog', { name: 'This Berth needs a token' });
      await prompt.waitFor({ timeout: 15_000 });
      await screenshot(page, '7-token-prompt');
      await page.getByLabel('Bearer token (JWT)').fill(await token({ namespaces: ['team-a'], role: 'writer' }));
      await page.getByRole('button', { name: 'Use token' }).click();
      await untilIds(page, ['api']);
      assert.equal(await prompt.count(), 0);

      await page.goto(`${origin(server.url)}/?namespace=team-b`);
      const denied = await until('the 403 message', async () => page.locator('.table-area .error').textContent({ timeout: 100 }));
      assert.match(denied, /Not allowed in namespace “team-b”/);
      assert.equal(await prompt.count(), 0, 'the token was kept for the session');
      assert.deepEqual(await rows(page), []);
      await screenshot(page, '7-forbidden');
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
