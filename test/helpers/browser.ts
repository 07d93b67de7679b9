import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from './process.ts';

/**
 * A real Chromium (Debian's `chromium` package) driven by playwright-core, for the console's tests.
 * Playwright's own browser downloads are not used. Without /usr/bin/chromium the console tests are
 * skipped with one line, except under CI, where .ci/run installs it and a missing one fails.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const browserSkip: string | false =
  !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install chromium): console browser tests skipped` : false;

export const ARTIFACTS = join(ROOT, 'test-artifacts', 'console');

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab; its requests are recorded for `remoteRequests`. */
  page(): Promise<Page>;
  /** Every URL any tab asked for whose host is not 127.0.0.1. */
  remoteRequests(): string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'berth-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const remote: string[] = [];
  const record = (url: string) => {
    const { protocol, hostname } = new URL(url);
    if (protocol !== 'data:' && protocol !== 'about:' && hostname !== '127.0.0.1') remote.push(url);
  };
  context.on('request', (request) => record(request.url()));
  context.on('page', (page) => page.on('websocket', (socket) => record(socket.url())));
  // The persistent context opens with one blank tab; the tests open their own.
  await Promise.all(context.pages().map((page) => page.close()));
  return {
    context,
    page: () => context.newPage(),
    remoteRequests: () => [...remote],
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot as a test artifact (test-artifacts/ is not committed). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Checks `check` until it returns something other than null/undefined/false, for at most
 * `timeoutMs`; a time-out fails naming what was awaited and what was last seen.
 */
export async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== null && value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
