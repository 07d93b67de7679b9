import type { Page } from 'playwright-core';
import { until } from './browser.ts';

/** What the console shows, read the way a person reads it: the table's rows, the feed, messages. */

export interface Row {
  readonly id: string;
  readonly image: string;
  readonly labels: string[];
  readonly revision: string;
}

export function rows(page: Page): Promise<Row[]> {
  return page.$$eval('table.containers-table tbody tr', (trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return {
        id: cells[0]?.textContent?.trim() ?? '',
        image: cells[1]?.textContent?.trim() ?? '',
        labels: [...tr.querySelectorAll('.chip')].map((chip) => chip.textContent?.trim() ?? ''),
        revision: cells[5]?.textContent?.trim() ?? '',
      };
    }),
  );
}

export async function row(page: Page, id: string): Promise<Row | undefined> {
  return (await rows(page)).find((r) => r.id === id);
}

/** Waits until the table shows exactly these ids (in order). */
export function untilIds(page: Page, ids: string[], label = 'the table'): Promise<true> {
  return until(`${label} to list ${JSON.stringify(ids)}`, async () => {
    const shown = (await rows(page)).map((r) => r.id);
    return JSON.stringify(shown) === JSON.stringify(ids) || (false as const);
  });
}

/** The events feed, oldest first, as "namespace topic subject". */
export function feed(page: Page): Promise<string[]> {
  return page.$$eval('ol.feed li', (items) =>
    items
      .reverse()
      .map((li) => [li.querySelector('.ns')?.textContent, li.querySelector('code')?.textContent, li.querySelector('.subject')?.textContent].join(' ')),
  );
}

/** Opens the console at `base` (the server's origin) on a namespace and waits for its first list. */
export async function openConsole(page: Page, base: string, namespace: string, extra = ''): Promise<void> {
  await page.goto(`${base}/?namespace=${encodeURIComponent(namespace)}${extra}`);
  await until('the console to show a live connection', async () => (await page.getAttribute('.bar [data-connection]', 'data-connection')) === 'live');
}
