/**
 * Bounds for every wait in the suite: a test that waits for something that never comes fails,
 * naming what it waited for, instead of hanging until the runner's timeout.
 */

/** Long enough for a loaded 2-core machine; a wait this long means the thing is not coming. */
export const WAIT_MS = 60_000;

/** Resolves with `promise`, or rejects once `ms` have passed, saying what it waited for. */
export async function within<T>(promise: Promise<T>, waitingFor: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms waiting for ${waitingFor}`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` every `everyMs` until it returns something other than undefined, within `ms`. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, waitingFor: string, { ms = WAIT_MS, everyMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`gave up after ${ms} ms waiting for ${waitingFor}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
